"""The sign-up form over HTTP: French errors next to the fields, robots, limits, refusals."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from html import unescape

import httpx

from tests.planning.factories import make_workshop
from tests.signup.helpers import family, mails_to, months_ago
from tests.signup.test_journey import _form
from workshops.accounts.models import Organisation
from workshops.kernel.settings import Settings
from workshops.mail.models import OutboxMessage
from workshops.planning.models import Session
from workshops.signup.eligibility import Child
from workshops.signup.links import hash_token, new_token
from workshops.signup.models import Registration, RegistrationStatus, SignupAttempt
from workshops.signup.pages.form import HONEYPOT
from workshops.signup.registering import register_family


async def test_an_invalid_form_comes_back_with_the_typed_values_and_an_error_summary(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop()
    data = {**_form("Léa Martin", "pas-une-adresse"), "child_1_month": "mars"}
    response = await client.post(f"/ateliers/{workshop.id}/inscription", data=data)
    assert response.status_code == 422
    assert "Le formulaire contient 2 erreurs" in response.text
    assert 'href="#champ-email"' in response.text
    assert "Indiquez une adresse e-mail valide" in response.text
    assert "Indiquez un mois, par exemple 2026-03." in response.text
    assert 'value="Léa Martin"' in response.text
    assert 'value="pas-une-adresse"' in response.text
    assert await Registration.all().count() == 0


async def test_a_robot_filling_the_hidden_field_sees_a_success_and_nothing_is_stored(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop()
    data = {**_form("Robot", "robot@exemple.fr"), "site_web": "http://spam.example"}
    response = await client.post(f"/ateliers/{workshop.id}/inscription", data=data)
    assert response.status_code == 200
    assert "Merci" in response.text
    assert await Registration.all().count() == 0


async def test_too_many_sign_ups_from_one_address_are_refused_for_an_hour(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(capacity=50)
    for number in range(database.signup_max_per_ip_per_hour):
        response = await client.post(
            f"/ateliers/{workshop.id}/inscription",
            data=_form("Parent", f"parent{number}@exemple.fr"),
        )
        assert response.status_code == 200
    refused = await client.post(
        f"/ateliers/{workshop.id}/inscription", data=_form("Parent", "encore@exemple.fr")
    )
    assert refused.status_code == 429
    assert "réessayez dans une heure" in refused.text
    assert await SignupAttempt.all().count() == database.signup_max_per_ip_per_hour


async def test_a_family_from_another_commune_is_told_which_communes_may_sign_up(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(communes=(("Talant", None), ("Daix", 4)))
    response = await client.post(
        f"/ateliers/{workshop.id}/inscription", data=_form("Léa", "lea@exemple.fr")
    )
    assert response.status_code == 422
    assert "réservé aux habitants de : Talant, Daix" in response.text


async def test_a_child_too_old_is_refused_next_to_the_children(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(min_age_months=0, max_age_months=9)
    data = {**_form("Léa", "lea@exemple.fr"), "child_1_month": months_ago(30).strftime("%Y-%m")}
    response = await client.post(f"/ateliers/{workshop.id}/inscription", data=data)
    assert response.status_code == 422
    assert "de 0 à 9 mois" in response.text


async def test_the_same_email_twice_over_http_takes_no_second_place(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop()
    for _attempt in range(2):
        response = await client.post(
            f"/ateliers/{workshop.id}/inscription", data=_form("Léa", "lea@exemple.fr")
        )
    assert response.status_code == 200
    assert "déjà inscrite" not in response.text
    assert await Registration.all().count() == 1
    assert [m.template for m in await mails_to("lea@exemple.fr")] == [
        "signup_confirmed",
        "signup_link",
    ]


def _comparable(response: httpx.Response) -> tuple[int, bytes, list[tuple[str, str]]]:
    """What a stranger sees of an answer: status, body and headers (the clock's aside)."""
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() != "date"]
    return response.status_code, response.content, headers


async def test_a_stranger_cannot_tell_from_the_answer_whether_an_address_is_registered(
    client: httpx.AsyncClient, database: Settings
) -> None:
    """Rule 7, on a prenatal workshop where a known address would reveal a pregnancy: a new
    address, one already confirmed, one waiting and one cancelled get the same bytes."""
    workshop = await make_workshop(prenatal=True, capacity=1, title="Préparer la naissance")
    born = {"child_1_kind": "expected", "child_1_month": months_ago(-3).strftime("%Y-%m")}
    for email in ("confirmee@exemple.fr", "attente@exemple.fr", "annulee@exemple.fr"):
        await register_family(
            settings=database,
            workshop_id=workshop.id,
            family=replace(family(email), children=[Child(months_ago(-3), expected=True)]),
        )
    await Registration.filter(email="annulee@exemple.fr").update(
        status=RegistrationStatus.CANCELLED
    )

    async def answer(email: str) -> httpx.Response:
        data = {**_form("Léa", email), **born}
        return await client.post(f"/ateliers/{workshop.id}/inscription", data=data)

    new = await answer("nouvelle@exemple.fr")
    assert new.status_code == 200
    assert "Préparer la naissance" in new.text
    for known in ("confirmee@exemple.fr", "attente@exemple.fr", "annulee@exemple.fr"):
        assert _comparable(await answer(known)) == _comparable(new), known
    # A robot's post (the hidden field filled) is answered the same too.
    robot = await client.post(
        f"/ateliers/{workshop.id}/inscription",
        data={**_form("Léa", "robot@exemple.fr"), **born, HONEYPOT: "x"},
    )
    assert _comparable(robot) == _comparable(new)
    # Each mailbox learns what happened to it, with its link.
    assert [m.template for m in await mails_to("nouvelle@exemple.fr")] == ["signup_waitlisted"]
    for known, said in (
        ("confirmee@exemple.fr", "qui y est déjà inscrite"),
        ("attente@exemple.fr", "qui est déjà sur sa liste d'attente"),
        ("annulee@exemple.fr", "a été annulée"),
    ):
        [mail] = await mails_to(known, "signup_link")
        assert said in mail.text_body, known
        assert "/inscription/" in mail.text_body


async def test_after_the_cutoff_the_family_page_gives_the_centre_phone(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(days_ahead=0.5)
    outcome = await register_family(settings=database, workshop_id=workshop.id, family=family())
    token = new_token()
    await Registration.filter(id=outcome.registration.id).update(token_hash=hash_token(token))
    session = await Session.get(workshop_id=workshop.id).prefetch_related("booking__room__site")
    await Organisation.filter(id=session.booking.room.site.organisation_id).update(
        phone="03 88 93 00 00"
    )
    page = await client.get(f"/inscription/{token}")
    assert "trop tard pour annuler en ligne" in page.text
    assert "03 88 93 00 00" in page.text
    assert "/annulation" not in page.text
    await client.post(f"/inscription/{token}/annulation")
    await outcome.registration.refresh_from_db()
    assert outcome.registration.status == "confirmed"


async def test_an_unknown_link_is_not_found(client: httpx.AsyncClient, database: Settings) -> None:
    assert (await client.get(f"/inscription/{new_token()}")).status_code == 404
    assert (await client.get("/inscription/court")).status_code == 404


async def test_a_draft_workshop_page_is_not_found(
    client: httpx.AsyncClient, database: Settings
) -> None:
    from workshops.planning.models import WorkshopStatus

    workshop = await make_workshop(status=WorkshopStatus.DRAFT)
    assert (await client.get(f"/ateliers/{workshop.id}")).status_code == 404


async def test_a_waiting_family_sees_its_position_and_leaves_the_list(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(capacity=1)
    await register_family(settings=database, workshop_id=workshop.id, family=family())
    waiting = await register_family(settings=database, workshop_id=workshop.id, family=family())
    token = new_token()
    await Registration.filter(id=waiting.registration.id).update(token_hash=hash_token(token))
    page = await client.get(f"/inscription/{token}")
    assert "liste d'attente, en position 1" in page.text
    assert "Quitter la liste d'attente" in page.text
    left = await client.post(f"/inscription/{token}/annulation")
    assert "Vous avez quitté la liste d'attente." in left.text
    await waiting.registration.refresh_from_db()
    assert waiting.registration.status == RegistrationStatus.CANCELLED


async def test_simultaneous_sign_ups_over_http_are_all_answered_and_each_mailbox_told(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(capacity=5)
    # More at once than one process works on: the others wait their turn, none is lost.
    answers = await asyncio.gather(
        *(
            client.post(
                f"/ateliers/{workshop.id}/inscription",
                data=_form(f"Parent {number}", f"rafale{number}@exemple.fr"),
            )
            for number in range(18)
        )
    )
    assert [answer.status_code for answer in answers] == [200] * 18
    assert len({answer.content for answer in answers}) == 1
    statuses = [r.status for r in await Registration.filter(workshop_id=workshop.id).order_by("id")]
    assert statuses == [RegistrationStatus.CONFIRMED] * 5 + [RegistrationStatus.WAITLISTED] * 13
    templates = sorted(m.template for m in await OutboxMessage.all())
    assert templates == ["signup_confirmed"] * 5 + ["signup_waitlisted"] * 13


async def test_other_children_fold_under_one_summary_until_one_of_them_is_filled(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(min_age_months=0, max_age_months=24)
    page = (await client.get(f"/ateliers/{workshop.id}")).text
    folded = re.search(r'<details class="more-children"( open)?>', page)
    assert folded is not None and folded.group(1) is None
    assert page.index('id="champ-child_1_month"') < folded.start()
    assert folded.start() < page.index('id="champ-child_2_month"') < page.index("</details>")
    assert "D'autres enfants viennent ?" in page

    # A second child with a month that is not one: the list opens on its error.
    data = {**_form("Léa", "lea@exemple.fr"), "child_2_month": "juin"}
    answer = await client.post(f"/ateliers/{workshop.id}/inscription", data=data)
    assert answer.status_code == 422
    assert '<details class="more-children" open>' in answer.text
    assert 'aria-describedby="aide-child_2_month erreur-child_2_month"' in answer.text
    assert "Année et mois, par exemple 2026-03." in page


async def test_the_workshop_page_says_how_places_are_counted_before_submitting(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(capacity=3)
    await register_family(
        settings=database,
        workshop_id=workshop.id,
        family=family(children=[Child(months_ago(3)), Child(months_ago(5))]),
    )
    page = (await client.get(f"/ateliers/{workshop.id}")).text
    assert "1 place restante" in page and "(une place par enfant)" in page
    assert "Il reste 1 place. Une inscription compte une place par enfant" in page
    assert "Si vous venez avec plus d'un enfant, vous serez inscrit(e) sur la liste d'attente" in (
        unescape(page)
    )
    catalogue = (await client.get("/")).text
    assert "(une place par enfant)" in catalogue


async def test_a_family_asking_more_places_than_left_is_told_why_it_waits(
    database: Settings,
) -> None:
    workshop = await make_workshop(capacity=2)
    await register_family(settings=database, workshop_id=workshop.id, family=family())
    twins = [Child(months_ago(3)), Child(months_ago(3))]
    outcome = await register_family(
        settings=database, workshop_id=workshop.id, family=family("deux@ex.fr", children=twins)
    )
    assert outcome.registration.status == RegistrationStatus.WAITLISTED
    [mail] = await mails_to("deux@ex.fr", "signup_waitlisted")
    text = " ".join(mail.text_body.split())
    assert "Il ne restait qu'une place à l'atelier « Massage bébé » pour les 2 places" in text
    assert "vous êtes sur la liste d'attente" in text

"""Facilitators plan workshops over HTTP; centre managers see counts, never families."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import httpx

from tests.factories import log_in, make_user
from tests.planning.factories import in_days, make_theme, make_workshop
from tests.rooms.factories import make_centre, make_person, make_room
from tests.signup.helpers import family, mails_to
from workshops.accounts.models import Organisation, Role
from workshops.kernel.settings import Settings
from workshops.planning.models import (
    EligibleCommune,
    Facilitation,
    Session,
    Workshop,
    WorkshopStatus,
)
from workshops.rooms.models import BookingStatus, RoomBooking
from workshops.signup.registering import register_family


async def _planner(client: httpx.AsyncClient, organisation: Organisation) -> int:
    user = await make_user(organisation, Role.FACILITATOR)
    await log_in(client, user.email)
    return user.id


async def _booking(organisation: Organisation, user_id: int, status: BookingStatus) -> RoomBooking:
    room = await make_room()
    start = in_days(12)
    return await RoomBooking.create(
        room_id=room.id,
        requested_by_id=user_id,
        organisation_id=organisation.id,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=status,
    )


async def test_a_facilitator_plans_a_workshop_and_publishes_it_once_the_room_is_confirmed(
    client: httpx.AsyncClient, database: Settings
) -> None:
    pmi = await make_person_organisation()
    user_id = await _planner(client, pmi)
    theme = await make_theme("Portage en écharpe")
    booking = await _booking(pmi, user_id, BookingStatus.PENDING)
    form = {
        "theme": str(theme.id),
        "title": "Portage pour les tout-petits",
        "capacity": "6",
        "min_age_months": "0",
        "max_age_months": "12",
        "communes": "Talant\nDaix : 2",
        "bookings": str(booking.id),
    }
    created = await client.post("/pro/ateliers/nouveau", data=form)
    assert created.status_code == 303, created.text
    workshop = await Workshop.get(title="Portage pour les tout-petits")
    assert workshop.status == WorkshopStatus.DRAFT

    refused = await client.post(f"/pro/ateliers/{workshop.id}/publication")
    assert refused.status_code == 422
    assert "salle confirmée" in refused.text

    await RoomBooking.filter(id=booking.id).update(status=BookingStatus.CONFIRMED)
    published = await client.post(f"/pro/ateliers/{workshop.id}/publication")
    assert published.status_code == 303
    assert (await client.get("/")).text.count("Portage pour les tout-petits") == 1


async def test_a_new_workshop_with_bad_values_comes_back_with_french_errors(
    client: httpx.AsyncClient, database: Settings
) -> None:
    pmi = await make_person_organisation()
    await _planner(client, pmi)
    response = await client.post(
        "/pro/ateliers/nouveau", data={"title": "Jeux", "capacity": "beaucoup"}
    )
    assert response.status_code == 422
    assert "Choisissez un type d&#39;atelier." in response.text
    assert 'value="Jeux"' in response.text


async def test_cancelling_a_session_tells_every_family_with_a_cancelled_calendar(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(sessions=2)
    [lead] = await Facilitation.filter(workshop_id=workshop.id).prefetch_related("user")
    await log_in(client, lead.user.email)
    for email in ("a@exemple.fr", "b@exemple.fr"):
        await register_family(settings=database, workshop_id=workshop.id, family=family(email))
    session = await Session.filter(workshop_id=workshop.id).order_by("starts_at").first()
    assert session is not None
    response = await client.post(
        f"/pro/seances/{session.id}/annulation", data={"message": "Salle inondée, désolés."}
    )
    assert response.status_code == 303
    for email in ("a@exemple.fr", "b@exemple.fr"):
        [mail] = await mails_to(email, "session_cancelled")
        assert "STATUS:CANCELLED" in mail.calendar
        assert "Salle inondée" in mail.text_body


async def test_a_room_cancelled_by_the_centre_is_flagged_on_the_workshop(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop()
    [lead] = await Facilitation.filter(workshop_id=workshop.id).prefetch_related("user")
    await log_in(client, lead.user.email)
    session = await Session.get(workshop_id=workshop.id)
    await RoomBooking.filter(id=session.booking_id).update(status=BookingStatus.CANCELLED)
    page = await client.get(f"/pro/ateliers/{workshop.id}")
    assert "Le centre a annulé la réservation de cette salle" in page.text
    listing = await client.get("/pro/ateliers")
    assert "Une salle n'est plus confirmée" in listing.text


async def test_a_centre_manager_sees_counts_of_workshops_in_its_rooms_not_the_families(
    client: httpx.AsyncClient, database: Settings
) -> None:
    centre = await make_centre()
    room = await make_room(centre)
    workshop = await make_workshop(room=room, title="Jeux d'éveil")
    await register_family(
        settings=database,
        workshop_id=workshop.id,
        family=family("famille.secrete@exemple.fr"),
    )
    manager = await make_person(centre, Role.CENTRE_MANAGER)
    await log_in(client, manager.user.email)
    listing = await client.get("/pro/ateliers")
    assert "Jeux d&#39;éveil" in listing.text
    assert "1 places sur 6 occupées" in listing.text
    page = await client.get(f"/pro/ateliers/{workshop.id}")
    assert page.status_code == 200
    assert "famille.secrete" not in page.text
    assert "/inscriptions" not in page.text
    registrations = await client.get(f"/pro/ateliers/{workshop.id}/inscriptions")
    assert registrations.status_code == 403
    export = await client.get(f"/pro/ateliers/{workshop.id}/inscriptions/export")
    assert export.status_code == 403


async def make_person_organisation() -> Organisation:
    from tests.factories import make_organisation

    return await make_organisation()


async def test_a_planner_raises_the_places_and_the_first_waiting_family_is_in(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(capacity=1)
    [lead] = await Facilitation.filter(workshop_id=workshop.id).prefetch_related("user")
    await log_in(client, lead.user.email)
    await register_family(settings=database, workshop_id=workshop.id, family=family())
    waiting = await register_family(
        settings=database, workshop_id=workshop.id, family=family("suivante@exemple.fr")
    )
    too_few = await client.post(f"/pro/ateliers/{workshop.id}/places", data={"capacity": "0"})
    assert too_few.status_code == 422
    raised = await client.post(f"/pro/ateliers/{workshop.id}/places", data={"capacity": "2"})
    assert raised.status_code == 303
    await waiting.registration.refresh_from_db()
    assert waiting.registration.status == "confirmed"
    assert len(await mails_to("suivante@exemple.fr", "signup_promoted")) == 1

    sessions = await client.get("/pro/ateliers/seances")
    assert workshop.title in sessions.text
    duplicate = await client.get(f"/pro/ateliers/{workshop.id}/duplication")
    assert duplicate.status_code == 200
    cancelled = await client.post(f"/pro/ateliers/{workshop.id}/annulation", data={"message": ""})
    assert cancelled.status_code == 422
    assert "Écrivez un message aux familles" in cancelled.text


async def test_a_planner_adds_a_session_in_another_booking(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop()
    [lead] = await Facilitation.filter(workshop_id=workshop.id).prefetch_related("user")
    await log_in(client, lead.user.email)
    organisation = await Organisation.get(id=workshop.organisation_id)
    booking = await _booking(organisation, lead.user.id, BookingStatus.CONFIRMED)
    page = await client.get(f"/pro/ateliers/{workshop.id}")
    assert f'name="bookings" value="{booking.id}"' in page.text
    added = await client.post(
        f"/pro/ateliers/{workshop.id}/seances", data={"bookings": str(booking.id)}
    )
    assert added.status_code == 303
    assert await Session.filter(workshop_id=workshop.id).count() == 2
    nothing = await client.post(f"/pro/ateliers/{workshop.id}/seances", data={})
    assert nothing.status_code == 422


async def test_a_planner_edits_the_text_and_communes_but_keeps_taken_quotas(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(communes=(("Talant", None), ("Daix", 3)))
    [lead] = await Facilitation.filter(workshop_id=workshop.id).prefetch_related("user")
    await log_in(client, lead.user.email)
    await register_family(settings=database, workshop_id=workshop.id, family=family(commune="Daix"))
    page = await client.get(f"/pro/ateliers/{workshop.id}/modification")
    assert page.status_code == 200
    assert "Talant (21)\nDaix (21) : 3" in page.text
    form = {
        "theme": str(workshop.theme_id),
        "title": "Massage bébé – nouvelle formule",
        "communes": "Talant\nFontaine-lès-Dijon : 2",
    }
    refused = await client.post(f"/pro/ateliers/{workshop.id}/modification", data=form)
    assert refused.status_code == 422
    assert "Daix : des familles de cette commune sont inscrites." in refused.text
    form["communes"] = "Talant\nDaix : 5\nFontaine-lès-Dijon : 2"
    saved = await client.post(f"/pro/ateliers/{workshop.id}/modification", data=form)
    assert saved.status_code == 303
    await workshop.refresh_from_db()
    assert workshop.title == "Massage bébé – nouvelle formule"
    assert workshop.capacity == 6
    quotas = {c.commune: (c.quota, c.places_taken) for c in await EligibleCommune.filter(
        workshop_id=workshop.id
    )}  # fmt: skip
    assert quotas == {"Talant": (None, 0), "Daix": (5, 1), "Fontaine-lès-Dijon": (2, 0)}
    rows = await EligibleCommune.filter(workshop_id=workshop.id).order_by("id")
    assert [row.commune_code for row in rows] == ["21617", "21223", "21278"]


async def test_eligible_communes_come_from_the_official_list(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop()
    [lead] = await Facilitation.filter(workshop_id=workshop.id).prefetch_related("user")
    await log_in(client, lead.user.email)
    form = {"theme": str(workshop.theme_id), "title": workshop.title, "capacity": "6"}
    url = f"/pro/ateliers/{workshop.id}/modification"
    unknown = await client.post(url, data={**form, "communes": "Atlantis"})
    assert unknown.status_code == 422
    assert "« Atlantis » n'est pas une commune de la liste officielle." in unescape(unknown.text)
    homonym = await client.post(url, data={**form, "communes": "Saint-Denis : 3"})
    assert homonym.status_code == 422
    assert "précisez le département, par exemple « Saint-Denis (974) »" in unescape(homonym.text)
    shared = await client.post(url, data={**form, "communes": "67500"})
    assert shared.status_code == 422  # the postal code of Haguenau and three other communes
    lines = "saint denis (93) : 3\nSCHWEIGHOUSE SUR MODER"
    saved = await client.post(url, data={**form, "communes": lines})
    assert saved.status_code == 303
    rows = await EligibleCommune.filter(workshop_id=workshop.id).order_by("id")
    assert [(row.commune_code, row.commune, row.quota) for row in rows] == [
        ("93066", "Saint-Denis", 3),
        ("67458", "Schweighouse-sur-Moder", None),
    ]


async def test_a_session_moved_to_another_room_updates_the_families_calendars(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop()
    [lead] = await Facilitation.filter(workshop_id=workshop.id).prefetch_related("user")
    await log_in(client, lead.user.email)
    await register_family(
        settings=database, workshop_id=workshop.id, family=family("lina@exemple.fr")
    )
    session = await Session.get(workshop_id=workshop.id)
    await RoomBooking.filter(id=session.booking_id).update(status=BookingStatus.CANCELLED)
    organisation = await Organisation.get(id=workshop.organisation_id)
    other_room = await _booking(organisation, lead.user.id, BookingStatus.CONFIRMED)
    moved = await client.post(
        f"/pro/seances/{session.id}/deplacement", data={"booking": str(other_room.id)}
    )
    assert moved.status_code == 303
    [mail] = await mails_to("lina@exemple.fr", "session_moved")
    assert f"UID:session-{session.id}@" in mail.calendar
    assert "SEQUENCE:1" in mail.calendar
    assert "METHOD:REQUEST" in mail.calendar
    page = await client.get(f"/pro/ateliers/{workshop.id}")
    assert "Le centre a annulé la réservation" not in page.text
    wrong = await client.post(f"/pro/seances/{session.id}/deplacement", data={"booking": "x"})
    assert wrong.status_code == 422


async def test_an_eligible_commune_is_added_from_the_official_list_with_the_autocomplete(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(communes=(("Talant", None),))
    [lead] = await Facilitation.filter(workshop_id=workshop.id).prefetch_related("user")
    await log_in(client, lead.user.email)
    url = f"/pro/ateliers/{workshop.id}/modification"
    page = await client.get(url)
    assert 'hx-get="/communes"' in page.text
    form = {"theme": str(workshop.theme_id), "title": workshop.title, "communes": "Talant"}
    # Without JavaScript: a name shared by homonyms comes back with the proposals to choose from.
    homonyms = await client.post(url, data={**form, "commune": "Saint-Denis", "ajout": "commune"})
    assert homonyms.status_code == 422
    assert "Plusieurs communes correspondent" in unescape(homonyms.text)
    assert 'name="commune_code" value="93066"' in homonyms.text
    chosen = {**form, "commune": "Saint-Denis", "commune_code": "93066", "ajout": "commune"}
    added = await client.post(url, data=chosen)
    assert added.status_code == 200
    assert "Talant\nSaint-Denis (93)</textarea>" in added.text
    assert await EligibleCommune.filter(workshop_id=workshop.id).count() == 1  # not saved yet
    abroad = await client.post(url, data={**chosen, "commune_code": "autre"})
    assert abroad.status_code == 422
    assert "Choisissez une commune de la liste officielle." in abroad.text
    saved = await client.post(url, data={**form, "communes": "Talant\nSaint-Denis (93)"})
    assert saved.status_code == 303
    rows = await EligibleCommune.filter(workshop_id=workshop.id).order_by("id")
    assert [row.commune_code for row in rows] == ["21617", "93066"]

"""A family's form in error says so first: in the title, in a summary that takes the focus, and at
each field, marked invalid; the staff's phone registration offers none of the staff's details."""

from __future__ import annotations

import httpx

from tests.factories import log_in
from tests.form_markup import (
    by_id,
    described_by,
    label_of,
    parse,
    summary_targets,
    text_of,
    title_of,
)
from tests.planning.factories import make_workshop
from tests.signup.helpers import family
from workshops.kernel.settings import Settings
from workshops.planning.models import Facilitation
from workshops.signup.registering import register_family


async def test_an_empty_sign_up_comes_back_with_the_errors_first_and_every_field_marked(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(title="Massage bébé")
    blank = parse((await client.get(f"/ateliers/{workshop.id}")).text)
    assert title_of(blank).startswith("Massage bébé, ")
    [action] = [
        form.get("action", "")
        for form in blank.iter("form")
        if "/inscription" in form.get("action", "")
    ]
    # No fragment in the action: a fragment would keep the browser from focusing the summary.
    assert action == f"/ateliers/{workshop.id}/inscription"

    refused = await client.post(
        f"/ateliers/{workshop.id}/inscription", data={"email": "pas-une-adresse"}
    )

    assert refused.status_code == 422
    page = parse(refused.text)
    assert title_of(page).startswith("Erreur : Massage bébé, ")
    summary = by_id(page, "erreurs")
    assert summary.get("autofocus") is not None
    targets = summary_targets(page)
    assert [target.get("id") for target in targets] == [
        "champ-parent_name",
        "champ-email",
        "champ-commune",
        "champ-child_1_month",
    ]
    for target in targets:
        assert target.get("aria-invalid") == "true", target.get("id")
        assert target.get("required") is not None, target.get("id")
        assert label_of(page, target).endswith("(obligatoire)"), target.get("id")
    assert described_by(page, targets[0]).endswith("Indiquez votre nom.")
    assert label_of(page, targets[3]) == (
        "Mois de naissance de l'enfant 1 (réel ou prévu) (obligatoire)"
    )
    marked = [element.get("id") for element in page.iter() if element.get("aria-invalid")]
    assert marked == [target.get("id") for target in targets]


async def test_the_phone_registration_offers_none_of_the_staff_member_s_own_details(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop()
    [lead] = await Facilitation.filter(workshop_id=workshop.id).prefetch_related("user")
    await log_in(client, lead.user.email)
    page = parse((await client.get(f"/pro/ateliers/{workshop.id}/inscriptions")).text)
    for name in ("parent_name", "email", "phone", "commune"):
        assert by_id(page, f"champ-{name}").get("autocomplete") == "off", name
    public = parse((await client.get(f"/ateliers/{workshop.id}")).text)
    assert by_id(public, "champ-parent_name").get("autocomplete") == "name"
    assert by_id(public, "champ-email").get("autocomplete") == "email"


async def test_each_family_s_buttons_on_the_staff_list_are_named_with_the_family(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(capacity=1)
    for _ in range(3):  # one confirmed, two waiting
        await register_family(settings=database, workshop_id=workshop.id, family=family())
    [lead] = await Facilitation.filter(workshop_id=workshop.id).prefetch_related("user")
    await log_in(client, lead.user.email)
    page = parse((await client.get(f"/pro/ateliers/{workshop.id}/inscriptions")).text)
    names = [
        text_of(button)
        for button in page.iter("button")
        if text_of(button).startswith(("Annuler pour la famille", "Inscrire hors tour"))
    ]
    assert len(names) == 5
    assert len(set(names)) == 5
    assert all("Parent " in name for name in names)

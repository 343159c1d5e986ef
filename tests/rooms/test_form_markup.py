"""A place's forms: its address is never autofilled with the member's own, its fields in error are
marked, and each room's form is named after its room and place."""

from __future__ import annotations

import httpx

from tests.factories import log_in
from tests.form_markup import by_id, parse, summary_targets, title_of
from tests.rooms.factories import make_centre, make_person, make_room
from workshops.accounts.models import Role
from workshops.kernel.settings import Settings


async def test_a_new_place_in_error_is_marked_and_offers_no_autofill(
    client: httpx.AsyncClient, database: Settings
) -> None:
    manager = await make_person(await make_centre(name="Centre Schuman"), Role.CENTRE_MANAGER)
    await log_in(client, manager.user.email)

    refused = await client.post("/pro/lieux", data={"organisation": str(manager.organisation.id)})

    assert refused.status_code == 422
    page = parse(refused.text)
    assert title_of(page).startswith("Erreur : ")
    for target in summary_targets(page):
        assert target.get("aria-invalid") == "true", target.get("id")
        assert target.get("required") is not None, target.get("id")
    for name in ("address", "postcode", "commune"):
        assert by_id(page, f"champ-{name}").get("autocomplete") == "off", name


async def test_each_room_s_edit_form_is_named_after_the_room_and_its_place(
    client: httpx.AsyncClient, database: Settings
) -> None:
    centre = await make_centre(name="Centre Schuman")
    manager = await make_person(centre, Role.CENTRE_MANAGER)
    small = await make_room(centre, name="Petite salle")
    large = await make_room(centre, name="Grande salle")
    await log_in(client, manager.user.email)

    titles = [
        title_of(parse((await client.get(f"/pro/salles/{room.id}/modifier")).text))
        for room in (small, large)
    ]

    assert titles == [
        "Modifier la salle : Petite salle, Lieu de Centre Schuman · Ateliers parents-enfants",
        "Modifier la salle : Grande salle, Lieu de Centre Schuman · Ateliers parents-enfants",
    ]

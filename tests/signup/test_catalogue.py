"""The public catalogue: only what families may sign up for, filtered, with places shown."""

from __future__ import annotations

import httpx

from tests.planning.factories import make_theme, make_workshop
from tests.rooms.factories import make_room
from workshops.planning.models import Workshop, WorkshopStatus
from workshops.rooms.models import BookingStatus
from workshops.settings import Settings


async def test_families_see_published_workshops_with_confirmed_rooms_only(
    client: httpx.AsyncClient, database: Settings
) -> None:
    await make_workshop(title="Massage bébé à Haguenau")
    await make_workshop(title="Brouillon secret", status=WorkshopStatus.DRAFT)
    await make_workshop(title="Salle pas confirmée", booking_status=BookingStatus.PENDING)
    await make_workshop(title="Déjà commencé", days_ahead=-1)
    response = await client.get("/")
    assert response.status_code == 200
    assert "Massage bébé à Haguenau" in response.text
    for hidden in ("Brouillon secret", "Salle pas confirmée", "Déjà commencé"):
        assert hidden not in response.text
    assert "1 atelier à venir" in response.text


async def test_places_left_and_full_workshops_are_shown_and_can_be_hidden(
    client: httpx.AsyncClient, database: Settings
) -> None:
    open_one = await make_workshop(title="Atelier jeux", capacity=5)
    await Workshop.filter(id=open_one.id).update(places_taken=2)
    full = await make_workshop(title="Atelier complet", capacity=4)
    await Workshop.filter(id=full.id).update(places_taken=4)
    everything = await client.get("/")
    assert "3 places restantes" in everything.text
    assert "complet – liste d'attente" in everything.text
    with_places = await client.get("/", params={"places": "oui"})
    assert "Atelier jeux" in with_places.text
    assert "Atelier complet" not in with_places.text


async def test_filters_by_commune_age_and_expecting(
    client: httpx.AsyncClient, database: Settings
) -> None:
    await make_workshop(
        title="Massage à Daix", room=await make_room(commune="Daix"), min_age_months=1,
        max_age_months=6,
    )  # fmt: skip
    await make_workshop(title="Préparer la naissance", prenatal=True)
    daix = await client.get("/", params={"commune": "Daix"})
    assert "Massage à Daix" in daix.text
    assert "Préparer la naissance" not in daix.text
    expecting = await client.get("/", params={"age": "attente"})
    assert "Préparer la naissance" in expecting.text
    assert "Massage à Daix" not in expecting.text
    too_old = await client.get("/", params={"age": "12"})
    assert "Massage à Daix" not in too_old.text
    assert "Aucun atelier ne correspond" in too_old.text


async def test_htmx_gets_only_the_results_and_bad_filters_never_fail(
    client: httpx.AsyncClient, database: Settings
) -> None:
    await make_workshop(title="Motricité libre")
    await make_theme("Jeux")
    fragment = await client.get("/", headers={"hx-request": "true"})
    assert "Motricité libre" in fragment.text
    assert "<html" not in fragment.text
    bad = await client.get("/", params={"du": "demain", "age": "-3", "theme": "x", "page": "99"})
    assert bad.status_code == 422
    assert "Indiquez une date valide" in bad.text


async def test_the_catalogue_is_paginated(client: httpx.AsyncClient, database: Settings) -> None:
    for number in range(12):
        await make_workshop(title=f"Atelier numéro {number:02d}", days_ahead=5 + number)
    first = await client.get("/")
    assert "Atelier numéro 00" in first.text
    assert "Atelier numéro 11" not in first.text
    second = await client.get("/", params={"page": "2"})
    assert "Atelier numéro 11" in second.text

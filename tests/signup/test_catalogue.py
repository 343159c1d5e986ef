"""The public catalogue: only what families may sign up for, filtered, with places shown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.clock import PARIS
from tests.factories import log_in, make_organisation, make_user
from tests.planning.factories import make_theme, make_workshop
from tests.rooms.factories import make_room
from workshops.kernel.clock import local_today, utc_now
from workshops.kernel.settings import Settings
from workshops.planning.models import Session, Workshop, WorkshopStatus
from workshops.rooms.models import BookingStatus, RoomBooking
from workshops.signup.pages.catalogue import written_pages


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
    # The filter keeps the focus; the number found is read once by the live region.
    assert '<span hidden data-announce="1 atelier correspond"></span>' in fragment.text
    assert "data-focus" not in fragment.text
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


async def test_filters_by_centre_and_theme_and_lists_the_choices(
    client: httpx.AsyncClient, database: Settings
) -> None:
    bischwiller = await make_room(commune="Bischwiller")
    await make_workshop(title="Portage à Bischwiller", room=bischwiller)
    await make_workshop(title="Massage à Haguenau", room=await make_room(commune="Haguenau"))
    page = await client.get("/")
    # The form offers the centres and communes having a site, the themes by name.
    assert ">Bischwiller</option>" in page.text and ">Haguenau</option>" in page.text
    by_centre = await client.get("/", params={"centre": str(bischwiller.site.organisation_id)})
    assert "Portage à Bischwiller" in by_centre.text
    assert "Massage à Haguenau" not in by_centre.text
    portage = await make_theme("Portage")
    await Workshop.filter(title="Portage à Bischwiller").update(theme_id=portage.id)
    by_theme = await client.get("/", params={"theme": str(portage.id)})
    assert "Portage à Bischwiller" in by_theme.text
    assert "Massage à Haguenau" not in by_theme.text
    assert f'<option value="{portage.id}"' in by_theme.text


async def test_date_filters_use_the_families_day_and_the_first_session(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(title="Atelier de minuit et demie", sessions=2)
    # The first session at 00:30 in Paris on a winter day is 23:30 UTC the day before: on
    # 15 January next year, always ahead and in winter time, whatever today is.
    year = local_today(PARIS).year + 1
    first = datetime(year, 1, 14, 23, 30, tzinfo=UTC)
    sessions = await Session.filter(workshop_id=workshop.id).order_by("starts_at")
    for number, session in enumerate(sessions):
        starts_at = first + timedelta(days=7 * number)
        await Session.filter(id=session.id).update(
            starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)
        )
        await RoomBooking.filter(id=session.booking_id).update(
            starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)
        )
    title = "Atelier de minuit et demie"
    assert title in (await client.get("/", params={"du": f"{year}-01-15"})).text
    assert title in (await client.get("/", params={"au": f"{year}-01-15"})).text
    assert title not in (await client.get("/", params={"au": f"{year}-01-14"})).text
    # Only the first session counts: the second one (22 January) does not make it match.
    assert title not in (await client.get("/", params={"du": f"{year}-01-16"})).text


async def test_cancelled_sessions_do_not_count_and_a_page_past_the_end_keeps_the_total(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(title="Atelier sauvé", sessions=2)
    sessions = await Session.filter(workshop_id=workshop.id).order_by("starts_at")
    # Its first date lost its room, and was cancelled: the workshop goes on from the second.
    await RoomBooking.filter(id=sessions[0].booking_id).update(status=BookingStatus.CANCELLED)
    hidden = await client.get("/")
    assert "Atelier sauvé" not in hidden.text
    await Session.filter(id=sessions[0].id).update(cancelled_at=utc_now())
    shown = await client.get("/")
    assert "Atelier sauvé" in shown.text
    assert "1 séance," in shown.text
    beyond = await client.get("/", params={"page": "5"})
    assert "1 atelier à venir" in beyond.text
    assert "Atelier sauvé" not in beyond.text


async def test_a_page_written_before_is_sent_again_only_while_nothing_changed(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(title="Atelier très demandé", capacity=5)
    first = await client.get("/")
    assert "5 places restantes" in first.text
    again = await client.get("/")
    assert again.text == first.text
    assert len(written_pages.pages) >= 1, "the page was not kept"
    # A family took a place: the next visitor sees it at once, never the page kept before.
    await Workshop.filter(id=workshop.id).update(places_taken=1)
    assert "4 places restantes" in (await client.get("/")).text
    # A signed-in member of staff sees their own header, not the visitors' page.
    user = await make_user(await make_organisation(), full_name="Camille Durand")
    await log_in(client, user.email)
    assert "Camille Durand" in (await client.get("/")).text


async def test_a_nul_character_in_the_filters_is_dropped_not_a_server_error(
    client: httpx.AsyncClient, database: Settings
) -> None:
    await make_workshop(title="Massage à Daix", room=await make_room(commune="Daix"))
    # PostgreSQL refuses NUL in text: it never reaches a statement.
    response = await client.get("/?commune=Da%00ix&theme=%00")
    assert response.status_code == 200
    assert "Massage à Daix" in response.text

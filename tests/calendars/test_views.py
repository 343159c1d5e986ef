"""Calendar feeds over HTTP: the public feed, secret addresses and their renewal."""

from __future__ import annotations

import html
import re

import httpx
import icalendar
import vobject

from tests.factories import log_in, make_organisation, make_user
from workshops.accounts.models import OrganisationKind, Role
from workshops.audit.models import AuditEvent
from workshops.calendars.models import CalendarFeed
from workshops.kernel.settings import Settings

FEED_ADDRESS = re.compile(r"http://127\.0\.0\.1:8000(/agendas/[A-Za-z0-9_-]+\.ics)")


def _feed_paths(page: str) -> list[str]:
    return FEED_ADDRESS.findall(page)


async def test_the_public_feed_is_a_calendar_both_parsers_read(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/ateliers.ics")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Ateliers parents-enfants"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Paris"]
    assert vobject.readOne(response.text).name == "VCALENDAR"


async def test_the_public_feed_of_one_centre_is_named_after_it(
    client: httpx.AsyncClient, database: Settings
) -> None:
    centre = await make_organisation(OrganisationKind.CENTRE, name="Espace familles")

    response = await client.get(f"/ateliers.ics?centre={centre.id}")

    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Ateliers parents-enfants – Espace familles"


async def test_a_bad_or_unknown_centre_gets_a_french_error_not_a_crash(
    client: httpx.AsyncClient, database: Settings
) -> None:
    pmi = await make_organisation(OrganisationKind.PMI)

    malformed = await client.get("/ateliers.ics?centre=abc")
    huge = await client.get("/ateliers.ics?centre=" + "9" * 40)
    unknown = await client.get("/ateliers.ics?centre=999999")
    not_a_centre = await client.get(f"/ateliers.ics?centre={pmi.id}")

    assert malformed.status_code == 400
    assert "Le centre demandé n'est pas un numéro valide." in html.unescape(malformed.text)
    assert huge.status_code == 400
    assert unknown.status_code == 404
    assert not_a_centre.status_code == 404
    assert "Page introuvable" in unknown.text


async def test_a_facilitator_creates_a_secret_feed_then_renews_it_and_the_old_one_ends(
    client: httpx.AsyncClient, database: Settings
) -> None:
    pmi = await make_organisation(OrganisationKind.PMI)
    user = await make_user(pmi, Role.FACILITATOR, full_name="Sophie Keller")
    await log_in(client, user.email)

    created = await client.post("/pro/profil/agenda")
    assert created.status_code == 303
    profile = await client.get("/pro/profil")
    [first] = _feed_paths(profile.text)
    feed = await client.get(first)
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert feed.headers["x-robots-tag"] == "noindex, nofollow"
    assert "X-WR-CALNAME:Mes ateliers – Sophie Keller" in feed.text

    await client.post("/pro/profil/agenda")
    renewed = await client.get("/pro/profil?agenda=nouveau")
    [second] = _feed_paths(renewed.text)
    assert "L'ancienne ne fonctionne plus" in html.unescape(renewed.text)
    assert second != first
    assert (await client.get(first)).status_code == 404
    assert (await client.get(second)).status_code == 200
    assert await CalendarFeed.filter(user_id=user.id).count() == 1
    assert len(second.removeprefix("/agendas/").removesuffix(".ics")) >= 22  # >= 128 bits
    assert await AuditEvent.filter(action="calendar_feed.renewed").count() == 2


async def test_a_made_up_feed_address_is_not_found(client: httpx.AsyncClient) -> None:
    assert (await client.get("/agendas/" + "A" * 43 + ".ics")).status_code == 404
    assert (await client.get("/agendas/court.ics")).status_code == 404


async def test_a_centre_manager_manages_the_feed_of_the_centre_bookings(
    client: httpx.AsyncClient, database: Settings
) -> None:
    centre = await make_organisation(OrganisationKind.CENTRE, name="CSC Schuman")
    manager = await make_user(centre, Role.CENTRE_MANAGER)
    await log_in(client, manager.email)

    profile = await client.get("/pro/profil")
    assert "Mes séances d'ateliers" not in html.unescape(profile.text)
    assert "Agendas à suivre dans votre calendrier" in profile.text
    assert "Réservations de salles : CSC Schuman" in profile.text

    response = await client.post(f"/pro/profil/agenda/{centre.id}")
    assert response.status_code == 303
    [path] = _feed_paths((await client.get("/pro/profil")).text)
    feed = await client.get(path)
    assert "X-WR-CALNAME:Réservations – CSC Schuman" in feed.text


async def test_a_facilitator_may_not_renew_the_feed_of_another_organisation(
    client: httpx.AsyncClient, database: Settings
) -> None:
    pmi = await make_organisation(OrganisationKind.PMI)
    centre = await make_organisation(OrganisationKind.CENTRE)
    facilitator = await make_user(pmi, Role.FACILITATOR)
    await log_in(client, facilitator.email)

    own = await client.post(f"/pro/profil/agenda/{pmi.id}")
    other = await client.post(f"/pro/profil/agenda/{centre.id}")

    assert own.status_code == 403
    assert other.status_code == 403
    assert await CalendarFeed.all().count() == 0


async def test_only_people_who_lead_sessions_get_a_personal_feed(
    client: httpx.AsyncClient, database: Settings
) -> None:
    manager = await make_user(await make_organisation(OrganisationKind.CENTRE), Role.CENTRE_MANAGER)
    await log_in(client, manager.email)

    assert (await client.post("/pro/profil/agenda")).status_code == 403
    assert await CalendarFeed.all().count() == 0


async def test_an_administrator_does_not_renew_the_feeds_of_organisations(
    client: httpx.AsyncClient, database: Settings
) -> None:
    pmi = await make_organisation(OrganisationKind.PMI)
    centre = await make_organisation(OrganisationKind.CENTRE)
    admin = await make_user(pmi, Role.ADMIN)
    await log_in(client, admin.email)

    for organisation_id in (pmi.id, centre.id, 999999):
        response = await client.post(f"/pro/profil/agenda/{organisation_id}")
        assert response.status_code == 403
    assert await CalendarFeed.all().count() == 0

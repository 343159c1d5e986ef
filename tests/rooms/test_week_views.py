"""Week views of a room, a site and a facilitator: what is offered, closed, asked and booked."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from tests.clock import PARIS
from tests.factories import log_in, make_organisation
from tests.rooms.factories import make_centre, make_person, make_room, offer
from workshops.accounts.models import Role
from workshops.kernel.clock import local_today
from workshops.kernel.i18n import format_day
from workshops.kernel.settings import Settings
from workshops.rooms.availability import Slot
from workshops.rooms.booking import decline_booking
from workshops.rooms.requesting import request_booking

HX = {"HX-Request": "true"}


def _monday_in(weeks: int) -> date:
    today = local_today(PARIS)
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)


async def test_the_site_week_moves_to_the_next_week_with_htmx_or_a_plain_link(
    client: httpx.AsyncClient, database: Settings
) -> None:
    centre = await make_centre()
    small = await make_room(centre, name="Salle petite enfance")
    await make_room(centre, name="Salle polyvalente")
    await offer(
        small, valid_from=(today := local_today(PARIS)), valid_until=today + timedelta(days=60)
    )
    manager = await make_person(centre, Role.CENTRE_MANAGER)
    await log_in(client, manager.user.email)
    monday = _monday_in(1)
    page = await client.get(
        f"/pro/lieux/{small.site.id}/semaine", params={"semaine": monday.isoformat()}
    )
    assert page.status_code == 200
    assert (
        "<h4>Salle petite enfance</h4>" in page.text and "<h4>Salle polyvalente</h4>" in page.text
    )
    following = (monday + timedelta(weeks=1)).isoformat()
    assert f'href="?semaine={following}"' in page.text
    assert f' data-hx-get="/pro/lieux/{small.site.id}/semaine?semaine={following}"' in page.text
    fragment = await client.get(
        f"/pro/lieux/{small.site.id}/semaine", params={"semaine": following}, headers=HX
    )
    assert "<html" not in fragment.text
    # The title and the announcement say which week is shown now.
    week = f"Semaine du {format_day(monday + timedelta(weeks=1))}"
    assert fragment.text.startswith(f"<head><title>{week} · {small.site.name} · ")
    assert f'<h2 id="titre-semaine" data-announce="">{week}</h2>' in fragment.text
    assert "Proposée</strong> 09:00–12:00" in fragment.text
    restored = await client.get(
        f"/pro/lieux/{small.site.id}/semaine",
        params={"semaine": following},
        headers={**HX, "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restored.text


async def test_a_facilitator_sees_their_own_week(
    client: httpx.AsyncClient, database: Settings
) -> None:
    room = await make_room(name="Salle polyvalente")
    monday = _monday_in(1)
    await offer(room, valid_from=monday, valid_until=monday + timedelta(days=30))
    facilitator = await make_person(await make_organisation(), Role.FACILITATOR)
    other = await make_person(await make_organisation(), Role.FACILITATOR)
    for person in (facilitator, other):
        await request_booking(
            actor=person.actor,
            room=room,
            slot=Slot(monday + timedelta(days=1), 10 * 60, 11 * 60),
            message="",
            organisation_id=person.organisation.id,
            settings=database,
        )
    manager = await make_person(room.site.organisation, Role.CENTRE_MANAGER)
    [declined] = await request_booking(
        actor=facilitator.actor,
        room=room,
        slot=Slot(monday + timedelta(days=1), 11 * 60, 12 * 60),
        message="",
        organisation_id=facilitator.organisation.id,
        settings=database,
    )
    await decline_booking(
        settings=database, actor=manager.actor, booking=declined, reason="Salle en travaux"
    )
    await log_in(client, facilitator.user.email)
    page = await client.get("/pro/reservations/semaine", params={"semaine": monday.isoformat()})
    assert page.text.count("Demande en attente</strong> 10:00–11:00") == 1
    assert "Salle polyvalente · Lieu de" in page.text
    assert "Demande refusée</strong> 11:00–12:00" in page.text
    assert "Salle en travaux" in page.text

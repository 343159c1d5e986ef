"""Room bookings in the private feeds: each feed shows its owner's bookings and nobody else's."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import timedelta

import httpx
import icalendar

from tests.factories import log_in, make_organisation
from tests.rooms.factories import (
    MORNING,
    NOW,
    Person,
    ask,
    make_centre,
    make_person,
    make_room,
    offer,
)
from workshops.accounts.models import OrganisationKind, Role
from workshops.calendars import feeds
from workshops.calendars.models import CalendarFeed
from workshops.kernel.settings import Settings
from workshops.rooms.availability import Slot
from workshops.rooms.booking import cancel_booking, confirm_booking, decline_booking
from workshops.rooms.models import Room, RoomBooking

ROOM_FEED = re.compile(r'id="agenda-salle" type="text" readonly value="[^"]*(/agendas/[^"]+)"')


@dataclass
class World:
    centre_manager: Person
    other_manager: Person
    facilitator: Person
    colleague: Person
    stranger: Person
    room: Room
    other_room_same_centre: Room
    foreign_room: Room
    held: RoomBooking
    cancelled: RoomBooking
    foreign: RoomBooking


def _week(weeks: int) -> Slot:
    return Slot(MORNING.day + timedelta(weeks=weeks), MORNING.start_minute, MORNING.end_minute)


async def _confirmed(
    room: Room, person: Person, manager: Person, settings: Settings
) -> RoomBooking:
    [booking] = await ask(room, person, settings=settings)
    await confirm_booking(actor=manager.actor, booking=booking, settings=settings, now=NOW)
    return await RoomBooking.get(id=booking.id)


async def _world(settings: Settings) -> World:
    """Two centres, two PMI services; bookings held, cancelled, pending and declined."""
    centre = await make_centre("Centre Schuman")
    room, other_room = await make_room(centre), await make_room(centre, name="Salle polyvalente")
    foreign_room = await make_room(await make_centre("Centre Étranger"))
    for each in (room, other_room, foreign_room):
        await offer(each)
    manager = await make_person(centre, Role.CENTRE_MANAGER)
    other_manager = await make_person(foreign_room.site.organisation, Role.CENTRE_MANAGER)
    pmi = await make_organisation(OrganisationKind.PMI, name="PMI Nord")
    facilitator = await make_person(pmi, Role.FACILITATOR)
    colleague = await make_person(pmi, Role.FACILITATOR)
    stranger = await make_person(
        await make_organisation(OrganisationKind.PMI, name="PMI Sud"), Role.FACILITATOR
    )
    held = await _confirmed(room, facilitator, manager, settings)
    cancelled = await _confirmed(other_room, colleague, manager, settings)
    await cancel_booking(
        actor=manager.actor,
        booking=cancelled,
        reason="Dégât des eaux",
        by_centre=True,
        settings=settings,
        now=NOW,
    )
    foreign = await _confirmed(foreign_room, stranger, other_manager, settings)
    await ask(room, facilitator, slot=_week(1), settings=settings)  # still pending
    [declined] = await ask(room, facilitator, slot=_week(2), settings=settings)
    await decline_booking(
        actor=manager.actor, booking=declined, reason="Complet", settings=settings, now=NOW
    )
    return World(
        centre_manager=manager,
        other_manager=other_manager,
        facilitator=facilitator,
        colleague=colleague,
        stranger=stranger,
        room=room,
        other_room_same_centre=other_room,
        foreign_room=foreign_room,
        held=held,
        cancelled=await RoomBooking.get(id=cancelled.id),
        foreign=foreign,
    )


async def _events(client: httpx.AsyncClient, feed: CalendarFeed) -> dict[int, icalendar.Component]:
    """The events of a feed by booking id, read back from what the address answers."""
    response = await client.get(f"/agendas/{feed.token}.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    found = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"])
        assert uid.startswith("reservation-salle-")
        found[int(uid.removeprefix("reservation-salle-").partition("@")[0])] = event
    return found


async def test_a_centre_feed_holds_the_bookings_of_its_rooms_and_cancellations_as_cancelled(
    client: httpx.AsyncClient, database: Settings
) -> None:
    world = await _world(database)
    feed = await feeds.regenerate_organisation_feed(
        actor=world.centre_manager.actor, organisation_id=world.room.site.organisation_id
    )

    events = await _events(client, feed)

    assert set(events) == {world.held.id, world.cancelled.id}
    held, cancelled = events[world.held.id], events[world.cancelled.id]
    assert (str(held["STATUS"]), held["SEQUENCE"]) == ("CONFIRMED", 1)
    assert (str(cancelled["STATUS"]), cancelled["SEQUENCE"]) == ("CANCELLED", 2)
    assert "Dégât des eaux" in str(cancelled["DESCRIPTION"])
    assert str(held["URL"]) == f"{database.base_url}/pro/reservations/{world.held.id}"
    assert "1 rue de la Paix" in str(held["LOCATION"])


async def test_a_pmi_feed_holds_the_bookings_its_members_asked_for_and_no_other_service(
    client: httpx.AsyncClient, database: Settings
) -> None:
    world = await _world(database)
    ours = await feeds.regenerate_organisation_feed(
        actor=world.facilitator.actor, organisation_id=world.facilitator.organisation.id
    )
    theirs = await feeds.regenerate_organisation_feed(
        actor=world.stranger.actor, organisation_id=world.stranger.organisation.id
    )

    assert set(await _events(client, ours)) == {world.held.id, world.cancelled.id}
    assert set(await _events(client, theirs)) == {world.foreign.id}


async def test_a_facilitator_feed_holds_the_rooms_they_asked_for_not_their_colleagues(
    client: httpx.AsyncClient, database: Settings
) -> None:
    world = await _world(database)
    mine = await feeds.regenerate_personal_feed(actor=world.facilitator.actor)
    colleague = await feeds.regenerate_personal_feed(actor=world.colleague.actor)

    assert set(await _events(client, mine)) == {world.held.id}
    assert set(await _events(client, colleague)) == {world.cancelled.id}


async def test_a_room_feed_holds_that_room_only(
    client: httpx.AsyncClient, database: Settings
) -> None:
    world = await _world(database)
    room_feed = await feeds.regenerate_room_feed(actor=world.centre_manager.actor, room=world.room)
    other_room_feed = await feeds.regenerate_room_feed(
        actor=world.centre_manager.actor, room=world.other_room_same_centre
    )

    response = await client.get(f"/agendas/{room_feed.token}.ics")
    name = str(icalendar.Calendar.from_ical(response.content)["X-WR-CALNAME"])
    assert name == f"Réservations – {world.room.name} ({world.room.site.name})"
    assert set(await _events(client, room_feed)) == {world.held.id}
    assert set(await _events(client, other_room_feed)) == {world.cancelled.id}


async def test_a_centre_manager_renews_the_room_feed_and_the_old_address_ends(
    client: httpx.AsyncClient, database: Settings
) -> None:
    world = await _world(database)
    await log_in(client, world.centre_manager.user.email)
    page = await client.get(f"/pro/salles/{world.room.id}")
    assert "Créer l'adresse de l'agenda de la salle" in html.unescape(page.text)
    assert ROOM_FEED.search(page.text) is None

    created = await client.post(f"/pro/salles/{world.room.id}/agenda")
    assert created.status_code == 303
    first_page = await client.get(created.headers["location"])
    first = ROOM_FEED.search(first_page.text)
    assert first is not None
    assert (await client.get(first.group(1))).status_code == 200

    await client.post(f"/pro/salles/{world.room.id}/agenda")
    renewed = await client.get(f"/pro/salles/{world.room.id}?agenda=nouveau")
    second = ROOM_FEED.search(renewed.text)
    assert second is not None and second.group(1) != first.group(1)
    assert "L'ancienne ne fonctionne plus" in html.unescape(renewed.text)
    assert (await client.get(first.group(1))).status_code == 404
    assert (await client.get(second.group(1))).status_code == 200
    assert await CalendarFeed.filter(room_id=world.room.id).count() == 1


async def test_the_manager_of_another_centre_cannot_renew_a_room_feed(
    client: httpx.AsyncClient, database: Settings
) -> None:
    world = await _world(database)
    feed = await feeds.regenerate_room_feed(actor=world.centre_manager.actor, room=world.room)
    await log_in(client, world.other_manager.user.email)

    refused = await client.post(f"/pro/salles/{world.room.id}/agenda")

    assert refused.status_code == 403
    assert (await CalendarFeed.get(room_id=world.room.id)).token == feed.token

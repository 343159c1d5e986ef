"""Offered windows in local time, closures and bookings: when a room is free (DESIGN rule 5)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.factories import make_organisation, make_user
from tests.rooms.factories import ZONE, make_centre, make_room, offer
from workshops.kernel.settings import Settings
from workshops.rooms.availability import SearchCriteria, Slot, find_free_rooms, load_calendar
from workshops.rooms.models import BookingStatus, Closure, RoomBooking

NOW = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
# Paris changes its clocks on Sunday 28 March and Sunday 31 October 2027.
AROUND_THE_CHANGES = [
    (date(2027, 3, 23), 8),  # winter: UTC+1
    (date(2027, 3, 30), 7),  # summer: UTC+2
    (date(2027, 10, 26), 7),  # still summer
    (date(2027, 11, 2), 8),  # winter again
]


async def test_a_9_to_12_window_stays_9_to_12_local_time_across_both_clock_changes(
    database: Settings,
) -> None:
    room = await make_room()
    await offer(room, start="09:00", end="12:00", valid_from=date(2027, 1, 1))
    calendar = await load_calendar(room, date(2027, 3, 1), date(2027, 11, 30), ZONE)
    for day, utc_hour in AROUND_THE_CHANGES:
        morning = Slot(day, 9 * 60, 12 * 60)
        assert calendar.problem(morning, ZONE, NOW) is None, day
        starts_at, ends_at = morning.bounds(ZONE)
        assert starts_at == datetime(day.year, day.month, day.day, utc_hour, tzinfo=UTC)
        assert (starts_at.astimezone(ZONE).hour, ends_at.astimezone(ZONE).hour) == (9, 12)
        one_hour_late = Slot(day, 10 * 60, 13 * 60)
        assert calendar.problem(one_hour_late, ZONE, NOW) is not None, day


async def test_search_finds_only_rooms_offered_open_and_not_booked(database: Settings) -> None:
    haguenau = await make_centre(commune="Haguenau")
    free = await make_room(haguenau, name="Salle petite enfance", capacity=12)
    booked = await make_room(haguenau, name="Salle polyvalente", capacity=20)
    closed = await make_room(await make_centre(), name="Salle fermée")
    small = await make_room(haguenau, name="Bureau", capacity=4)
    elsewhere = await make_room(
        await make_centre(commune="Schweighouse-sur-Moder"), commune="Schweighouse-sur-Moder"
    )
    for room in (free, booked, closed, small, elsewhere):
        await offer(room)
    day = date(2027, 3, 30)
    await Closure.create(site_id=closed.site.id, starts_on=day, ends_on=day, reason="Travaux")
    requester = await make_user(await make_organisation())
    slot = Slot(day, 9 * 60 + 30, 11 * 60 + 30)
    starts_at, ends_at = slot.bounds(ZONE)
    await RoomBooking.create(
        room_id=booked.id,
        requested_by_id=requester.id,
        organisation_id=(await make_organisation()).id,
        starts_at=starts_at,
        ends_at=ends_at,
        status=BookingStatus.CONFIRMED,
    )
    criteria = SearchCriteria(slot=slot, commune="haguenau", min_capacity=10)
    found = await find_free_rooms(criteria, zone=ZONE, now=NOW)
    assert [room.name for room in found] == ["Salle petite enfance"]
    with_sink = SearchCriteria(slot=slot, commune="Haguenau", equipment=("sink",))
    assert await find_free_rooms(with_sink, zone=ZONE, now=NOW) == []
    afternoon = SearchCriteria(slot=Slot(day, 14 * 60, 15 * 60))
    assert await find_free_rooms(afternoon, zone=ZONE, now=NOW) == []


async def test_a_pending_request_does_not_hide_a_room_from_search(database: Settings) -> None:
    room = await make_room()
    await offer(room)
    slot = Slot(date(2027, 3, 30), 9 * 60, 10 * 60)
    starts_at, ends_at = slot.bounds(ZONE)
    await RoomBooking.create(
        room_id=room.id,
        requested_by_id=(await make_user(await make_organisation())).id,
        organisation_id=(await make_organisation()).id,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    found = await find_free_rooms(SearchCriteria(slot=slot), zone=ZONE, now=NOW)
    assert [r.id for r in found] == [room.id]

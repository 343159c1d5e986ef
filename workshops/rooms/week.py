"""Week views: what a room, a site or a facilitator has on each day of one week.

Each entry says in words what it is (offered, closed, pending, confirmed; and for the facilitator
also declined or cancelled, with the reason): the pages show it as a list under a heading per
day, readable on a phone and without colours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from workshops.kernel.i18n import _
from workshops.rooms.availability import RoomCalendar, load_calendars, local_instant, minute_label
from workshops.rooms.models import Room, RoomBooking

DAYS = 7


class EntryKind(StrEnum):
    OFFERED = "offered"
    CLOSED = "closed"
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Entry:
    kind: EntryKind
    hours: str
    detail: str
    booking: RoomBooking | None = None

    @property
    def label(self) -> str:
        return {
            EntryKind.OFFERED: _("Proposée"),
            EntryKind.CLOSED: _("Fermée"),
            EntryKind.PENDING: _("Demande en attente"),
            EntryKind.CONFIRMED: _("Réservée"),
            EntryKind.DECLINED: _("Demande refusée"),
            EntryKind.CANCELLED: _("Réservation annulée"),
        }[self.kind]


@dataclass(frozen=True)
class Group:
    """The entries of one day for one room (a site's week has a group per room)."""

    title: str
    entries: list[Entry]


@dataclass(frozen=True)
class WeekDay:
    day: date
    groups: list[Group]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_start(raw: str, today: date) -> date:
    """The Monday of the week named by `?semaine=` (any day of it), this week by default.

    A date more than ten years away is taken for this week too: no one plans rooms that far,
    and it keeps the previous and next weeks inside the calendar.
    """
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = today
    if abs((day - today).days) > 3660:
        day = today
    return monday_of(day)


def _hours(booking: RoomBooking, zone: ZoneInfo) -> str:
    starts, ends = booking.starts_at.astimezone(zone), booking.ends_at.astimezone(zone)
    return (
        f"{minute_label(starts.hour * 60 + starts.minute)}–"
        f"{minute_label(ends.hour * 60 + ends.minute)}"
    )


def _booking_entry(booking: RoomBooking, zone: ZoneInfo, detail: str) -> Entry:
    reason = booking.decline_reason or booking.cancel_reason
    if reason:
        detail = f"{detail} · {reason}"
    return Entry(EntryKind(booking.status.value), _hours(booking, zone), detail, booking)


def _day_entries(calendar: RoomCalendar, day: date, zone: ZoneInfo) -> list[Entry]:
    closure = calendar.closure_on(day)
    entries = (
        [Entry(EntryKind.CLOSED, "", closure.reason)]
        if closure
        else [
            Entry(
                EntryKind.OFFERED,
                f"{minute_label(w.start_minute)}–{minute_label(w.end_minute)}",
                "",
            )
            for w in calendar.windows_on(day)
        ]
    )
    bookings = calendar.bookings_between(
        local_instant(day, 0, zone), local_instant(day + timedelta(days=1), 0, zone)
    )
    entries += [_booking_entry(b, zone, b.requested_by.full_name) for b in bookings]
    return sorted(entries, key=lambda entry: entry.hours)


async def rooms_week(rooms: list[Room], monday: date, zone: ZoneInfo) -> list[WeekDay]:
    """Each day of the week, and for each room its offered windows, closure and bookings."""
    sunday = monday + timedelta(days=DAYS - 1)
    calendars = await load_calendars(rooms, monday, sunday, zone)
    titled = len(rooms) > 1
    return [
        WeekDay(
            day,
            [
                Group(room.name if titled else "", _day_entries(calendars[room.id], day, zone))
                for room in rooms
            ],
        )
        for day in _days(monday)
    ]


def _days(monday: date) -> list[date]:
    return [monday + timedelta(days=n) for n in range(DAYS)]


async def requester_week(user_id: int, monday: date, zone: ZoneInfo) -> list[WeekDay]:
    """A facilitator's own requests, day by day, whatever became of them."""
    first = local_instant(monday, 0, zone)
    end = local_instant(monday + timedelta(days=DAYS), 0, zone)
    bookings = await RoomBooking.filter(
        requested_by_id=user_id,
        starts_at__lt=end,
        ends_at__gt=first,
    ).prefetch_related("room", "room__site")
    return [
        WeekDay(
            day,
            [
                Group(
                    "",
                    [
                        _booking_entry(
                            b, zone, f"{b.room.name} · {b.room.site.name}, {b.room.site.commune}"
                        )
                        for b in bookings
                        if b.starts_at.astimezone(zone).date() == day
                    ],
                )
            ],
        )
        for day in _days(monday)
    ]

"""When a room can be booked: offered weekly windows, minus closures, minus confirmed bookings.

Windows are kept in local wall-clock minutes and turned into UTC instants for one given day with
`local_instant`, so a 9:00-12:00 window is 9:00-12:00 in Paris in winter and in summer alike
(DESIGN rule 5). `RoomCalendar` loads what a range of days needs in three queries, and answers
for each slot why it cannot be booked: the request form, the weekly series, the search and the
week views all ask it the same question.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from workshops.kernel.i18n import _
from workshops.rooms.models import Availability, BookingStatus, Closure, Room, RoomBooking


def local_instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of `minute` after midnight on `day`, in the wall-clock time of `zone`."""
    wall_clock = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
    return wall_clock.astimezone(UTC)


def minute_label(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def weekday_names() -> list[str]:
    return [
        _("lundi"),
        _("mardi"),
        _("mercredi"),
        _("jeudi"),
        _("vendredi"),
        _("samedi"),
        _("dimanche"),
    ]


@dataclass(frozen=True)
class Slot:
    """A time range on one local day, as a facilitator asks for it."""

    day: date
    start_minute: int
    end_minute: int

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        return (
            local_instant(self.day, self.start_minute, zone),
            local_instant(self.day, self.end_minute, zone),
        )

    @property
    def label(self) -> str:
        return f"{minute_label(self.start_minute)}–{minute_label(self.end_minute)}"


class ProblemKind(StrEnum):
    PAST = "past"
    OUTSIDE_WINDOWS = "outside_windows"
    CLOSED = "closed"
    BOOKED = "booked"


@dataclass(frozen=True)
class SlotProblem:
    kind: ProblemKind
    message: str


@dataclass
class RoomCalendar:
    """Windows, closures and live bookings of one room over a range of days."""

    room: Room
    windows: list[Availability] = field(default_factory=list)
    closures: list[Closure] = field(default_factory=list)
    bookings: list[RoomBooking] = field(default_factory=list)

    def windows_on(self, day: date) -> list[Availability]:
        return [
            window
            for window in self.windows
            if window.weekday == day.weekday() and window.valid_from <= day <= window.valid_until
        ]

    def closure_on(self, day: date) -> Closure | None:
        return next((c for c in self.closures if c.starts_on <= day <= c.ends_on), None)

    def bookings_between(
        self, starts_at: datetime, ends_at: datetime, status: BookingStatus | None = None
    ) -> list[RoomBooking]:
        return [
            booking
            for booking in self.bookings
            if booking.starts_at < ends_at
            and booking.ends_at > starts_at
            and (status is None or booking.status == status)
        ]

    def problem(self, slot: Slot, zone: ZoneInfo, now: datetime) -> SlotProblem | None:
        """Why this slot cannot be asked for, or None when the room is free then."""
        starts_at, ends_at = slot.bounds(zone)
        if starts_at <= now:
            return SlotProblem(ProblemKind.PAST, _("Ce créneau est déjà passé."))
        closure = self.closure_on(slot.day)
        if closure is not None:
            return SlotProblem(
                ProblemKind.CLOSED, _("Fermé ce jour-là : %(reason)s.", reason=closure.reason)
            )
        windows = self.windows_on(slot.day)
        if not any(
            w.start_minute <= slot.start_minute and slot.end_minute <= w.end_minute for w in windows
        ):
            return SlotProblem(ProblemKind.OUTSIDE_WINDOWS, _outside_message(windows))
        taken = self.bookings_between(starts_at, ends_at, BookingStatus.CONFIRMED)
        if taken:
            return SlotProblem(
                ProblemKind.BOOKED,
                _("La salle est déjà réservée sur ce créneau."),
            )
        return None


def _outside_message(windows: list[Availability]) -> str:
    if not windows:
        return _("La salle n'est pas proposée ce jour-là.")
    hours = ", ".join(
        f"{minute_label(w.start_minute)}–{minute_label(w.end_minute)}" for w in windows
    )
    return _("Ce jour-là, la salle est proposée seulement : %(hours)s.", hours=hours)


async def load_calendars(
    rooms: Iterable[Room], first_day: date, last_day: date, zone: ZoneInfo
) -> dict[int, RoomCalendar]:
    """The calendars of these rooms from `first_day` to `last_day` included, in three queries."""
    calendars = {room.id: RoomCalendar(room=room) for room in rooms}
    if not calendars:
        return calendars
    room_ids = list(calendars)
    site_rooms: dict[int, list[int]] = defaultdict(list)
    for calendar in calendars.values():
        site_rooms[calendar.room.site_id].append(calendar.room.id)
    windows = await Availability.filter(
        room_id__in=room_ids, valid_from__lte=last_day, valid_until__gte=first_day
    )
    for window in windows:
        calendars[window.room_id].windows.append(window)
    closures = await Closure.filter(
        site_id__in=list(site_rooms), starts_on__lte=last_day, ends_on__gte=first_day
    )
    for closure in closures:
        concerned = site_rooms[closure.site_id] if closure.room_id is None else [closure.room_id]
        for room_id in concerned:
            if room_id in calendars:
                calendars[room_id].closures.append(closure)
    range_start = local_instant(first_day, 0, zone)
    range_end = local_instant(last_day + timedelta(days=1), 0, zone)
    bookings = await RoomBooking.filter(
        room_id__in=room_ids,
        status__in=(BookingStatus.PENDING, BookingStatus.CONFIRMED),
        starts_at__lt=range_end,
        ends_at__gt=range_start,
    ).prefetch_related("requested_by")
    for booking in bookings:
        calendars[booking.room_id].bookings.append(booking)
    return calendars


async def load_calendar(
    room: Room, first_day: date, last_day: date, zone: ZoneInfo
) -> RoomCalendar:
    return (await load_calendars([room], first_day, last_day, zone))[room.id]


@dataclass(frozen=True)
class SearchCriteria:
    slot: Slot
    commune: str = ""
    min_capacity: int = 0
    equipment: tuple[str, ...] = ()


async def find_free_rooms(criteria: SearchCriteria, *, zone: ZoneInfo, now: datetime) -> list[Room]:
    """Rooms offered for the whole slot, not closed that day and not booked then."""
    query = Room.filter(capacity__gte=criteria.min_capacity)
    if criteria.commune:
        query = query.filter(site__commune__iexact=criteria.commune)
    rooms = [
        room
        for room in await query.prefetch_related("site", "site__organisation")
        if set(criteria.equipment) <= set(room.equipment)
    ]
    day = criteria.slot.day
    calendars = await load_calendars(rooms, day, day, zone)
    free = [room for room in rooms if calendars[room.id].problem(criteria.slot, zone, now) is None]
    return sorted(free, key=lambda room: (room.site.commune, room.site.name, room.name))

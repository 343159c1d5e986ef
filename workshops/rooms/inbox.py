"""Reading bookings: one booking and who may see it, the centre's inbox and its count."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.queryset import QuerySet

from workshops.accounts import Permission, Staff, is_allowed
from workshops.kernel.clock import utc_now
from workshops.rooms.models import BookingStatus, RoomBooking


async def get_booking(booking_id: int) -> RoomBooking | None:
    booking: RoomBooking | None = await RoomBooking.get_or_none(id=booking_id).prefetch_related(
        "room", "room__site", "room__site__organisation", "requested_by", "organisation"
    )
    return booking


@dataclass(frozen=True)
class Sides:
    """Which side of a booking a staff member stands on, if any."""

    centre: bool
    requester: bool

    @property
    def any(self) -> bool:
        return self.centre or self.requester


def sides_of(staff: Staff, booking: RoomBooking) -> Sides:
    return Sides(
        centre=is_allowed(
            staff, Permission.DECIDE_ROOM_REQUESTS, booking.room.site.organisation_id
        ),
        requester=booking.requested_by_id == staff.id
        or is_allowed(staff, Permission.REQUEST_ROOMS, booking.organisation_id),
    )


@dataclass(frozen=True)
class PendingRequest:
    """One entry of a centre's inbox: a single pending slot, or the pending dates of a series."""

    bookings: list[RoomBooking]

    @property
    def first(self) -> RoomBooking:
        return self.bookings[0]

    @property
    def is_series(self) -> bool:
        return bool(self.first.series)


def _waiting(centre_ids: Sequence[int], now: datetime | None) -> QuerySet[RoomBooking]:
    """Pending bookings of these centres' rooms that can still be decided on (not over yet)."""
    return RoomBooking.filter(
        status=BookingStatus.PENDING,
        room__site__organisation_id__in=list(centre_ids),
        ends_at__gt=now or utc_now(),
    )


async def pending_requests(
    centre_ids: Sequence[int], *, now: datetime | None = None
) -> list[PendingRequest]:
    """The pending requests for rooms of these centres, a series as one entry, oldest date first."""
    bookings = await _waiting(centre_ids, now).prefetch_related(
        "room", "room__site", "requested_by", "organisation"
    )
    groups: dict[str, list[RoomBooking]] = {}
    for booking in bookings:
        groups.setdefault(booking.series or f"#{booking.id}", []).append(booking)
    requests = [
        PendingRequest(sorted(group, key=lambda b: b.starts_at)) for group in groups.values()
    ]
    return sorted(requests, key=lambda request: request.first.starts_at)


async def count_pending_requests(centre_ids: Sequence[int], *, now: datetime | None = None) -> int:
    """Pending requests as the inbox lists them: a series counts once."""
    if not centre_ids:
        return 0
    keys = await _waiting(centre_ids, now).values_list("id", "series")
    return len({series or f"#{booking_id}" for booking_id, series in keys})

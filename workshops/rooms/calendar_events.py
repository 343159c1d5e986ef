"""Room bookings as calendar events, for the e-mails about them and for the private feeds.

One booking is one `CalendarEvent` all its life: its UID comes from its id (`make_uid`), its
SEQUENCE is the one the booking rules raise on every decision and cancellation, so a calendar
program that got the confirmation replaces it with the cancellation instead of adding a second
event. Feeds show confirmed bookings and the cancelled ones (STATUS:CANCELLED): a booking is only
cancelled after it was confirmed, so both are dates someone once held in their calendar.
"""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.expressions import Q

from workshops.kernel import urls
from workshops.kernel.ics import CalendarEvent, make_uid
from workshops.kernel.settings import Settings
from workshops.rooms.models import BookingStatus, Room, RoomBooking, Site

UID_KIND = "reservation-salle"
# The statuses a feed shows: what was confirmed, cancelled or not.
IN_FEEDS = (BookingStatus.CONFIRMED, BookingStatus.CANCELLED)
_RELATED = ("room", "room__site", "requested_by")


def site_address(site: Site) -> str:
    """The postal address of a site, as a calendar's LOCATION and as e-mails show it."""
    town = " ".join(part for part in (site.postcode, site.commune) if part)
    return ", ".join(part for part in (site.name, site.address, town) if part)


def booking_url(booking: RoomBooking, settings: Settings) -> str:
    return urls.absolute(settings.base_url, "rooms.booking", booking_id=booking.id)


def booking_event(booking: RoomBooking, room: Room, settings: Settings) -> CalendarEvent:
    """The calendar event of `booking` in `room`; its requester and the room's site are loaded."""
    changed = [booking.created_at, booking.decided_at, booking.cancelled_at]
    description = "\n".join(
        line
        for line in (
            f"Demandée par {booking.requested_by.full_name}",
            booking.message,
            f"Annulée : {booking.cancel_reason}" if booking.cancel_reason else "",
        )
        if line
    )
    return CalendarEvent(
        uid=make_uid(UID_KIND, booking.id, base_url=settings.base_url),
        sequence=booking.sequence,
        start=booking.starts_at,
        end=booking.ends_at,
        summary=f"{room.name} – {room.site.name}",
        updated_at=max(moment for moment in changed if moment is not None),
        location=f"{room.name}, {site_address(room.site)}",
        description=description,
        url=booking_url(booking, settings),
        cancelled=booking.status == BookingStatus.CANCELLED,
    )


def _events(bookings: Sequence[RoomBooking], settings: Settings) -> list[CalendarEvent]:
    return [booking_event(booking, booking.room, settings) for booking in bookings]


async def centre_or_requester_events(
    *, organisation_id: int, settings: Settings
) -> list[CalendarEvent]:
    """Bookings of an organisation: in its rooms (a centre) or asked by it (a PMI service)."""
    bookings = await RoomBooking.filter(
        Q(room__site__organisation_id=organisation_id) | Q(organisation_id=organisation_id),
        status__in=IN_FEEDS,
    ).prefetch_related(*_RELATED)
    return _events(bookings, settings)


async def requester_events(*, user_id: int, settings: Settings) -> list[CalendarEvent]:
    """The bookings a facilitator asked for."""
    bookings = await RoomBooking.filter(
        requested_by_id=user_id, status__in=IN_FEEDS
    ).prefetch_related(*_RELATED)
    return _events(bookings, settings)


async def room_events(*, room_id: int, settings: Settings) -> list[CalendarEvent]:
    """The bookings of one room."""
    bookings = await RoomBooking.filter(room_id=room_id, status__in=IN_FEEDS).prefetch_related(
        *_RELATED
    )
    return _events(bookings, settings)

"""Every e-mail the room-booking rules cause, in one place, queued through the outbox.

Each function is called inside the transaction of the change it tells about, and only queues
(`enqueue_mail`): the message exists if and only if the change does, and is sent later by the
worker. A new request goes to the centre (its managers and its contact address), a decision to
the requester with a calendar file of the confirmed dates (METHOD:REQUEST), a cancellation to the
other side with a calendar file that removes the date (METHOD:CANCEL, STATUS:CANCELLED).
A weekly series is one e-mail listing its dates, with one calendar file holding every date.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import parseaddr
from typing import Any

from workshops.accounts import Membership, Organisation, Role, User
from workshops.kernel.ics import build_invitation
from workshops.kernel.settings import Settings
from workshops.kernel.validation import email_problem, normalise_email
from workshops.mail import enqueue_mail
from workshops.rooms.calendar_events import booking_event, site_address
from workshops.rooms.models import BookingStatus, Room, RoomBooking


async def booking_requested(bookings: Sequence[RoomBooking], *, settings: Settings) -> None:
    """Tell the centre about a new request (one slot, or the dates of a series), no calendar yet.

    The room is only booked once confirmed, so the centre's calendars get nothing here.
    """
    room = await _room(bookings[0])
    requester = await User.get(id=bookings[0].requested_by_id)
    organisation = await Organisation.get(id=bookings[0].organisation_id)
    context = {
        **_booking_context(bookings, room),
        "centre": room.site.organisation,
        "requester": _who(requester, organisation),
        "message": bookings[0].message,
    }
    for address, to_manager in await _centre_addresses(room.site.organisation):
        await enqueue_mail(
            settings=settings,
            to=address,
            template="room_request",
            context={**context, "to_manager": to_manager},
        )


async def booking_decided(
    bookings: Sequence[RoomBooking],
    *,
    settings: Settings,
    left_pending: Sequence[tuple[RoomBooking, str]] = (),
) -> None:
    """Tell the requester that the centre confirmed (with the calendar file) or declined; for
    a series confirmed in part, which dates stay pending and why."""
    room = await _room(bookings[0])
    requester = await User.get(id=bookings[0].requested_by_id)
    confirmed = bookings[0].status == BookingStatus.CONFIRMED
    calendar = None
    if confirmed:
        calendar = _calendar(bookings, room, requester, settings, attendee=requester.email)
    await enqueue_mail(
        settings=settings,
        to=requester.email,
        template="room_decision",
        context={
            **_booking_context(bookings, room),
            "centre": room.site.organisation,
            "requester_name": requester.full_name,
            "confirmed": confirmed,
            "left_pending": list(left_pending),
            "reason": bookings[0].decline_reason,
        },
        calendar=calendar,
    )


async def booking_cancelled(booking: RoomBooking, *, by_centre: bool, settings: Settings) -> None:
    """Tell the other side that a confirmed booking is cancelled, why, and remove it from calendars.

    The centre cancelling tells the requester; the PMI side cancelling tells the centre's
    managers and its contact address.
    """
    room = await _room(booking)
    requester = await User.get(id=booking.requested_by_id)
    if by_centre:
        recipients = [(requester.email, False)]
    else:
        recipients = await _centre_addresses(room.site.organisation)
    canceller = None
    if booking.cancelled_by_id is not None:
        canceller = await User.get_or_none(id=booking.cancelled_by_id)
    organisation = await Organisation.get(id=booking.organisation_id)
    context = {
        **_booking_context([booking], room),
        "centre": room.site.organisation,
        "by_centre": by_centre,
        "requester_name": requester.full_name,
        "canceller": _who(canceller, organisation) if canceller else organisation.name,
        "reason": booking.cancel_reason,
    }
    for address, to_manager in recipients:
        await enqueue_mail(
            settings=settings,
            to=address,
            template="room_cancellation",
            context={**context, "to_manager": to_manager},
            calendar=_calendar([booking], room, requester, settings, attendee=address),
        )


def _booking_context(bookings: Sequence[RoomBooking], room: Room) -> dict[str, Any]:
    return {"bookings": list(bookings), "room": room, "address": site_address(room.site)}


def _who(user: User, organisation: Organisation) -> str:
    """`Sophie Keller, puéricultrice, PMI Nord`: who asks, as the centre wants to know."""
    return ", ".join(part for part in (user.full_name, user.profession, organisation.name) if part)


def _calendar(
    bookings: Sequence[RoomBooking],
    room: Room,
    requester: User,
    settings: Settings,
    *,
    attendee: str,
) -> bytes:
    for booking in bookings:  # the event's description names the requester
        booking.requested_by = requester
    events = [booking_event(booking, room, settings) for booking in bookings]
    return build_invitation(
        events,
        zone=settings.timezone,
        organizer_email=parseaddr(settings.mail_from)[1],
        organizer_name=room.site.organisation.name,
        attendee=attendee,
    )


async def _room(booking: RoomBooking) -> Room:
    return await Room.get(id=booking.room_id).prefetch_related("site", "site__organisation")


async def _centre_addresses(centre: Organisation) -> list[tuple[str, bool]]:
    """Each active manager's address, then the centre's contact address; True for a manager.

    An address no server would accept is left out, so a typo in the centre's contact never
    blocks a request or a decision.
    """
    managers = await Membership.filter(
        organisation_id=centre.id, role=Role.CENTRE_MANAGER, user__is_active=True
    ).prefetch_related("user")
    found: dict[str, bool] = {}
    for membership in managers:
        found.setdefault(normalise_email(membership.user.email), True)
    if centre.contact_email:
        found.setdefault(normalise_email(centre.contact_email), False)
    return [(address, manager) for address, manager in found.items() if not email_problem(address)]

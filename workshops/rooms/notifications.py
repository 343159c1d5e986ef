"""Every message the room-booking rules cause, in one place.

Each function is called inside the transaction of the change it tells about, so a message exists
if and only if the change does. Until the mail outbox (DESIGN section 4) lands on this branch,
they record what would be sent, recipients and subject, as an audit event; the lead then makes
them enqueue the e-mails, with a calendar file (REQUEST, or CANCEL for a cancellation), without
touching the callers.
"""

from __future__ import annotations

from collections.abc import Sequence

from workshops.accounts.models import Membership, Organisation, Role, User
from workshops.audit.service import SYSTEM, record_event
from workshops.rooms.models import BookingStatus, Room, RoomBooking

ACTION = "rooms.mail_pending"


async def booking_requested(bookings: Sequence[RoomBooking]) -> None:
    """Tell the centre's managers about a new request (one slot, or the dates of a series).

    Will enqueue one e-mail to each centre manager and to the centre's contact address, listing
    the dates and the facilitator's message, once the outbox exists.
    """
    room = await _room(bookings[0])
    recipients = await _centre_addresses(room.site.organisation)
    await _record(
        bookings,
        recipients,
        subject=f"Nouvelle demande de salle : {room.name} ({room.site.name})",
        organisation_id=room.site.organisation_id,
        calendar="",
    )


async def booking_decided(bookings: Sequence[RoomBooking]) -> None:
    """Tell the facilitator that the centre confirmed or declined their request.

    Will enqueue one e-mail to the requester, with a calendar file (METHOD:REQUEST) of the
    confirmed dates or the reason of the refusal, once the outbox exists.
    """
    room = await _room(bookings[0])
    requester = await User.get(id=bookings[0].requested_by_id)
    confirmed = bookings[0].status == BookingStatus.CONFIRMED
    verb = "confirmée" if confirmed else "refusée"
    await _record(
        bookings,
        [requester.email],
        subject=f"Demande de salle {verb} : {room.name} ({room.site.name})",
        organisation_id=room.site.organisation_id,
        calendar="REQUEST" if confirmed else "",
    )


async def booking_cancelled(booking: RoomBooking, *, by_centre: bool) -> None:
    """Tell the other side that a confirmed booking is cancelled, and why.

    Will enqueue an e-mail with a calendar file (STATUS:CANCELLED) to the facilitator when the
    centre cancels, or to the centre's managers when the PMI side cancels, once the outbox exists.
    """
    room = await _room(booking)
    if by_centre:
        recipients = [(await User.get(id=booking.requested_by_id)).email]
    else:
        recipients = await _centre_addresses(room.site.organisation)
    await _record(
        [booking],
        recipients,
        subject=f"Réservation annulée : {room.name} ({room.site.name})",
        organisation_id=room.site.organisation_id,
        calendar="CANCEL",
    )


async def _room(booking: RoomBooking) -> Room:
    return await Room.get(id=booking.room_id).prefetch_related("site", "site__organisation")


async def _centre_addresses(centre: Organisation) -> list[str]:
    managers = await Membership.filter(
        organisation_id=centre.id, role=Role.CENTRE_MANAGER, user__is_active=True
    ).prefetch_related("user")
    addresses = [membership.user.email for membership in managers]
    if centre.contact_email and centre.contact_email not in addresses:
        addresses.append(centre.contact_email)
    return addresses


async def _record(
    bookings: Sequence[RoomBooking],
    recipients: list[str],
    *,
    subject: str,
    organisation_id: int,
    calendar: str,
) -> None:
    await record_event(
        actor=SYSTEM,
        action=ACTION,
        summary=f"E-mail à envoyer : {subject}",
        object_type="room_booking",
        object_id=bookings[0].id,
        organisation_id=organisation_id,
        details={
            "to": recipients,
            "subject": subject,
            "booking_ids": [booking.id for booking in bookings],
            "calendar": calendar,
        },
    )

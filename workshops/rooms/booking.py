"""Deciding on room requests: confirm, decline, cancel (DESIGN rule 3), each telling the other side.

Confirmation is where rule 3 is enforced: every confirmation of a room first takes that room's
lock (`locking.lock_room`), then checks for an overlapping confirmed booking, then writes, all in
one transaction, so two simultaneous confirmations cannot both pass. On PostgreSQL the exclusion
constraint `room_booking_no_overlap` stands behind that check and its violation becomes the same
French refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from workshops.audit import Actor, record_event
from workshops.kernel.clock import utc_now
from workshops.kernel.db import transaction
from workshops.kernel.i18n import _
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.rooms import notifications
from workshops.rooms.locking import lock_room
from workshops.rooms.models import NO_OVERLAP_CONSTRAINT, BookingStatus, Room, RoomBooking

# The key of a refusal that belongs to no field of a form.
DECISION = "decision"


def _already_booked() -> str:
    return _(
        "La salle est déjà réservée sur ce créneau : cette demande ne peut pas être confirmée."
    )


async def _confirmation_problem(booking: RoomBooking, now: datetime) -> str | None:
    if booking.starts_at <= now:
        return _("Ce créneau est déjà passé : il ne peut plus être confirmé.")
    overlapping = (
        await RoomBooking.filter(
            room_id=booking.room_id,
            status=BookingStatus.CONFIRMED,
            starts_at__lt=booking.ends_at,
            ends_at__gt=booking.starts_at,
        )
        .exclude(id=booking.id)
        .exists()
    )
    return _already_booked() if overlapping else None


def _is_overlap_violation(error: IntegrityError) -> bool:
    return NO_OVERLAP_CONSTRAINT in str(error) or NO_OVERLAP_CONSTRAINT in str(error.__cause__)


@dataclass(frozen=True)
class Decision:
    """What one confirmation did: dates confirmed, and those left pending with the reason."""

    confirmed: list[RoomBooking]
    left_pending: list[tuple[RoomBooking, str]]


async def confirm_booking(
    *,
    actor: Actor,
    booking: RoomBooking,
    settings: Settings,
    whole_series: bool = False,
    now: datetime | None = None,
) -> Decision:
    """Confirm a pending request, or every pending date of its series at once.

    A date that overlaps a confirmed booking, or is past, stays pending and is reported; for a
    single request that is a refusal (`Invalid`).
    """
    now = now or utc_now()
    try:
        async with transaction():
            await lock_room(booking.room_id)
            candidates = await _pending_of(booking, whole_series)
            if not candidates:
                raise Invalid({DECISION: _("Cette demande a déjà été traitée.")})
            confirmed: list[RoomBooking] = []
            left: list[tuple[RoomBooking, str]] = []
            for candidate in candidates:
                problem = await _confirmation_problem(candidate, now)
                if problem:
                    left.append((candidate, problem))
                    continue
                await _decide(candidate, actor, BookingStatus.CONFIRMED, now)
                confirmed.append(candidate)
            if not confirmed:
                raise Invalid({DECISION: left[0][1]})
            await _record_decision(actor, confirmed, "room_booking.confirmed", "confirmée")
            await notifications.booking_decided(confirmed, settings=settings, left_pending=left)
    except IntegrityError as error:
        if not _is_overlap_violation(error):
            raise
        raise Invalid({DECISION: _already_booked()}) from None
    return Decision(confirmed=confirmed, left_pending=left)


async def decline_booking(
    *,
    actor: Actor,
    booking: RoomBooking,
    reason: str,
    settings: Settings,
    whole_series: bool = False,
    now: datetime | None = None,
) -> list[RoomBooking]:
    """Decline a pending request (or all pending dates of its series), with a reason."""
    if not reason.strip():
        raise Invalid(
            {"reason": _("Indiquez la raison du refus : elle est transmise au demandeur.")}
        )
    now = now or utc_now()
    async with transaction():
        await lock_room(booking.room_id)  # a confirmation of the same request may be under way
        declined = await _pending_of(booking, whole_series)
        if not declined:
            raise Invalid({DECISION: _("Cette demande a déjà été traitée.")})
        for candidate in declined:
            candidate.decline_reason = reason
            await _decide(candidate, actor, BookingStatus.DECLINED, now, ["decline_reason"])
        await _record_decision(actor, declined, "room_booking.declined", "refusée")
        await notifications.booking_decided(declined, settings=settings)
    return declined


async def cancel_booking(
    *,
    actor: Actor,
    booking: RoomBooking,
    reason: str,
    by_centre: bool,
    settings: Settings,
    now: datetime | None = None,
) -> RoomBooking:
    """Cancel a confirmed booking, from the centre or from the PMI side, with a reason."""
    if not reason.strip():
        raise Invalid({"reason": _("Indiquez la raison de l'annulation : elle est transmise.")})
    assert actor.staff is not None
    now = now or utc_now()
    async with transaction():
        changed = await RoomBooking.filter(id=booking.id, status=BookingStatus.CONFIRMED).update(
            status=BookingStatus.CANCELLED,
            cancelled_by_id=actor.staff.id,
            cancelled_at=now,
            cancel_reason=reason,
            sequence=F("sequence") + 1,
        )
        if not changed:
            raise Invalid({DECISION: _("Seule une réservation confirmée peut être annulée.")})
        await booking.refresh_from_db()
        room = await Room.get(id=booking.room_id).prefetch_related("site")
        side = "par le centre" if by_centre else "par la PMI"
        await record_event(
            actor=actor,
            action="room_booking.cancelled",
            summary=f"Réservation de salle annulée {side} : {room.name}",
            object_type="room_booking",
            object_id=booking.id,
            organisation_id=room.site.organisation_id,
            details={"reason": reason},
        )
        await notifications.booking_cancelled(booking, by_centre=by_centre, settings=settings)
    return booking


async def _pending_of(booking: RoomBooking, whole_series: bool) -> list[RoomBooking]:
    query = RoomBooking.filter(status=BookingStatus.PENDING)
    if whole_series and booking.series:
        query = query.filter(series=booking.series, room_id=booking.room_id)
    else:
        query = query.filter(id=booking.id)
    return list(await query.order_by("starts_at"))


async def _decide(
    booking: RoomBooking,
    actor: Actor,
    status: BookingStatus,
    now: datetime,
    extra_fields: list[str] | None = None,
) -> None:
    assert actor.staff is not None
    booking.status = status
    booking.decided_by_id = actor.staff.id
    booking.decided_at = now
    booking.sequence += 1  # under the room's lock: no other decision reads it meanwhile
    await booking.save(
        update_fields=["status", "decided_by_id", "decided_at", "sequence", *(extra_fields or [])]
    )


async def _record_decision(
    actor: Actor, bookings: list[RoomBooking], action: str, verb: str
) -> None:
    room = await Room.get(id=bookings[0].room_id).prefetch_related("site")
    await record_event(
        actor=actor,
        action=action,
        summary=f"Demande de salle {verb} ({len(bookings)} date(s)) : {room.name}",
        object_type="room_booking",
        object_id=bookings[0].id,
        organisation_id=room.site.organisation_id,
        details={"booking_ids": [b.id for b in bookings]},
    )

"""Room requests and decisions: ask, confirm, decline, cancel (DESIGN rule 3).

A request is refused with its reason when the slot is past, outside the offered windows, on a
closure, or already booked. Confirmation is where rule 3 is enforced: every confirmation of a
room first takes that room's lock (`locking.lock_room`), then checks for an overlapping confirmed
booking, then writes, all in one transaction, so two simultaneous confirmations cannot both pass. On
PostgreSQL the exclusion constraint `room_booking_no_overlap` stands behind that check and its
violation becomes the same French refusal.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from workshops.accounts.permissions import Permission, Staff, is_allowed
from workshops.audit.service import Actor, record_event
from workshops.rooms import notifications
from workshops.rooms.availability import (
    ProblemKind,
    Slot,
    SlotProblem,
    load_calendar,
)
from workshops.rooms.locking import lock_room
from workshops.rooms.models import NO_OVERLAP_CONSTRAINT, BookingStatus, Room, RoomBooking
from workshops.validation import Invalid
from workshops.web.i18n import _

MAX_OCCURRENCES = 52
# Rooms are asked for a few months ahead, never years: this also keeps date arithmetic in range.
MAX_DAYS_AHEAD = 2 * 366
DECISION = "decision"


def _now() -> datetime:
    return datetime.now(UTC)


def _already_booked() -> str:
    return _(
        "La salle est déjà réservée sur ce créneau : cette demande ne peut pas être confirmée."
    )


# --- Asking ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    slot: Slot
    problem: SlotProblem | None

    @property
    def skipped_for_closure(self) -> bool:
        return self.problem is not None and self.problem.kind is ProblemKind.CLOSED


@dataclass(frozen=True)
class SeriesPlan:
    """Each date of a weekly series, with why it cannot be asked for when that is the case."""

    occurrences: list[Occurrence]

    @property
    def bookable(self) -> list[Slot]:
        return [o.slot for o in self.occurrences if o.problem is None]

    @property
    def closed(self) -> list[Occurrence]:
        return [o for o in self.occurrences if o.skipped_for_closure]

    @property
    def conflicts(self) -> list[Occurrence]:
        return [o for o in self.occurrences if o.problem and not o.skipped_for_closure]


def slot_errors(slot: Slot, *, weeks: int, zone: ZoneInfo, now: datetime) -> dict[str, str]:
    """What is wrong with the typed slot itself, before looking at the room."""
    errors: dict[str, str] = {}
    if slot.end_minute <= slot.start_minute:
        errors["ends"] = _("L'heure de fin doit être après l'heure de début.")
    today = now.astimezone(zone).date()
    if slot.day < today:
        errors["day"] = _("Cette date est déjà passée : choisissez une date à venir.")
    elif (slot.day - today).days > MAX_DAYS_AHEAD:
        errors["day"] = _("Choisissez une date dans les deux ans à venir.")
    if not 1 <= weeks <= MAX_OCCURRENCES:
        errors["weeks"] = _("Une série compte de 1 à %(max)s semaines.", max=MAX_OCCURRENCES)
    return errors


async def plan_series(
    *, room: Room, slot: Slot, weeks: int, zone: ZoneInfo, now: datetime | None = None
) -> SeriesPlan:
    """The `weeks` weekly dates from `slot.day`, each checked against the room's calendar."""
    now = now or _now()
    errors = slot_errors(slot, weeks=weeks, zone=zone, now=now)
    if errors:
        raise Invalid(errors)
    slots = [
        Slot(slot.day + timedelta(weeks=week), slot.start_minute, slot.end_minute)
        for week in range(weeks)
    ]
    calendar = await load_calendar(room, slots[0].day, slots[-1].day, zone)
    return SeriesPlan([Occurrence(s, calendar.problem(s, zone, now)) for s in slots])


def _single_slot_errors(problem: SlotProblem) -> dict[str, str]:
    field = "day" if problem.kind in (ProblemKind.PAST, ProblemKind.CLOSED) else "starts"
    return {field: problem.message}


async def request_booking(
    *,
    actor: Actor,
    room: Room,
    slot: Slot,
    weeks: int = 1,
    message: str,
    organisation_id: int,
    zone: ZoneInfo,
    expected_days: Sequence[date] | None = None,
    now: datetime | None = None,
) -> list[RoomBooking]:
    """Ask for one slot, or a weekly series, as pending bookings the centre will decide on.

    A series skips the dates the room is closed or unavailable; `expected_days` are the dates
    the facilitator saw in the preview, and the request is refused if they changed since.
    """
    assert actor.staff is not None
    plan = await plan_series(room=room, slot=slot, weeks=weeks, zone=zone, now=now)
    if weeks == 1 and plan.occurrences[0].problem is not None:
        raise Invalid(_single_slot_errors(plan.occurrences[0].problem))
    days = [s.day for s in plan.bookable]
    if not days:
        raise Invalid({"weeks": _("Aucune date de cette série n'est disponible.")})
    if expected_days is not None and list(expected_days) != days:
        raise Invalid(
            {"weeks": _("Les disponibilités ont changé depuis l'aperçu : vérifiez les dates.")}
        )
    series = secrets.token_hex(16) if weeks > 1 else ""
    async with in_transaction():
        bookings = []
        for occurrence_slot in plan.bookable:
            starts_at, ends_at = occurrence_slot.bounds(zone)
            bookings.append(
                await RoomBooking.create(
                    room_id=room.id,
                    requested_by_id=actor.staff.id,
                    organisation_id=organisation_id,
                    series=series,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    message=message,
                )
            )
        await record_event(
            actor=actor,
            action="room_booking.requested",
            summary=f"Demande de la salle {room.name} : {len(bookings)} date(s) "
            f"à partir du {days[0].strftime('%d/%m/%Y')}, {slot.label}",
            object_type="room_booking",
            object_id=bookings[0].id,
            organisation_id=room.site.organisation_id,
            details={"booking_ids": [b.id for b in bookings], "series": series},
        )
        await notifications.booking_requested(bookings)
    return bookings


def requester_organisation(staff: Staff) -> int:
    """The PMI organisation a request is made for: the first that lets this member ask."""
    ids = staff.organisation_ids(Permission.REQUEST_ROOMS)
    if not ids:
        raise Invalid({DECISION: _("Vous ne pouvez pas demander de salle.")})
    return ids[0]


# --- Deciding --------------------------------------------------------------------------------


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
    *, actor: Actor, booking: RoomBooking, whole_series: bool = False, now: datetime | None = None
) -> Decision:
    """Confirm a pending request, or every pending date of its series at once.

    A date that overlaps a confirmed booking, or is past, stays pending and is reported; for a
    single request that is a refusal (`Invalid`).
    """
    now = now or _now()
    try:
        async with in_transaction():
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
            await notifications.booking_decided(confirmed)
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
    whole_series: bool = False,
    now: datetime | None = None,
) -> list[RoomBooking]:
    """Decline a pending request (or all pending dates of its series), with a reason."""
    if not reason.strip():
        raise Invalid(
            {"reason": _("Indiquez la raison du refus : elle est transmise au demandeur.")}
        )
    now = now or _now()
    async with in_transaction():
        declined = await _pending_of(booking, whole_series)
        if not declined:
            raise Invalid({DECISION: _("Cette demande a déjà été traitée.")})
        for candidate in declined:
            candidate.decline_reason = reason
            await _decide(candidate, actor, BookingStatus.DECLINED, now, ["decline_reason"])
        await _record_decision(actor, declined, "room_booking.declined", "refusée")
        await notifications.booking_decided(declined)
    return declined


async def cancel_booking(
    *, actor: Actor, booking: RoomBooking, reason: str, by_centre: bool, now: datetime | None = None
) -> RoomBooking:
    """Cancel a confirmed booking, from the centre or from the PMI side, with a reason."""
    if not reason.strip():
        raise Invalid({"reason": _("Indiquez la raison de l'annulation : elle est transmise.")})
    assert actor.staff is not None
    now = now or _now()
    async with in_transaction():
        changed = await RoomBooking.filter(id=booking.id, status=BookingStatus.CONFIRMED).update(
            status=BookingStatus.CANCELLED,
            cancelled_by_id=actor.staff.id,
            cancelled_at=now,
            cancel_reason=reason,
        )
        if not changed:
            raise Invalid({DECISION: _("Seule une réservation confirmée peut être annulée.")})
        await booking.refresh_from_db()
        room = await Room.get(id=booking.room_id).prefetch_related("site")
        side = "par le centre" if by_centre else "par la PMI"
        await record_event(
            actor=actor,
            action="room_booking.cancelled",
            summary=f"Réservation de la salle {room.name} annulée {side}",
            object_type="room_booking",
            object_id=booking.id,
            organisation_id=room.site.organisation_id,
            details={"reason": reason},
        )
        await notifications.booking_cancelled(booking, by_centre=by_centre)
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
    await booking.save(
        update_fields=["status", "decided_by_id", "decided_at", *(extra_fields or [])]
    )


async def _record_decision(
    actor: Actor, bookings: list[RoomBooking], action: str, verb: str
) -> None:
    room = await Room.get(id=bookings[0].room_id).prefetch_related("site")
    await record_event(
        actor=actor,
        action=action,
        summary=f"Demande de la salle {room.name} {verb} ({len(bookings)} date(s))",
        object_type="room_booking",
        object_id=bookings[0].id,
        organisation_id=room.site.organisation_id,
        details={"booking_ids": [b.id for b in bookings]},
    )


# --- Reading ---------------------------------------------------------------------------------


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
        ends_at__gt=now or _now(),
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

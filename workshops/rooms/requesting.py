"""Asking for a room: one slot, or the same slot every week, checked before it is sent.

A request is refused with its reason when the slot is past, outside the offered windows, on a
closure, or already booked. A weekly series skips the dates the room is closed, and shows every
date that cannot be asked for in a preview before it is sent.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from workshops.accounts import Permission, Staff
from workshops.audit import Actor, record_event
from workshops.kernel.clock import utc_now
from workshops.kernel.db import transaction
from workshops.kernel.i18n import _
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.rooms import notifications
from workshops.rooms.availability import ProblemKind, Slot, SlotProblem, load_calendar
from workshops.rooms.booking import DECISION
from workshops.rooms.models import Room, RoomBooking

MAX_OCCURRENCES = 52
# Rooms are asked for a few months ahead, never years: this also keeps date arithmetic in range.
MAX_DAYS_AHEAD = 2 * 366


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
    now = now or utc_now()
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
    settings: Settings,
    expected_days: Sequence[date] | None = None,
    now: datetime | None = None,
) -> list[RoomBooking]:
    """Ask for one slot, or a weekly series, as pending bookings the centre will decide on.

    A series skips the dates the room is closed or unavailable; `expected_days` are the dates
    the facilitator saw in the preview, and the request is refused if they changed since.
    """
    assert actor.staff is not None
    zone = settings.zone
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
    async with transaction():
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
            summary=f"Demande de salle : {room.name}, {len(bookings)} date(s) "
            f"à partir du {days[0].strftime('%d/%m/%Y')}, {slot.label}",
            object_type="room_booking",
            object_id=bookings[0].id,
            organisation_id=room.site.organisation_id,
            details={"booking_ids": [b.id for b in bookings], "series": series},
        )
        await notifications.booking_requested(bookings, settings=settings)
    return bookings


def requester_organisation(staff: Staff) -> int:
    """The PMI organisation a request is made for: the first that lets this member ask."""
    ids = staff.organisation_ids(Permission.REQUEST_ROOMS)
    if not ids:
        raise Invalid({DECISION: _("Vous ne pouvez pas demander de salle.")})
    return ids[0]

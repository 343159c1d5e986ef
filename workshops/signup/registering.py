"""Signing a family up: eligibility, then a confirmed place (rule 1) or the waiting list.

Everything that decides a place happens inside one transaction holding the workshop's lock:
the duplicate check (backed by the unique constraint on workshop + e-mail), the conditional
update of the places and the insertion, so the registration ids follow the commit order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from tortoise.exceptions import IntegrityError

from workshops.audit import Actor, record_event
from workshops.kernel.clock import utc_now
from workshops.kernel.db import fetch, is_postgres, read_datetime, transaction
from workshops.kernel.i18n import _
from workshops.kernel.rows import columns_of, from_columns, split_row
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid, normalise_email
from workshops.mail import enqueue_composed
from workshops.planning import (
    SESSION_JOIN,
    EligibleCommune,
    Session,
    Workshop,
    is_commune,
    lock_workshop,
    session_columns,
    session_from_columns,
    visible_with,
)
from workshops.signup import messages
from workshops.signup.capacity import take_places, workshop_turn
from workshops.signup.eligibility import Child, age_problem, commune_problem, places_for
from workshops.signup.links import hash_token, new_token
from workshops.signup.models import Registration, RegistrationStatus
from workshops.signup.waitlist import someone_could_be_promoted

# The key of a refusal that is about the workshop, not about one field of the form.
WORKSHOP = "workshop"


@dataclass(frozen=True)
class Family:
    """What a family tells on the sign-up form (DESIGN section 2, Registration)."""

    parent_name: str
    email: str
    commune: str
    children: list[Child]
    # The INSEE code of `commune`; empty for a family from abroad or a name typed freely.
    commune_code: str = ""
    phone: str = ""
    adults: int = 1
    first_time: bool = True
    heard_from: str = ""
    needs: str = ""
    reminders_consent: bool = False


@dataclass(frozen=True)
class SignupOutcome:
    registration: Registration
    # False when the e-mail was already registered: its link was sent again, nothing else.
    created: bool
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def confirmed(self) -> bool:
        return self.registration.status == RegistrationStatus.CONFIRMED


@dataclass(frozen=True)
class Planned:
    """A workshop with all its sessions (rooms loaded) and its eligible communes, read once for
    a sign-up: the checks, the place taken and the e-mail all work from it."""

    workshop: Workshop
    sessions: list[Session]
    communes: list[EligibleCommune]

    @property
    def first_start(self) -> datetime | None:
        planned = [session.starts_at for session in self.sessions if session.cancelled_at is None]
        return min(planned) if planned else None


@cache
def _planned_statement() -> str:
    return f"""
SELECT {columns_of(Workshop, "w")}, {session_columns()}
FROM workshop w
LEFT JOIN ({SESSION_JOIN}) ON s.workshop_id = w.id
WHERE w.id = ?
ORDER BY s.starts_at, s.id"""


async def load_planned(workshop_id: int) -> Planned | None:
    """The workshop with its sessions (one statement, a row per session), and its communes:
    every sign-up and every visit of the workshop's page starts here."""
    rows = await fetch(_planned_statement(), [workshop_id])
    if not rows:
        return None
    tables = [split_row(row) for row in rows]
    communes = await fetch(
        f"SELECT {columns_of(EligibleCommune, 'c')} FROM workshop_commune c"
        " WHERE c.workshop_id = ? ORDER BY c.id",
        [workshop_id],
    )
    return Planned(
        workshop=from_columns(Workshop, tables[0]["w"]),
        sessions=[session_from_columns(row) for row in tables if row["s"]["id"] is not None],
        communes=[from_columns(EligibleCommune, split_row(row)["c"]) for row in communes],
    )


def _check_open(planned: Planned, now: datetime) -> datetime:
    workshop, first = planned.workshop, planned.first_start
    if not visible_with(workshop, planned.sessions) or first is None:
        raise Invalid({WORKSHOP: _("Cet atelier n'est pas ouvert aux inscriptions.")})
    if first <= now:
        raise Invalid({WORKSHOP: _("Cet atelier a commencé : les inscriptions sont closes.")})
    if workshop.registration_opens_at and now < workshop.registration_opens_at:
        raise Invalid({WORKSHOP: _("Les inscriptions à cet atelier ne sont pas encore ouvertes.")})
    if workshop.registration_closes_at and now >= workshop.registration_closes_at:
        raise Invalid({WORKSHOP: _("Les inscriptions à cet atelier sont closes.")})
    return first


def check_eligibility(
    *, planned: Planned, family: Family, now: datetime, settings: Settings
) -> None:
    """Raise `Invalid` with the reason when this family may not sign up for this workshop."""
    first = _check_open(planned, now)
    errors: dict[str, str] = {}
    problem = age_problem(planned.workshop, family.children, first.astimezone(settings.zone).date())
    if problem:
        errors["children"] = problem
    problem = commune_problem(planned.communes, code=family.commune_code, name=family.commune)
    if problem:
        errors["commune"] = problem
    if errors:
        raise Invalid(errors)


async def register_family(
    *,
    settings: Settings,
    workshop_id: int,
    family: Family,
    actor: Actor | None = None,
    now: datetime | None = None,
    planned: Planned | None = None,
) -> SignupOutcome:
    """Sign a family up; `actor` is the staff member registering it on its behalf (phone call).

    `planned` is the workshop as the caller has just read it (`load_planned`), if it has."""
    now = now or utc_now()
    planned = planned or await load_planned(workshop_id)
    if planned is None:
        raise Invalid({WORKSHOP: _("Cet atelier n'existe pas.")})
    check_eligibility(planned=planned, family=family, now=now, settings=settings)
    email = normalise_email(family.email)
    # Looked up before the lock (the lock is held only to decide and to store): a known address
    # then costs what a new one does, an e-mail composed and one transaction (rule 7).
    existing = await Registration.get_or_none(workshop_id=workshop_id, email=email)
    if existing is None:
        try:
            return await _register(settings, planned, family, email, actor, now)
        except IntegrityError:
            # Registered meanwhile by another sign-up with this address (the unique constraint).
            existing = await Registration.get(workshop_id=workshop_id, email=email)
    outcome = await _send_link_again(settings, planned, existing, now)
    if outcome is None:  # Erased meanwhile: the address is new again.
        return await _register(settings, planned, family, email, actor, now)
    return outcome


@dataclass(frozen=True)
class Locked:
    """What a sign-up reads once it holds the workshop's lock, in the statement that takes it."""

    places_taken: int
    capacity: int
    # The workshop's status and its sessions' facts, to compare with what was read before.
    facts: tuple[Any, ...]


def _facts(status: str, sessions: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    return (status, *sorted(sessions))


def _session_facts(
    session_id: int,
    booking_id: int,
    booking_status: str,
    starts_at: datetime | str,
    ends_at: datetime | str,
    sequence: int,
    cancelled_at: datetime | str | None,
) -> tuple[Any, ...]:
    return (
        session_id,
        booking_id,
        booking_status,
        read_datetime(starts_at),
        read_datetime(ends_at),
        sequence,
        read_datetime(cancelled_at) if cancelled_at is not None else None,
    )


def _facts_read_before(planned: Planned) -> tuple[Any, ...]:
    return _facts(
        str(planned.workshop.status.value),
        [
            _session_facts(
                s.id,
                s.booking_id,
                str(s.booking.status.value),
                s.starts_at,
                s.ends_at,
                s.sequence,
                s.cancelled_at,
            )
            for s in planned.sessions
        ],
    )


async def _lock(workshop_id: int) -> Locked | None:
    """Take the workshop's lock and read, in the same statement on PostgreSQL, its places, its
    status and its sessions with their bookings' status (None when it is gone). A sign-up
    holding the lock then decides on a full workshop without another round trip: in a rush,
    that is nearly every one."""
    if is_postgres():
        locking = " FOR UPDATE OF w"
    else:
        await lock_workshop(workshop_id)  # SQLite: the write lock, before anything is read
        locking = ""
    rows = await fetch(
        "SELECT w.places_taken, w.capacity, w.status, s.id, s.booking_id, b.status AS booking,"
        " s.starts_at, s.ends_at, s.sequence, s.cancelled_at"
        " FROM workshop w LEFT JOIN workshop_session s ON s.workshop_id = w.id"
        " LEFT JOIN room_booking b ON b.id = s.booking_id"
        f" WHERE w.id = ?{locking}",
        [workshop_id],
    )
    if not rows:
        return None
    first = rows[0]
    return Locked(
        places_taken=first["places_taken"],
        capacity=first["capacity"],
        facts=_facts(
            str(first["status"]),
            [
                _session_facts(
                    row["id"],
                    row["booking_id"],
                    str(row["booking"]),
                    row["starts_at"],
                    row["ends_at"],
                    row["sequence"],
                    row["cancelled_at"],
                )
                for row in rows
                if row["id"] is not None
            ],
        ),
    )


async def _lock_open(planned: Planned, now: datetime) -> tuple[Locked, Planned | None]:
    """Take the workshop's lock; with it, the workshop as it is now when it changed since
    `planned` was read (None when it did not). `Invalid` when it is gone or no longer open."""
    locked = await _lock(planned.workshop.id)
    if locked is None:
        raise Invalid({WORKSHOP: _("Cet atelier n'existe pas.")})
    if locked.facts == _facts_read_before(planned):
        return locked, None
    # A session was added, moved or cancelled, its room withdrawn, or the workshop cancelled or
    # unpublished since the page was read: decided again on what holds now, under the lock.
    fresh = await load_planned(planned.workshop.id)
    if fresh is None:
        raise Invalid({WORKSHOP: _("Cet atelier n'existe pas.")})
    _check_open(fresh, now)
    return locked, fresh


async def _send_link_again(
    settings: Settings, planned: Planned, existing: Registration, now: datetime
) -> SignupOutcome | None:
    """The address is registered to this workshop already (confirmed, waiting or cancelled): a
    new secret link by e-mail, which says what holds; nothing else changes. None when the
    registration was erased meanwhile.

    The same steps as a new sign-up, an e-mail composed before the lock, then one transaction
    under the workshop's lock that writes one row and queues one e-mail, so that neither the
    answer nor its timing tells a stranger that the address was known (rule 7)."""
    workshop = planned.workshop
    token = new_token()
    mail = await messages.compose_link_again(
        existing, workshop, token=token, settings=settings, sessions=planned.sessions
    )
    async with workshop_turn(workshop.id), transaction():
        _locked, fresh = await _lock_open(planned, now)
        current = await Registration.get_or_none(id=existing.id, email=existing.email)
        if current is None:
            return None
        current.token_hash = hash_token(token)
        await current.save(update_fields=["token_hash"])
        if fresh is not None or current.status != existing.status:
            now_planned = fresh or planned
            mail = await messages.compose_link_again(
                current,
                now_planned.workshop,
                token=token,
                settings=settings,
                sessions=now_planned.sessions,
            )
        await enqueue_composed(mail, settings=settings)
    return SignupOutcome(registration=current, created=False)


async def _register(
    settings: Settings,
    planned: Planned,
    family: Family,
    email: str,
    actor: Actor | None,
    now: datetime,
) -> SignupOutcome:
    workshop = planned.workshop
    token = new_token()
    places = places_for(workshop, family.children)
    commune = next(
        (
            row
            for row in planned.communes
            if is_commune(row, code=family.commune_code, name=family.commune)
        ),
        None,
    )
    registration = Registration(
        workshop_id=workshop.id,
        status=RegistrationStatus.WAITLISTED,
        places=places,
        parent_name=family.parent_name,
        email=email,
        phone=family.phone,
        commune=family.commune,
        commune_code=family.commune_code,
        adults=family.adults,
        children=[child.as_json() for child in family.children],
        first_time=family.first_time,
        heard_from=family.heard_from,
        needs=family.needs,
        reminders_consent=family.reminders_consent,
        token_hash=hash_token(token),
        registered_by_id=actor.staff.id if actor and actor.staff else None,
    )
    # The e-mail is written before the workshop's lock is taken, for the outcome its figures
    # announce, so that sign-ups of a busy workshop hold the lock only to decide and to store.
    # It is written again under the lock when the outcome or the sessions turned out otherwise.
    if workshop.places_taken + places <= workshop.capacity:
        registration.status = RegistrationStatus.CONFIRMED
    mail = await messages.compose_received(
        registration, workshop, token=token, settings=settings, sessions=planned.sessions
    )
    async with workshop_turn(workshop.id), transaction():
        locked, fresh = await _lock_open(planned, now)
        expected = registration.status
        # Full: nobody new gets a place, whoever waits (nothing more to ask the database).
        confirmed = (
            locked.places_taken + places <= locked.capacity
            and not await someone_could_be_promoted(workshop.id, planned.communes)
            and await take_places(workshop_id=workshop.id, places=places, commune=commune)
        )
        registration.status = (
            RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED
        )
        registration.confirmed_at = now if confirmed else None
        await registration.save()
        if fresh is not None or registration.status != expected:
            now_planned = fresh or planned
            mail = await messages.compose_received(
                registration,
                now_planned.workshop,
                token=token,
                settings=settings,
                sessions=now_planned.sessions,
            )
        await enqueue_composed(mail, settings=settings)
        if actor is not None:
            await record_event(
                actor=actor,
                action="registration.created_by_staff",
                summary=f"Famille inscrite par téléphone : {workshop.title}",
                object_type="registration",
                object_id=registration.id,
                organisation_id=workshop.organisation_id,
            )
    return SignupOutcome(registration=registration, created=True)

"""What a change to a planned workshop means for its families, in the transaction of the change.

Planning (`workshops.planning`) plans workshops and knows nothing of registrations; here, each
change that families feel is made and told at once: its places raised or lowered (raising them
promotes the waiting list, rule 1), a session moved to another room booking (the session keeps
its calendar UID and its SEQUENCE goes up, so the families' calendars update the event in place),
a session or the whole workshop cancelled (every registered family, waiting or confirmed, is
e-mailed with a STATUS:CANCELLED calendar file).
"""

from __future__ import annotations

from datetime import datetime

from workshops.audit import Actor, record_event
from workshops.kernel.clock import utc_now
from workshops.kernel.db import transaction
from workshops.kernel.i18n import _
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.planning import Session, Workshop, WorkshopStatus, lock_workshop, usable_bookings
from workshops.signup import messages
from workshops.signup.capacity import set_capacity
from workshops.signup.models import Registration, RegistrationStatus
from workshops.signup.waitlist import promote_waiting_families


async def change_capacity(
    *,
    settings: Settings,
    actor: Actor,
    workshop: Workshop,
    capacity: int,
    now: datetime | None = None,
) -> list[Registration]:
    """Raise or lower the capacity (never below the places confirmed); promotes when raised."""
    if not 1 <= capacity <= 200:
        raise Invalid({"capacity": _("Indiquez un nombre de places entre 1 et 200.")})
    async with transaction():
        await lock_workshop(workshop.id)
        if not await set_capacity(workshop_id=workshop.id, capacity=capacity):
            raise Invalid(
                {"capacity": _("Des familles occupent déjà plus de places : réduisez moins.")}
            )
        await record_event(
            actor=actor,
            action="workshop.capacity_changed",
            summary=f"Places de l'atelier {workshop.title} : {capacity}",
            object_type="workshop",
            object_id=workshop.id,
            organisation_id=workshop.organisation_id,
        )
        promoted = await promote_waiting_families(
            settings=settings, workshop_id=workshop.id, now=now or utc_now()
        )
    await workshop.refresh_from_db()
    return promoted


async def families_to_tell(workshop_id: int) -> list[Registration]:
    return list(
        await Registration.filter(
            workshop_id=workshop_id,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED],
        )
    )


async def cancel_session(
    *, settings: Settings, actor: Actor, session: Session, message: str
) -> Session:
    """Cancel one session with a message to every registered family (calendar CANCEL)."""
    if not message.strip():
        raise Invalid({"message": _("Écrivez un message aux familles : il leur est envoyé.")})
    async with transaction():
        # Under the workshop's lock: a family signing up meanwhile is either told by the sign-up
        # e-mail (written after this commit) or among the families told here.
        await lock_workshop(session.workshop_id)
        changed = await Session.filter(id=session.id, cancelled_at__isnull=True).update(
            cancelled_at=utc_now(), cancel_reason=message, sequence=session.sequence + 1
        )
        if not changed:
            raise Invalid({"message": _("Cette séance est déjà annulée.")})
        await session.refresh_from_db()
        workshop = await Workshop.get(id=session.workshop_id)
        for registration in await families_to_tell(workshop.id):
            await messages.session_cancelled(
                registration, workshop, settings=settings, session=session, message=message
            )
        await record_event(
            actor=actor,
            action="session.cancelled",
            summary=f"Séance annulée : {workshop.title}",
            object_type="session",
            object_id=session.id,
            organisation_id=workshop.organisation_id,
            details={"message": message},
        )
    return session


async def cancel_workshop(
    *, settings: Settings, actor: Actor, workshop: Workshop, message: str
) -> Workshop:
    """Cancel the whole workshop; every registered family is e-mailed."""
    if not message.strip():
        raise Invalid({"message": _("Écrivez un message aux familles : il leur est envoyé.")})
    async with transaction():
        await lock_workshop(workshop.id)
        changed = await Workshop.filter(
            id=workshop.id, status__in=[WorkshopStatus.DRAFT, WorkshopStatus.PUBLISHED]
        ).update(status=WorkshopStatus.CANCELLED, cancel_reason=message)
        if not changed:
            raise Invalid({"message": _("Cet atelier ne peut plus être annulé.")})
        for session in await Session.filter(workshop_id=workshop.id):
            await Session.filter(id=session.id).update(sequence=session.sequence + 1)
        await workshop.refresh_from_db()
        for registration in await families_to_tell(workshop.id):
            await messages.session_cancelled(
                registration, workshop, settings=settings, session=None, message=message
            )
        await record_event(
            actor=actor,
            action="workshop.cancelled",
            summary=f"Atelier annulé : {workshop.title}",
            object_type="workshop",
            object_id=workshop.id,
            organisation_id=workshop.organisation_id,
            details={"message": message},
        )
    return workshop


async def move_session(
    *, settings: Settings, actor: Actor, session: Session, booking_id: int
) -> Session:
    workshop = await Workshop.get(id=session.workshop_id)
    if session.cancelled_at is not None or workshop.status not in (
        WorkshopStatus.DRAFT,
        WorkshopStatus.PUBLISHED,
    ):
        raise Invalid({"booking": _("Cette séance ne peut plus être déplacée.")})
    found = await usable_bookings(workshop.organisation_id, [booking_id])
    if not found:
        raise Invalid({"booking": _("Choisissez une réservation libre de votre structure.")})
    booking = found[0]
    moved_from = await messages.session_line(session, settings)
    async with transaction():
        await Session.filter(id=session.id).update(
            booking_id=booking.id,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            sequence=session.sequence + 1,
        )
        await session.refresh_from_db()
        for registration in await families_to_tell(workshop.id):
            await messages.session_moved(
                registration, workshop, settings=settings, session=session, moved_from=moved_from
            )
        await record_event(
            actor=actor,
            action="session.moved",
            summary=f"Séance déplacée : {workshop.title}",
            object_type="session",
            object_id=session.id,
            organisation_id=workshop.organisation_id,
            details={"booking_id": booking.id},
        )
    return session

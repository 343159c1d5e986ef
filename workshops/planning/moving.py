"""Moving a session to another room booking (a new room or time), e.g. after a centre cancelled.

The session keeps its calendar UID and its SEQUENCE goes up, so the families' calendars update
the event in place; every registered family is e-mailed with the new calendar file.
"""

from __future__ import annotations

from workshops.audit.service import Actor, record_event
from workshops.kernel.db import transaction
from workshops.kernel.i18n import _
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.planning.models import Session, Workshop, WorkshopStatus
from workshops.planning.service import families_to_tell, usable_bookings
from workshops.signup import messages


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
    async with transaction():
        await Session.filter(id=session.id).update(
            booking_id=booking.id,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            sequence=session.sequence + 1,
        )
        await session.refresh_from_db()
        for registration in await families_to_tell(workshop.id):
            await messages.session_moved(registration, workshop, settings=settings, session=session)
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

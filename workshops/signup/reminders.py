"""Reminders before each session (`REMINDER_HOURS_BEFORE`, default 48 h), a worker job.

Each reminder is recorded (`ReminderSent`, unique per registration and session) in the same
transaction as its e-mail is queued: it is sent once, even with several workers running, and a
worker that stops between two families simply carries on next time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from workshops.kernel.clock import utc_now
from workshops.kernel.db import transaction
from workshops.kernel.settings import Settings
from workshops.planning import Session, WorkshopStatus
from workshops.signup import messages
from workshops.signup.models import Registration, RegistrationStatus, ReminderSent


async def send_due_reminders(settings: Settings) -> None:
    """The worker job."""
    await queue_due_reminders(settings)


async def queue_due_reminders(settings: Settings, *, now: datetime | None = None) -> int:
    """Queue every reminder now due; the number queued."""
    now = now or utc_now()
    horizon = now + timedelta(hours=settings.reminder_hours_before)
    sessions = await Session.filter(
        starts_at__gt=now,
        starts_at__lte=horizon,
        cancelled_at__isnull=True,
        workshop__status=WorkshopStatus.PUBLISHED,
    ).prefetch_related("workshop")
    queued = 0
    for session in sessions:
        already = {
            reminder.registration_id
            for reminder in await ReminderSent.filter(session_id=session.id).only(
                "id", "registration_id"
            )
        }
        families = await Registration.filter(
            workshop_id=session.workshop_id,
            status=RegistrationStatus.CONFIRMED,
            reminders_consent=True,
        )
        for registration in families:
            if registration.id not in already and await _remind(settings, registration, session):
                queued += 1
    return queued


async def _remind(settings: Settings, registration: Registration, session: Session) -> bool:
    try:
        async with transaction():
            await ReminderSent.create(registration_id=registration.id, session_id=session.id)
            await messages.reminder(registration, session.workshop, session, settings=settings)
    except IntegrityError:
        return False  # another worker reminded this family first
    return True

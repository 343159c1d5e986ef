"""A registration ends: the family cancels through its link (until the cutoff) or the staff does.

Freed places go to the waiting list at once, in the same transaction (rule 2).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from workshops.audit import Actor, record_event
from workshops.kernel.clock import utc_now
from workshops.kernel.db import transaction
from workshops.kernel.i18n import _
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.planning import Workshop, first_session_start, lock_workshop
from workshops.signup import messages
from workshops.signup.capacity import commune_of, release_places
from workshops.signup.links import hash_token, looks_like_token
from workshops.signup.models import Registration, RegistrationStatus
from workshops.signup.waitlist import promote_waiting_families

CANCELLATION = "cancellation"


async def find_registration(token: str) -> Registration | None:
    if not looks_like_token(token):
        return None
    return await Registration.get_or_none(token_hash=hash_token(token))


async def cancellation_deadline(registration: Registration, settings: Settings) -> datetime | None:
    """The last moment the family may cancel through its link; None when no session is left."""
    first = await first_session_start(registration.workshop_id)
    if first is None:
        return None
    return first - timedelta(hours=settings.signup_cancel_cutoff_hours)


def may_cancel_online(deadline: datetime | None, now: datetime) -> bool:
    return deadline is not None and now < deadline


async def cancel_by_family(
    *, settings: Settings, registration: Registration, now: datetime | None = None
) -> list[Registration]:
    """The family cancels; returns the families promoted in its place."""
    now = now or utc_now()
    deadline = await cancellation_deadline(registration, settings)
    if not may_cancel_online(deadline, now):
        raise Invalid(
            {CANCELLATION: _("Il est trop tard pour annuler en ligne : appelez le centre.")}
        )
    return await _cancel(settings=settings, registration=registration, now=now, actor=None)


async def cancel_by_staff(
    *, settings: Settings, actor: Actor, registration: Registration, now: datetime | None = None
) -> list[Registration]:
    """A staff member cancels for the family (it called): no cutoff, audited."""
    return await _cancel(
        settings=settings, registration=registration, now=now or utc_now(), actor=actor
    )


async def _cancel(
    *, settings: Settings, registration: Registration, now: datetime, actor: Actor | None
) -> list[Registration]:
    async with transaction():
        await lock_workshop(registration.workshop_id)
        await registration.refresh_from_db()
        if registration.status == RegistrationStatus.CANCELLED:
            raise Invalid({CANCELLATION: _("Cette inscription est déjà annulée.")})
        was_confirmed = registration.status == RegistrationStatus.CONFIRMED
        if was_confirmed:
            commune = await commune_of(
                workshop_id=registration.workshop_id,
                code=registration.commune_code,
                name=registration.commune,
            )
            await release_places(
                workshop_id=registration.workshop_id, places=registration.places, commune=commune
            )
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        await registration.save(update_fields=["status", "cancelled_at"])
        promoted = await promote_waiting_families(
            settings=settings, workshop_id=registration.workshop_id, now=now
        )
        workshop = await Workshop.get(id=registration.workshop_id)
        await messages.registration_cancelled(
            registration,
            workshop,
            settings=settings,
            was_confirmed=was_confirmed,
            place_offered=was_confirmed and bool(promoted),
        )
        if actor is not None:
            await record_event(
                actor=actor,
                action="registration.cancelled_by_staff",
                summary=f"Inscription annulée pour la famille : {workshop.title}",
                object_type="registration",
                object_id=registration.id,
                organisation_id=workshop.organisation_id,
            )
        return promoted

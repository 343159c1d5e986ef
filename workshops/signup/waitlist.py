"""Rule 2: when places free up, the waiting list is promoted in order, in the same transaction.

`promote_waiting_families` is called by whatever frees places (a cancellation, a raised capacity)
while it still holds the workshop's lock. Families are taken in order of arrival (registration id);
the first one that does not fit stops the promotion, so nobody behind can jump ahead for being
smaller; a family held back only by its commune's quota is passed over. Nobody is promoted once
the first session has started. Each promoted family is e-mailed with the calendar file.
"""

from __future__ import annotations

from datetime import datetime

from workshops.audit import Actor, record_event
from workshops.kernel.db import fetch
from workshops.kernel.i18n import _
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.planning import EligibleCommune, Workshop, WorkshopStatus, first_session_start
from workshops.signup import messages
from workshops.signup.capacity import commune_of, take_places
from workshops.signup.models import Registration, RegistrationStatus


async def waiting_position(registration: Registration) -> int:
    """1 for the first family of the list."""
    [row] = await fetch(
        "SELECT count(*) AS ahead FROM registration"
        " WHERE workshop_id = ? AND status = ? AND id < ?",
        [registration.workshop_id, RegistrationStatus.WAITLISTED.value, registration.id],
    )
    return int(row["ahead"]) + 1


async def someone_could_be_promoted(
    workshop_id: int, eligible: list[EligibleCommune] | None = None
) -> bool:
    """Whether a waiting family is held back by the places, not only by its commune's quota.

    A newcomer must then wait behind it. Read under the workshop's lock, so it cannot change.
    `eligible`, the workshop's eligible communes if the caller has them: without any quota
    among them, their places need not be read again.
    """
    if eligible is not None and all(commune.quota is None for commune in eligible):
        quotas = {}
    else:
        quotas = {
            row.id: row
            for row in await EligibleCommune.filter(workshop_id=workshop_id, quota__isnull=False)
        }
    waiting = Registration.filter(workshop_id=workshop_id, status=RegistrationStatus.WAITLISTED)
    if not quotas:
        # Without quotas only the places hold anyone back: one waiting family is enough. Every
        # sign-up asks this under the lock, so it must not read the whole list (a burst of sign-ups
        # on a full workshop would read it once per newcomer).
        return await waiting.exists()
    communes: dict[tuple[str, str], EligibleCommune | None] = {}
    for row in await waiting.values("commune_code", "commune", "places"):
        key = (row["commune_code"], row["commune"])
        if key not in communes:
            communes[key] = await commune_of(
                workshop_id=workshop_id, code=row["commune_code"], name=row["commune"]
            )
        commune = communes[key]
        quota = quotas.get(commune.id) if commune else None
        if (
            quota is None
            or quota.quota is None
            or quota.places_taken + row["places"] <= quota.quota
        ):
            return True
    return False


async def _confirm(registration: Registration, now: datetime) -> None:
    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = now
    await registration.save(update_fields=["status", "confirmed_at"])


async def promote_waiting_families(
    *, settings: Settings, workshop_id: int, now: datetime
) -> list[Registration]:
    """Confirm waiting families in order while places allow; call holding `lock_workshop`."""
    workshop = await Workshop.get(id=workshop_id)
    if workshop.status != WorkshopStatus.PUBLISHED:
        return []
    first = await first_session_start(workshop_id)
    if first is None or first <= now:
        return []
    promoted: list[Registration] = []
    waiting = await Registration.filter(
        workshop_id=workshop_id, status=RegistrationStatus.WAITLISTED
    ).order_by("id")
    for candidate in waiting:
        await workshop.refresh_from_db(fields=["places_taken", "capacity"])
        if candidate.places > workshop.places_left:
            break
        commune = await commune_of(
            workshop_id=workshop_id, code=candidate.commune_code, name=candidate.commune
        )
        if not await take_places(workshop_id=workshop_id, places=candidate.places, commune=commune):
            continue  # only this family's commune quota is full
        await _confirm(candidate, now)
        await messages.promoted(candidate, workshop, settings=settings)
        promoted.append(candidate)
    return promoted


async def move_from_waitlist(
    *, settings: Settings, actor: Actor, registration: Registration, now: datetime
) -> Registration:
    """A staff member confirms a waiting family out of turn (audited), if places allow."""
    workshop = await Workshop.get(id=registration.workshop_id)
    commune = await commune_of(
        workshop_id=workshop.id, code=registration.commune_code, name=registration.commune
    )
    if registration.status != RegistrationStatus.WAITLISTED:
        raise Invalid({"registration": _("Cette famille n'est pas sur la liste d'attente.")})
    if not await take_places(workshop_id=workshop.id, places=registration.places, commune=commune):
        raise Invalid({"registration": _("Il ne reste pas assez de places pour cette famille.")})
    await _confirm(registration, now)
    await messages.promoted(registration, workshop, settings=settings)
    await record_event(
        actor=actor,
        action="registration.moved_from_waitlist",
        summary=f"Famille inscrite hors tour depuis la liste d'attente : {workshop.title}",
        object_type="registration",
        object_id=registration.id,
        organisation_id=workshop.organisation_id,
    )
    return registration

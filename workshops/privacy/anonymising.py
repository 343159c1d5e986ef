"""Anonymisation of families' registrations (DESIGN rule 6), by the daily job or on request.

Erasure is of a person: a family is its e-mail (case-insensitive), and erasing it reaches every
registration of that address on the platform, whichever organisation ran the workshop, so no
other PMI keeps the address readable. All those registrations receive one `family_key` (the one
already on some of them, if any, otherwise a fresh random one), which the evaluation counts in
place of the e-mail (`evaluation.participation`): distinct, new and returning families stay the
same numbers. Names, e-mail, phone and free text are erased in place; the e-mail becomes
`anonyme-<id>@invalid`, unique, so the unique constraint (workshop, e-mail) still holds. Commune,
children's months, attendance and dates stay. The family's e-mails in the outbox (they quote
names) are deleted once sent.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from workshops.audit import SYSTEM, Actor, AuditEvent, record_event
from workshops.evaluation import fetch
from workshops.kernel.clock import utc_now
from workshops.kernel.db import transaction
from workshops.kernel.settings import Settings
from workshops.mail import MailStatus, OutboxMessage
from workshops.partners import add_months
from workshops.signup import Registration

DAILY_ACTION = "privacy.retention_applied"


def placeholder_email(registration_id: int) -> str:
    return f"anonyme-{registration_id}@invalid"


def email_digest(email: str) -> str:
    """What the audit log says instead of an e-mail: a short hash, never the address itself."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


async def expired_families(*, settings: Settings, now: datetime) -> list[str]:
    """E-mails (lower case) whose last session ended more than the retention period ago."""
    cutoff = datetime.combine(add_months(now.date(), -settings.retention_months), now.timetz())
    rows = await fetch(
        "SELECT lower(r.email) AS family FROM registration r "
        "LEFT JOIN workshop_session s ON s.workshop_id = r.workshop_id "
        "WHERE r.anonymised_at IS NULL GROUP BY lower(r.email) "
        "HAVING MAX(COALESCE(s.ends_at, r.created_at)) < ?",
        [cutoff],
    )
    return [row["family"] for row in rows]


async def anonymise_family(*, email: str, now: datetime) -> list[int]:
    """Erase the personal data of every registration of `email` on the platform; the ids of
    those erased, all under one family key."""
    async with transaction():
        registrations = await Registration.filter(email__iexact=email.strip()).select_for_update()
        keys = sorted({registration.family_key for registration in registrations} - {""})
        key = keys[0] if keys else secrets.token_hex(16)
        erased = [registration for registration in registrations if not registration.anonymised_at]
        for registration in erased:
            await Registration.filter(id=registration.id).update(
                parent_name="",
                email=placeholder_email(registration.id),
                phone="",
                needs="",
                family_key=key,
                anonymised_at=now,
            )
        await OutboxMessage.filter(
            recipient__iexact=email.strip(), status__in=[MailStatus.SENT, MailStatus.FAILED]
        ).delete()
    return [registration.id for registration in erased]


async def anonymise_expired(
    *, settings: Settings, now: datetime, actor: Actor = SYSTEM
) -> list[int]:
    """Apply rule 6 to every family past the retention period; one audit event for the run."""
    erased: list[int] = []
    for email in await expired_families(settings=settings, now=now):
        erased.extend(await anonymise_family(email=email, now=now))
    await record_event(
        actor=actor,
        action=DAILY_ACTION,
        summary=f"Anonymisation : {len(erased)} inscription(s) de plus de "
        f"{settings.retention_months} mois",
        object_type="registration",
        details={"registration_ids": erased},
    )
    return erased


async def apply_retention_daily(settings: Settings) -> None:
    """Worker job: anonymise once a day (the last run is the audit event of the run)."""
    now = utc_now()
    last_day = AuditEvent.filter(action=DAILY_ACTION, created_at__gte=now - timedelta(days=1))
    if await last_day.exists():
        return
    await anonymise_expired(settings=settings, now=now)

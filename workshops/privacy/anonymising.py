"""Anonymisation of families' registrations (DESIGN rule 6), by the daily job or on request.

A family (its e-mail, case-insensitive) is anonymised as a whole once `RETENTION_MONTHS` have
passed since its last session, so all its registrations receive the same random `family_key` at
once and the evaluation keeps counting it as one family. Names, e-mail, phone and free text are
erased in place; the e-mail becomes `anonyme-<id>@invalid`, unique, so the unique constraint
(workshop, e-mail) still holds. Commune, children's months, attendance and dates stay. The family's
e-mails in the outbox (they quote names) are deleted once sent.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from workshops.audit.models import AuditEvent
from workshops.audit.service import SYSTEM, Actor, record_event
from workshops.db import transaction
from workshops.evaluation.sql import fetch
from workshops.kernel.clock import utc_now
from workshops.mail.models import MailStatus, OutboxMessage
from workshops.partners.terms import add_months
from workshops.settings import Settings
from workshops.signup.models import Registration

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


async def anonymise_family(
    *, email: str, now: datetime, organisation_ids: list[int] | None = None
) -> list[int]:
    """Erase the personal data of every registration of `email` (to workshops of
    `organisation_ids` when given); the ids of those erased."""
    key = secrets.token_hex(16)
    query = Registration.filter(email__iexact=email.strip(), anonymised_at=None)
    if organisation_ids is not None:
        query = query.filter(workshop__organisation_id__in=organisation_ids)
    async with transaction():
        registrations = await query.select_for_update()
        for registration in registrations:
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
    return [registration.id for registration in registrations]


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

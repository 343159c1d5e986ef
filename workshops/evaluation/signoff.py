"""Sign-off of a convention year's evaluation by both parties [signature du bilan].

The first signature freezes the figures as JSON; the second party signs those same figures. When
data changes later (a late attendance, a cancelled session), the page lists the figures whose
signed and current values differ, side by side, and the signed record never moves.

A year is signed once it is over. When one party signs, the other party (the PMI's coordinators,
or the partner's managers, and the organisation's contact address) is e-mailed: that it has
signed, with its comment, and whether their own signature is still awaited.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from workshops.accounts import Organisation
from workshops.audit import Actor, record_event
from workshops.evaluation.models import EvaluationRecord
from workshops.evaluation.tables import Value, build_tables
from workshops.kernel.db import transaction
from workshops.kernel.i18n import _, format_day
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.mail import enqueue_mail
from workshops.partners import Convention, party_addresses

COMMENT_MAX = 2000
MAIL_TEMPLATE = "evaluation_signed"
logger = logging.getLogger("workshops.evaluation")
_COMPARED = ("Activité", "Locaux", "Participation", "Âges")


@dataclass(frozen=True)
class Change:
    label: str
    signed: Value
    current: Value


async def get_record(*, convention: Convention, year: int) -> EvaluationRecord | None:
    record: EvaluationRecord | None = await EvaluationRecord.get_or_none(
        convention_id=convention.id, year=year
    ).prefetch_related("pmi_signed_by", "partner_signed_by")
    return record


def changed_figures(record: EvaluationRecord | None, current: dict[str, Any]) -> list[Change]:
    """The figures that moved since the record was frozen, with both values."""
    if record is None or record.frozen_at is None:
        return []
    tables = build_tables(record.figures, current, ("signé", "actuel"))
    return [
        Change(row.label, row.values[0], row.values[1])
        for table in tables
        if table.key in _COMPARED
        for row in table.rows
        if row.values[0] != row.values[1]
    ]


def signable(last_day: date, today: date) -> bool:
    """A year is signed once it is over: its figures no longer move with sessions to come."""
    return today > last_day


def signable_from(last_day: date) -> date:
    return last_day + timedelta(days=1)


async def sign_evaluation(
    *,
    actor: Actor,
    convention: Convention,
    year: int,
    last_day: date,
    party: str,
    comment: str,
    figures: dict[str, Any],
    now: datetime,
    today: date,
    settings: Settings,
) -> EvaluationRecord:
    """Sign the year for `party` ("pmi" or "partner"); the first signature freezes the figures.
    The other party is e-mailed in the same transaction."""
    if party not in ("pmi", "partner"):
        raise Invalid({"comment": _("Vous ne pouvez pas signer ce bilan.")})
    if len(comment) > COMMENT_MAX:
        raise Invalid({"comment": _("Le commentaire est trop long.")})
    if not signable(last_day, today):
        raise Invalid(
            {
                "comment": _(
                    "Le bilan se signe une fois l'année de convention terminée, à partir du "
                    "%(day)s.",
                    day=format_day(signable_from(last_day)),
                )
            }
        )
    async with transaction():
        record, _created = await EvaluationRecord.get_or_create(
            convention_id=convention.id, year=year
        )
        record = await EvaluationRecord.select_for_update().get(id=record.id)
        if getattr(record, f"{party}_signed_at") is not None:
            raise Invalid({"comment": _("Ce bilan est déjà signé pour votre structure.")})
        if record.frozen_at is None:
            record.figures = figures
            record.frozen_at = now
        setattr(record, f"{party}_comment", comment)
        setattr(record, f"{party}_signed_by_id", actor.staff.id if actor.staff else None)
        setattr(record, f"{party}_signed_at", now)
        await record.save()
        await record_event(
            actor=actor,
            action="evaluation.signed",
            summary=f"Bilan {year} signé : convention {convention.id}",
            object_type="evaluation",
            object_id=record.id,
            organisation_id=convention.pmi_id if party == "pmi" else convention.partner_id,
        )
        await _tell_the_other_party(
            settings=settings,
            convention=convention,
            record=record,
            year=year,
            party=party,
            signer=str(getattr(actor.staff, "full_name", "")),
        )
    return record


async def _tell_the_other_party(
    *,
    settings: Settings,
    convention: Convention,
    record: EvaluationRecord,
    year: int,
    party: str,
    signer: str,
) -> None:
    signed_by = await Organisation.get(
        id=convention.pmi_id if party == "pmi" else convention.partner_id
    )
    other = await Organisation.get(
        id=convention.partner_id if party == "pmi" else convention.pmi_id
    )
    other_party = "partner" if party == "pmi" else "pmi"
    context = {
        "convention_id": convention.id,
        "year": year,
        "signed_by": signed_by.name,
        "other_name": other.name,
        "signer": signer,
        "comment": getattr(record, f"{party}_comment"),
        "awaited": getattr(record, f"{other_party}_signed_at") is None,
    }
    for address in await party_addresses(other):
        try:
            await enqueue_mail(
                settings=settings, to=address, template=MAIL_TEMPLATE, context=context
            )
        except Invalid:  # an address stored before today's checks: the others are told
            logger.warning("Adresse invalide ignorée pour un bilan signé : %s", address)

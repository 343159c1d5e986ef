"""What coordinators do with conventions: draft, edit while draft, sign, terminate; and reading.

Every change is recorded in the audit log, in the transaction of the change. The rules on dates
(status, renewals, notice) live in `workshops.partners.terms`, and what they give for a stored
convention in `workshops.partners.schedule`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tortoise.expressions import Q

from workshops.accounts import Organisation, OrganisationKind
from workshops.audit import Actor, record_event
from workshops.kernel.db import transaction
from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid
from workshops.partners.clauses import CLAUSE_CODES, MAX_CLAUSE_LENGTH, model_clauses
from workshops.partners.models import Convention, ConventionRoom
from workshops.partners.schedule import status_of, terms_of
from workshops.partners.terms import ConventionStatus, natural_last_day
from workshops.rooms import Room

PARTNER_KINDS = (OrganisationKind.CENTRE, OrganisationKind.FUNDER)
# Dates outside these years are typing mistakes, and would overflow date arithmetic.
FIRST_YEAR, LAST_YEAR = 2000, 2090


@dataclass(frozen=True)
class ConventionDetails:
    """What the coordinator writes in a draft convention."""

    starts_on: date
    reference: str = ""
    term_months: int = 12
    tacit_renewal: bool = True
    max_years: int = 5
    notice_months: int = 3
    clauses: dict[str, str] = field(default_factory=dict)
    room_ids: tuple[int, ...] = ()


def _in_range(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def _year_message() -> str:
    return _("Indiquez une date entre %(first)s et %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)


async def partner_choices() -> list[Organisation]:
    """The organisations a convention can be made with: centres and funders."""
    return list(await Organisation.filter(kind__in=list(PARTNER_KINDS)))


async def get_partner(partner_id: int) -> Organisation | None:
    partner: Organisation | None = await Organisation.get_or_none(
        id=partner_id, kind__in=list(PARTNER_KINDS)
    )
    return partner


async def rooms_of_partner(partner_id: int) -> list[Room]:
    rooms = await Room.filter(site__organisation_id=partner_id).prefetch_related("site")
    return sorted(rooms, key=lambda room: (room.site.name, room.name))


def _details_errors(details: ConventionDetails, partner_room_ids: set[int]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not _in_range(details.starts_on):
        errors["starts_on"] = _year_message()
    if not set(details.room_ids) <= partner_room_ids:
        errors["rooms"] = _("Choisissez des salles du centre partenaire.")
    for code in CLAUSE_CODES:
        text = details.clauses.get(code, "")
        if not text.strip():
            errors[f"clause_{code}"] = _("Écrivez le texte de cette clause.")
        elif len(text) > MAX_CLAUSE_LENGTH:
            errors[f"clause_{code}"] = _("Ce texte est trop long.")
    return errors


def draft_details(*, today: date) -> dict[str, str]:
    """The values of a new convention's form: the founding convention's terms and clauses."""
    start = date(today.year, today.month, 1)
    clauses = model_clauses()
    return {
        "starts_on": start.isoformat(),
        "term_months": "12",
        "tacit_renewal": "1",
        "max_years": "5",
        "notice_months": "3",
        **{f"clause_{code}": text for code, text in clauses.items()},
    }


async def _save_rooms(convention: Convention, room_ids: Sequence[int]) -> None:
    await ConventionRoom.filter(convention_id=convention.id).delete()
    for room_id in sorted(set(room_ids)):
        await ConventionRoom.create(convention_id=convention.id, room_id=room_id)


def _values(details: ConventionDetails) -> dict[str, Any]:
    return {
        "reference": details.reference,
        "starts_on": details.starts_on,
        "term_months": details.term_months,
        "tacit_renewal": details.tacit_renewal,
        "max_years": details.max_years,
        "notice_months": details.notice_months,
        "clauses": {code: details.clauses[code].strip() for code in CLAUSE_CODES},
    }


async def create_convention(
    *, actor: Actor, pmi_id: int, partner_id: int, details: ConventionDetails
) -> Convention:
    """A draft convention between the PMI organisation and a centre or a funder."""
    pmi = await Organisation.get_or_none(id=pmi_id, kind=OrganisationKind.PMI)
    partner = await get_partner(partner_id)
    if pmi is None:
        raise Invalid({"pmi": _("Choisissez le service de PMI signataire.")})
    if partner is None:
        raise Invalid({"partner": _("Choisissez un centre partenaire ou un financeur.")})
    room_ids = {room.id for room in await rooms_of_partner(partner.id)}
    errors = _details_errors(details, room_ids)
    if errors:
        raise Invalid(errors)
    async with transaction():
        convention = await Convention.create(
            pmi_id=pmi.id,
            partner_id=partner.id,
            created_by_id=actor.staff.id if actor.staff else None,
            **_values(details),
        )
        await _save_rooms(convention, details.room_ids)
        await record_event(
            actor=actor,
            action="convention.created",
            summary=f"Convention créée (brouillon) : {partner.name}",
            object_type="convention",
            object_id=convention.id,
            organisation_id=pmi.id,
        )
    return convention


def _require_draft(convention: Convention, message: str) -> None:
    if convention.signed_on is not None:
        raise Invalid({"convention": message})


async def update_convention(
    *, actor: Actor, convention: Convention, details: ConventionDetails
) -> Convention:
    """Change a draft; a signed convention is what both parties signed and no longer changes."""
    _require_draft(convention, _("Une convention signée ne se modifie plus."))
    room_ids = {room.id for room in await rooms_of_partner(convention.partner_id)}
    errors = _details_errors(details, room_ids)
    if errors:
        raise Invalid(errors)
    async with transaction():
        changed = await Convention.filter(id=convention.id, signed_on=None).update(
            **_values(details)
        )
        if not changed:
            raise Invalid({"convention": _("Une convention signée ne se modifie plus.")})
        await _save_rooms(convention, details.room_ids)
        await record_event(
            actor=actor,
            action="convention.updated",
            summary=f"Convention modifiée (brouillon) n° {convention.id}",
            object_type="convention",
            object_id=convention.id,
            organisation_id=convention.pmi_id,
        )
    return await Convention.get(id=convention.id)


async def sign_convention(
    *, actor: Actor, convention: Convention, signed_on: date, today: date
) -> Convention:
    """Record the signature date: the draft becomes the convention both parties apply."""
    _require_draft(convention, _("Cette convention est déjà signée."))
    if signed_on > today:
        raise Invalid({"signed_on": _("La date de signature ne peut pas être dans le futur.")})
    if not _in_range(signed_on):
        raise Invalid({"signed_on": _year_message()})
    partner = await Organisation.get(id=convention.partner_id)
    has_rooms = await ConventionRoom.filter(convention_id=convention.id).exists()
    if partner.kind is OrganisationKind.CENTRE and not has_rooms:
        raise Invalid({"signed_on": _("Indiquez d'abord les salles couvertes par la convention.")})
    async with transaction():
        changed = await Convention.filter(id=convention.id, signed_on=None).update(
            signed_on=signed_on
        )
        if not changed:
            raise Invalid({"signed_on": _("Cette convention est déjà signée.")})
        await record_event(
            actor=actor,
            action="convention.signed",
            summary=f"Convention signée le {signed_on.isoformat()} : {partner.name}",
            object_type="convention",
            object_id=convention.id,
            organisation_id=convention.pmi_id,
        )
    return await Convention.get(id=convention.id)


async def terminate_convention(
    *, actor: Actor, convention: Convention, terminated_on: date, reason: str, today: date
) -> Convention:
    """Record a termination: its last day of application and its reason."""
    errors: dict[str, str] = {}
    status = status_of(convention, today)
    if status not in (ConventionStatus.ACTIVE, ConventionStatus.ENDING):
        errors["terminated_on"] = _("Seule une convention signée et en cours peut être résiliée.")
    elif convention.terminated_on is not None:
        errors["terminated_on"] = _("Cette convention est déjà résiliée.")
    elif not _in_range(terminated_on):
        errors["terminated_on"] = _year_message()
    elif convention.signed_on is not None and terminated_on < convention.signed_on:
        errors["terminated_on"] = _("La date de fin ne peut pas précéder la signature.")
    elif terminated_on > natural_last_day(terms_of(convention)):
        errors["terminated_on"] = _(
            "La convention prend fin d'elle-même avant cette date : choisissez une date plus "
            "proche."
        )
    if not reason.strip():
        errors["reason"] = _("Indiquez le motif de la résiliation.")
    if errors:
        raise Invalid(errors)
    async with transaction():
        changed = await Convention.filter(
            id=convention.id, signed_on__isnull=False, terminated_on=None
        ).update(terminated_on=terminated_on, termination_reason=reason.strip())
        if not changed:
            raise Invalid({"terminated_on": _("Cette convention est déjà résiliée.")})
        await record_event(
            actor=actor,
            action="convention.terminated",
            summary=f"Convention n° {convention.id} résiliée, dernier jour le "
            f"{terminated_on.isoformat()}",
            object_type="convention",
            object_id=convention.id,
            organisation_id=convention.pmi_id,
            details={"reason": reason.strip()[:500]},
        )
    return await Convention.get(id=convention.id)


async def get_convention(convention_id: int) -> Convention | None:
    convention: Convention | None = await Convention.get_or_none(id=convention_id).prefetch_related(
        "pmi", "partner"
    )
    return convention


async def covered_rooms(convention: Convention) -> list[Room]:
    rooms = await Room.filter(convention_rooms__convention_id=convention.id).prefetch_related(
        "site"
    )
    return sorted(rooms, key=lambda room: (room.site.name, room.name))


async def list_conventions(
    *, pmi_ids: Sequence[int], partner_ids: Sequence[int], offset: int = 0, limit: int = 25
) -> tuple[list[Convention], int]:
    """The conventions of these PMI organisations, and those these partners are party to."""
    query = Convention.filter(Q(pmi_id__in=list(pmi_ids)) | Q(partner_id__in=list(partner_ids)))
    total = await query.count()
    conventions = (
        await query.offset(offset).limit(limit).prefetch_related("pmi", "partner", "documents")
    )
    return list(conventions), total

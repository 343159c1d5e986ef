"""A convention's status and deadlines, as its pages and the reminder job see them.

`terms` computes from dates alone; this module applies it to a stored convention and its
insurance certificates, and puts French words on the results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from workshops.kernel.i18n import N_, _, format_day
from workshops.partners.models import Convention, ConventionDocument, DocumentKind
from workshops.partners.terms import (
    ConventionStatus,
    Deadline,
    Terms,
    deadlines,
    earliest_end_with_notice,
    last_day,
    status_on,
)

STATUS_LABELS = {
    ConventionStatus.DRAFT: N_("Brouillon"),
    ConventionStatus.ACTIVE: N_("En vigueur"),
    ConventionStatus.ENDING: N_("Fin prochaine"),
    ConventionStatus.ENDED: N_("Échue"),
    ConventionStatus.TERMINATED: N_("Résiliée"),
}
DEADLINE_LABELS = {
    "notice": N_("Date limite de dénonciation"),
    "renewal": N_("Reconduction tacite"),
    "end": N_("Fin de la convention"),
    "certificate": N_("Fin de validité d'une attestation d'assurance"),
}


def terms_of(convention: Convention) -> Terms:
    return Terms(
        starts_on=convention.starts_on,
        term_months=convention.term_months,
        tacit_renewal=convention.tacit_renewal,
        max_years=convention.max_years,
        notice_months=convention.notice_months,
        signed_on=convention.signed_on,
        terminated_on=convention.terminated_on,
    )


def status_of(convention: Convention, today: date) -> ConventionStatus:
    return status_on(terms_of(convention), today)


def status_label(status: ConventionStatus) -> str:
    return _(STATUS_LABELS[status])


def deadline_label(kind: str) -> str:
    return _(DEADLINE_LABELS[kind])


def suggested_termination_day(convention: Convention, today: date) -> date:
    """The last day if notice is given today, the notice period respected."""
    return earliest_end_with_notice(terms_of(convention), today)


def current_certificates(documents: Sequence[ConventionDocument]) -> list[ConventionDocument]:
    """The insurance certificate of each party that expires last: the one that counts."""
    latest: dict[int, ConventionDocument] = {}
    for document in documents:
        if document.kind is not DocumentKind.INSURANCE or document.party_id is None:
            continue
        known = latest.get(document.party_id)
        if known is None or (document.expires_on or date.min) > (known.expires_on or date.min):
            latest[document.party_id] = document
    return list(latest.values())


def all_deadlines(
    convention: Convention, documents: Sequence[ConventionDocument]
) -> list[Deadline]:
    """The convention's dates and its current certificates' expiry dates, in date order."""
    found = deadlines(terms_of(convention))
    if convention.signed_on is not None:
        for certificate in current_certificates(documents):
            if certificate.expires_on is not None:
                found.append(Deadline("certificate", certificate.expires_on, str(certificate.id)))
    return sorted(found, key=lambda deadline: deadline.due_on)


def next_deadline(
    convention: Convention, documents: Sequence[ConventionDocument], today: date
) -> Deadline | None:
    if status_of(convention, today) in (ConventionStatus.ENDED, ConventionStatus.TERMINATED):
        return None
    upcoming = [d for d in all_deadlines(convention, documents) if d.due_on >= today]
    return upcoming[0] if upcoming else None


@dataclass(frozen=True)
class ConventionRow:
    """A line of the conventions list: the convention, its status and its next deadline."""

    convention: Convention
    status: ConventionStatus
    status_label: str
    next_deadline: Deadline | None
    next_deadline_label: str


def convention_rows(conventions: Sequence[Convention], today: date) -> list[ConventionRow]:
    rows = []
    for convention in conventions:
        status = status_of(convention, today)
        upcoming = next_deadline(convention, list(convention.documents), today)
        rows.append(
            ConventionRow(
                convention=convention,
                status=status,
                status_label=status_label(status),
                next_deadline=upcoming,
                next_deadline_label=deadline_label(upcoming.kind) if upcoming else "",
            )
        )
    return rows


def status_explanation(convention: Convention, today: date) -> str:
    """Why the convention has its status, in one French sentence (empty when obvious)."""
    terms = terms_of(convention)
    status = status_on(terms, today)
    end = format_day(last_day(terms))
    if status is ConventionStatus.ACTIVE and today < convention.starts_on:
        return _("Signée ; elle prend effet le %(day)s.", day=format_day(convention.starts_on))
    if status is not ConventionStatus.ENDING:
        return ""
    if convention.terminated_on is not None:
        return _("Résiliée : elle s'applique jusqu'au %(day)s inclus.", day=end)
    if not convention.tacit_renewal:
        return _("Sans reconduction tacite : elle prend fin le %(day)s.", day=end)
    return _(
        "Dernière période avant la durée maximale de %(years)s ans : elle prend fin le %(day)s.",
        years=convention.max_years,
        day=end,
    )

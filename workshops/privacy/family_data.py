"""The staff privacy tool: find a family's data by e-mail, export it, erase it on request.

Only coordinators hold RUN_PRIVACY_TOOL, and they see and export the registrations to workshops
of their own PMI. An erasure is of the person: it reaches every registration of the address on
the platform (`anonymising`), so that no other organisation keeps it. Every search, export and
erasure is in the audit log with who asked, which names the registration ids and a hash of the
e-mail, never the e-mail itself.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from workshops.audit import Actor, record_event
from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid, email_problem
from workshops.privacy.anonymising import anonymise_family, email_digest
from workshops.signup import Attendance, Registration


def _checked(email: str) -> str:
    problem = email_problem(email.strip())
    if problem:
        raise Invalid({"email": problem})
    return email.strip()


async def _registrations(email: str, organisation_ids: list[int]) -> list[Registration]:
    return list(
        await Registration.filter(
            email__iexact=email, workshop__organisation_id__in=organisation_ids
        )
        .prefetch_related("workshop")
        .order_by("id")
    )


async def _audit(actor: Actor, action: str, summary: str, email: str, ids: list[int]) -> None:
    await record_event(
        actor=actor,
        action=action,
        summary=summary,
        object_type="registration",
        details={"email_sha256": email_digest(email), "registration_ids": ids},
    )


async def find_family(
    *, actor: Actor, email: str, organisation_ids: list[int]
) -> list[Registration]:
    email = _checked(email)
    found = await _registrations(email, organisation_ids)
    ids = [registration.id for registration in found]
    await _audit(actor, "privacy.searched", f"Recherche de données : {len(ids)}", email, ids)
    return found


async def _presences(ids: list[int]) -> dict[int, list[dict[str, str]]]:
    found: dict[int, list[dict[str, str]]] = {number: [] for number in ids}
    attendances = await Attendance.filter(registration_id__in=ids).prefetch_related("session")
    for attendance in sorted(attendances, key=lambda item: item.session.starts_at):
        found[attendance.registration_id].append(
            {"seance": attendance.session.starts_at.isoformat(), "presence": attendance.status}
        )
    return found


def _as_data(registration: Registration, presences: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "inscription": registration.id,
        "atelier": registration.workshop.title,
        "statut": registration.status.value,
        "nom": registration.parent_name,
        "email": registration.email,
        "telephone": registration.phone,
        "commune": registration.commune,
        "adultes": registration.adults,
        "enfants": registration.children,
        "premiere_participation": registration.first_time,
        "connu_par": registration.heard_from,
        "besoins": registration.needs,
        "rappels_acceptes": registration.reminders_consent,
        "inscrit_le": registration.created_at.isoformat(),
        "presences": presences,
    }


async def export_family(*, actor: Actor, email: str, organisation_ids: list[int]) -> bytes:
    """Everything held about the family, as JSON (right of access and portability)."""
    email = _checked(email)
    found = await _registrations(email, organisation_ids)
    ids = [registration.id for registration in found]
    await _audit(actor, "privacy.exported", f"Export de données : {len(ids)}", email, ids)
    presences = await _presences(ids)
    payload = {"inscriptions": [_as_data(item, presences[item.id]) for item in found]}
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


async def erase_family(*, actor: Actor, email: str, confirmed: bool, now: datetime) -> list[int]:
    """Erase on request (right to erasure): the same anonymisation as rule 6, at once, of every
    registration of the address on the platform."""
    email = _checked(email)
    if not confirmed:
        raise Invalid({"confirm": _("Cochez la case pour confirmer l'effacement.")})
    ids = await anonymise_family(email=email, now=now)
    await _audit(actor, "privacy.erased", f"Effacement sur demande : {len(ids)}", email, ids)
    return ids

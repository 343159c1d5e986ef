"""Who is registered to a workshop, for its planners: the list, the CSV export, attendance.

The CSV is written by `workshops.kernel.spreadsheets`: it opens right in French Excel (DESIGN
section 3) and no typed text runs as a formula (rule 8).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from tortoise.exceptions import IntegrityError

from workshops.kernel.i18n import _, format_datetime
from workshops.kernel.spreadsheets import Cell, csv_bytes
from workshops.kernel.validation import Invalid
from workshops.planning import Session, Workshop
from workshops.signup.models import Attendance, AttendanceStatus, Registration, RegistrationStatus

ATTENDANCE_LABELS = {
    AttendanceStatus.PRESENT: "présent",
    AttendanceStatus.EXCUSED: "absent excusé",
    AttendanceStatus.ABSENT: "absent",
}
STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: "confirmée",
    RegistrationStatus.WAITLISTED: "liste d'attente",
    RegistrationStatus.CANCELLED: "annulée",
}


@dataclass
class Roster:
    confirmed: list[Registration] = field(default_factory=list)
    waiting: list[Registration] = field(default_factory=list)
    cancelled: list[Registration] = field(default_factory=list)


async def roster_of(workshop_id: int) -> Roster:
    roster = Roster()
    for registration in await Registration.filter(workshop_id=workshop_id).order_by("id"):
        {
            RegistrationStatus.CONFIRMED: roster.confirmed,
            RegistrationStatus.WAITLISTED: roster.waiting,
            RegistrationStatus.CANCELLED: roster.cancelled,
        }[registration.status].append(registration)
    return roster


def children_label(registration: Registration) -> str:
    parts = []
    for child in registration.children:
        if "expected" in child:
            parts.append(f"naissance prévue {child['expected']}")
        else:
            parts.append(f"né(e) {child.get('born', '')}")
    return ", ".join(parts)


_HEADER = (
    "Statut",
    "Nom",
    "E-mail",
    "Téléphone",
    "Commune",
    "Adultes",
    "Enfants",
    "Places",
    "Première participation",
    "Connu par",
    "Besoins d'accès ou de langue",
    "Rappels",
    "Inscrit le",
)


def _csv_row(registration: Registration) -> tuple[Cell, ...]:
    return (
        STATUS_LABELS[registration.status],
        registration.parent_name,
        registration.email,
        registration.phone,
        registration.commune,
        registration.adults,
        children_label(registration),
        registration.places,
        registration.first_time,
        registration.heard_from,
        registration.needs,
        registration.reminders_consent,
        registration.created_at,
    )


async def registrations_csv(workshop: Workshop) -> bytes:
    registrations = await Registration.filter(workshop_id=workshop.id).order_by("id")
    return csv_bytes([_HEADER, *(_csv_row(registration) for registration in registrations)])


async def attendance_of(session: Session) -> dict[int, AttendanceStatus]:
    return {a.registration_id: a.status for a in await Attendance.filter(session_id=session.id)}


def attendance_open(session: Session, now: datetime) -> bool:
    """Attendance is taken from the session's start on: a mark made ahead would count a session
    that may never be held (the evaluation counts marks of sessions held only)."""
    return session.starts_at <= now


def attendance_not_yet(session: Session, zone: tzinfo) -> str:
    """Why attendance cannot be taken yet, and from when."""
    return _(
        "La présence se note à partir du début de la séance, le %(moment)s.",
        moment=format_datetime(session.starts_at, zone),
    )


async def record_attendance(
    *, session: Session, registration: Registration, status: str, zone: tzinfo, now: datetime
) -> AttendanceStatus:
    """Mark a confirmed family present, excused or absent at a session that has started (changed
    at will afterwards); refused ahead of the session's start."""
    if not attendance_open(session, now):
        raise Invalid({"status": attendance_not_yet(session, zone)})
    if status not in AttendanceStatus.__members__.values():
        raise Invalid({"status": _("Choisissez présent, absent excusé ou absent.")})
    if (
        registration.workshop_id != session.workshop_id
        or registration.status != RegistrationStatus.CONFIRMED
    ):
        raise Invalid({"status": _("Cette famille n'est pas inscrite à cette séance.")})
    chosen = AttendanceStatus(status)
    updated = await Attendance.filter(
        registration_id=registration.id, session_id=session.id
    ).update(status=chosen)
    if not updated:
        try:
            await Attendance.create(
                registration_id=registration.id, session_id=session.id, status=chosen
            )
        except IntegrityError:  # the same mark sent twice at once: the other one is stored
            await Attendance.filter(registration_id=registration.id, session_id=session.id).update(
                status=chosen
            )
    return chosen

"""A straightforward computation of every figure of the yearly evaluation, to check the SQL of
`workshops/evaluation/` against (`test_reference.py`).

Every row is loaded with the ORM, then each figure is counted in plain Python loops and sets,
following the words of `docs/evaluation.md` (quoted in each docstring), never a query of the
package. Only the helpers that define vocabulary are shared: the age bands
(`participation.age_band`), the normalised form of a commune (`communes.commune_key`), the spelling
shown for a group (`communes.canonical_spelling`) and the official list (`kernel.communes.by_code`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from workshops.accounts.models import User
from workshops.audit.models import AuditEvent
from workshops.evaluation.communes import canonical_spelling, commune_key
from workshops.evaluation.participation import AGE_BANDS, age_band
from workshops.evaluation.scope import Frame, ScopeKind
from workshops.kernel.communes import by_code
from workshops.partners.models import Convention, ConventionRoom
from workshops.planning.models import Facilitation, Session, Theme, Workshop, WorkshopStatus
from workshops.rooms.models import Availability, BookingStatus, Closure, Room, RoomBooking, Site
from workshops.signup.models import Attendance, Registration, RegistrationStatus


@dataclass
class Rows:
    """Every row the evaluation reads, as loaded by the ORM."""

    workshops: list[Workshop]
    sessions: dict[int, list[Session]]  # by workshop, in order of start
    bookings: list[RoomBooking]
    rooms: dict[int, Room]
    sites: dict[int, Site]
    conventions: dict[int, Convention]
    convention_rooms: list[ConventionRoom]
    registrations: list[Registration]
    attendance: list[Attendance]
    facilitators: Counter[int]  # workshop id -> number of facilitators
    themes: dict[int, Theme]
    windows: list[Availability]
    closures: list[Closure]
    events: list[AuditEvent]
    users: dict[int, User]
    booking_sessions: dict[int, list[Session]] = field(default_factory=dict)


async def load_rows() -> Rows:
    """`SELECT *` of each table the evaluation reads."""
    sessions: dict[int, list[Session]] = defaultdict(list)
    booking_sessions: dict[int, list[Session]] = defaultdict(list)
    for session in await Session.all().order_by("starts_at", "id"):
        sessions[session.workshop_id].append(session)
        booking_sessions[session.booking_id].append(session)
    return Rows(
        workshops=list(await Workshop.all()),
        sessions=dict(sessions),
        bookings=list(await RoomBooking.all()),
        rooms={room.id: room for room in await Room.all()},
        sites={site.id: site for site in await Site.all()},
        conventions={convention.id: convention for convention in await Convention.all()},
        convention_rooms=list(await ConventionRoom.all()),
        registrations=list(await Registration.all()),
        attendance=list(await Attendance.all()),
        facilitators=Counter(item.workshop_id for item in await Facilitation.all()),
        themes={theme.id: theme for theme in await Theme.all()},
        windows=list(await Availability.all()),
        closures=list(await Closure.all()),
        events=list(await AuditEvent.all()),
        users={user.id: user for user in await User.all()},
        booking_sessions=dict(booking_sessions),
    )


async def reference_figures(frame: Frame) -> dict[str, Any]:
    """Every figure of `compute_figures(frame=...)`, computed from the rows in Python."""
    rows = await load_rows()
    view = View(rows, frame)
    return {
        "activity": activity(view),
        "premises": premises(view),
        "participation": participation(view),
    }


# The period and the scope


class View:
    """The rows seen through one frame: what is in the period, in the scope, counted, held."""

    def __init__(self, rows: Rows, frame: Frame) -> None:
        self.rows = rows
        self.frame = frame
        self.bookings = {booking.id: booking for booking in rows.bookings}
        self.by_id = {workshop.id: workshop for workshop in rows.workshops}
        self.workshops = [w for w in rows.workshops if self.planned(w)]

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.frame.zone).date()

    def in_period(self, moment: datetime) -> bool:
        """A moment is in the period when its local day is one of the period's days."""
        period = self.frame.period
        return period.first_day <= self.local_day(moment) <= period.last_day

    def before_period(self, moment: datetime) -> bool:
        return self.local_day(moment) < self.frame.period.first_day

    def counted(self, organisation_id: int) -> bool:
        """The work of a PMI is counted when the scope names it (or names no PMI: everything)."""
        organisations = self.frame.scope.organisations
        return organisations is None or organisation_id in organisations

    def room_in_scope(self, room_id: int) -> bool:
        """A convention's rooms, a partner's rooms, the rooms of a commune, or all."""
        scope = self.frame.scope
        site = self.rows.sites[self.rows.rooms[room_id].site_id]
        if scope.kind is ScopeKind.CONVENTION:
            return any(
                link.convention_id == scope.convention_id and link.room_id == room_id
                for link in self.rows.convention_rooms
            )
        if scope.kind is ScopeKind.PARTNER:
            return site.organisation_id == scope.partner_id
        if scope.kind is ScopeKind.COMMUNE:
            return self.site_in_commune(site, scope.commune)
        return True

    @staticmethod
    def site_in_commune(site: Site, commune: str) -> bool:
        """A commune of the official list (an INSEE code): the sites with its code, and those
        with no code whose commune is its name in any spelling; a name kept as typed: the sites
        with that name, normalised."""
        listed = by_code(commune) if len(commune) == 5 else None
        if listed is None:
            return commune_key(site.commune) == commune_key(commune)
        if site.commune_code:
            return bool(site.commune_code == listed.code)
        return commune_key(site.commune) == commune_key(listed.name)

    def sessions(self, workshop: Workshop) -> list[Session]:
        return self.rows.sessions.get(workshop.id, [])

    def room_of(self, session: Session) -> int:
        return self.bookings[session.booking_id].room_id

    def in_scope(self, workshop: Workshop) -> bool:
        """A workshop of a counted PMI, held in a room of the scope (its first session's)."""
        sessions = self.sessions(workshop)
        return (
            bool(sessions)
            and self.counted(workshop.organisation_id)
            and self.room_in_scope(self.room_of(sessions[0]))
        )

    def planned(self, workshop: Workshop) -> bool:
        """« A workshop belongs to the period in which its first session starts (local time)
        [...] Drafts never reached families and are not counted. »"""
        sessions = self.sessions(workshop)
        return (
            workshop.status != WorkshopStatus.DRAFT
            and self.in_scope(workshop)
            and self.in_period(sessions[0].starts_at)
        )

    def held(self, session: Session, workshop: Workshop) -> bool:
        """« A session is held when it is not cancelled, its workshop is not cancelled, and it
        has ended » (at the moment of the computation)."""
        return (
            session.cancelled_at is None
            and workshop.status != WorkshopStatus.CANCELLED
            and session.ends_at <= self.frame.now
        )


def _hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


def _cancelled(workshop: Workshop) -> bool:
    return workshop.status == WorkshopStatus.CANCELLED


def _rate(part: float, whole: float, digits: int = 4) -> float | None:
    return round(part / whole, digits) if whole else None


# Activité


def activity(view: View) -> dict[str, Any]:
    """The rows of « Activité », the table « Thèmes » and the table « Annulations »."""
    planned = view.workshops
    held_sessions = [(w, s) for w in planned for s in view.sessions(w) if view.held(s, w)]
    return {
        # Ateliers publiés dont la première séance a lieu dans la période [...]
        "workshops_planned": len(planned),
        # Ateliers non annulés ayant au moins une séance non annulée terminée.
        "workshops_held": len({w.id for w, _s in held_sessions}),
        # Ateliers annulés en entier.
        "workshops_cancelled": sum(1 for w in planned if _cancelled(w)),
        # Toutes les séances des ateliers programmés, annulées comprises.
        "sessions_planned": sum(len(view.sessions(w)) for w in planned),
        # Séances non annulées d'ateliers non annulés, terminées au moment du calcul.
        "sessions_held": len(held_sessions),
        # Séances annulées une à une, et toutes les séances d'un atelier annulé.
        "sessions_cancelled": sum(
            1 for w in planned for s in view.sessions(w) if _cancelled(w) or s.cancelled_at
        ),
        # Durée totale des séances tenues.
        "session_hours": round(sum(_hours(s.starts_at, s.ends_at) for _w, s in held_sessions), 2),
        # Durée de chaque séance tenue multipliée par le nombre d'animateurs de son atelier.
        "facilitator_hours": round(
            sum(
                _hours(s.starts_at, s.ends_at) * view.rows.facilitators[w.id]
                for w, s in held_sessions
            ),
            2,
        ),
        "themes": themes(view),
        "cancellations": cancellations(view),
    }


def themes(view: View) -> list[dict[str, Any]]:
    """« Thèmes : Séances tenues, par thème de leur atelier » (with the workshops planned of
    each theme and the hours of its sessions held), in the order of the theme names."""
    found: dict[str, dict[str, Any]] = {}
    for workshop in view.workshops:
        name = view.rows.themes[workshop.theme_id].name
        row = found.setdefault(
            name, {"theme": name, "workshops": 0, "sessions_held": 0, "session_hours": 0.0}
        )
        row["workshops"] += 1
        for session in view.sessions(workshop):
            if view.held(session, workshop):
                row["sessions_held"] += 1
                row["session_hours"] += _hours(session.starts_at, session.ends_at)
    for row in found.values():
        row["session_hours"] = round(row["session_hours"], 2)
    return [found[name] for name in sorted(found)]


def _authors(view: View, action: str, object_id: int) -> list[str]:
    """Who cancelled: the staff member of the audit event (their name, or the e-mail kept with
    the event), or nobody known ('')."""
    events = [e for e in view.rows.events if e.action == action and e.object_id == str(object_id)]
    if not events:
        return [""]
    names = []
    for event in events:
        actor = view.rows.users.get(getattr(event, "actor_id", None) or 0)
        names.append(actor.full_name if actor is not None else event.actor_label)
    return names


def cancellations(view: View) -> list[dict[str, Any]]:
    """« Annulations : Ateliers annulés en entier et séances annulées d'ateliers maintenus, par
    motif et par auteur de l'annulation. » Workshops first, then the most frequent."""
    counts: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for workshop in view.workshops:
        if _cancelled(workshop):
            for who in _authors(view, "workshop.cancelled", workshop.id):
                counts["workshop", workshop.cancel_reason, who].add(workshop.id)
            continue
        for session in view.sessions(workshop):
            if session.cancelled_at is not None:
                for who in _authors(view, "session.cancelled", session.id):
                    counts["session", session.cancel_reason, who].add(session.id)
    found = [
        {"level": level, "reason": reason, "who": who, "count": len(ids)}
        for (level, reason, who), ids in counts.items()
    ]
    return sorted(found, key=cancellation_order)


def cancellation_order(row: dict[str, Any]) -> tuple[int, int, str, str]:
    """Workshops before sessions, the most frequent first, then by reason (and author)."""
    return (row["level"] != "workshop", -row["count"], row["reason"], row["who"])


# Locaux


def _convention_rooms(view: View) -> set[int]:
    """The rooms held by a convention of a counted PMI."""
    return {
        link.room_id
        for link in view.rows.convention_rooms
        if view.counted(view.rows.conventions[link.convention_id].pmi_id)
    }


def _days(first: date, last: date) -> Iterable[date]:
    return (first + timedelta(days=n) for n in range((last - first).days + 1))


def _closed(view: View, room: Room, day: date) -> bool:
    return any(
        closure.site_id == room.site_id
        and closure.room_id in (None, room.id)
        and closure.starts_on <= day <= closure.ends_on
        for closure in view.rows.closures
    )


def hours_offered(view: View) -> float:
    """« Heures des créneaux hebdomadaires proposés dans les salles de la portée tenues par
    convention, sur les jours de la période, jours de fermeture exclus. »"""
    rooms = _convention_rooms(view)
    period = view.frame.period
    minutes = 0
    for window in view.rows.windows:
        if window.room_id not in rooms or not view.room_in_scope(window.room_id):
            continue
        room = view.rows.rooms[window.room_id]
        for day in _days(period.first_day, period.last_day):
            valid = window.valid_from <= day <= window.valid_until
            if valid and day.weekday() == window.weekday and not _closed(view, room, day):
                minutes += window.end_minute - window.start_minute
    return minutes / 60


def _used(view: View, booking: RoomBooking) -> bool:
    """A booking is used when a held session sits in it."""
    return any(
        view.held(session, view.by_id[session.workshop_id])
        for session in view.rows.booking_sessions.get(booking.id, [])
    )


def premises(view: View) -> dict[str, Any]:
    """The rows of « Locaux »."""
    # Requests (bookings) starting in the period, in the scope's rooms, by the counted PMIs.
    requests = [
        b
        for b in view.rows.bookings
        if view.in_period(b.starts_at)
        and view.room_in_scope(b.room_id)
        and view.counted(b.organisation_id)
    ]
    confirmed = [b for b in requests if b.status == BookingStatus.CONFIRMED]
    used = [b for b in confirmed if _used(view, b)]
    offered = hours_offered(view)
    hours_used = sum(_hours(b.starts_at, b.ends_at) for b in used)
    # Heures utilisées multipliées par la valeur horaire de référence de chaque salle.
    value = sum(
        (
            Decimal(str(round(_hours(b.starts_at, b.ends_at), 4)))
            * view.rows.rooms[b.room_id].hourly_value
            for b in used
        ),
        Decimal(0),
    )
    decided = [b for b in requests if b.decided_at is not None]
    delays = [_hours(b.created_at, b.decided_at) for b in decided if b.decided_at is not None]
    return {
        "hours_offered": round(offered, 2),
        # Heures des réservations confirmées commençant dans la période [...]
        "hours_booked": round(sum(_hours(b.starts_at, b.ends_at) for b in confirmed), 2),
        # Heures des réservations confirmées occupées par une séance tenue.
        "hours_used": round(hours_used, 2),
        # Heures utilisées divisées par les heures proposées.
        "occupancy_rate": _rate(hours_used, offered),
        "loan_value": float(value.quantize(Decimal("0.01"))),
        # Demandes de réservation commençant dans la période, quel que soit leur état.
        "requests": len(requests),
        # Demandes décidées et non refusées (confirmées, même annulées ensuite).
        "requests_confirmed": sum(1 for b in decided if b.status != BookingStatus.DECLINED),
        # Demandes refusées par le centre.
        "requests_declined": sum(1 for b in requests if b.status == BookingStatus.DECLINED),
        # Moyenne, sur les demandes décidées, des heures entre la demande et la décision.
        "mean_response_hours": round(sum(delays) / len(delays), 1) if delays else None,
    }


# Participation


def family(registration: Registration) -> str:
    """« A family is a family key: its e-mail address in lower case, or, once its personal data
    is erased or anonymised, the random `family_key` that all its registrations then share. »"""
    return registration.family_key or registration.email.lower()


def _seen_before(view: View) -> set[str]:
    """Families with a confirmed registration to a workshop not cancelled (nor a draft), of the
    same scope, whose first session started before the period."""
    earlier = {
        w.id
        for w in view.rows.workshops
        if w.status not in (WorkshopStatus.CANCELLED, WorkshopStatus.DRAFT)
        and view.in_scope(w)
        and view.before_period(view.sessions(w)[0].starts_at)
    }
    return {
        family(r)
        for r in view.rows.registrations
        if r.workshop_id in earlier and r.status == RegistrationStatus.CONFIRMED
    }


def _site_communes(view: View, workshop: Workshop) -> set[str]:
    """The normalised communes of the sites where a workshop's sessions are held."""
    return {
        commune_key(view.rows.sites[view.rows.rooms[view.room_of(s)].site_id].commune)
        for s in view.sessions(workshop)
    }


def _first_month(view: View, workshop: Workshop) -> str:
    """The month (local time) of a workshop's first session, 'YYYY-MM'."""
    return f"{view.sessions(workshop)[0].starts_at.astimezone(view.frame.zone):%Y-%m}"


def participation(view: View) -> dict[str, Any]:
    """The rows of « Participation », and the tables « Âges », « Communes », « Connaissance ».

    « Participation counts the confirmed registrations of the period's workshops that are not
    cancelled »: `counted` below is that one set."""
    workshops = {w.id: w for w in view.workshops}
    of_period = [r for r in view.rows.registrations if r.workshop_id in workshops]
    going_on = [r for r in of_period if not _cancelled(workshops[r.workshop_id])]
    counted = [r for r in going_on if r.status == RegistrationStatus.CONFIRMED]
    waiting = [r for r in going_on if r.status == RegistrationStatus.WAITLISTED]

    taken: Counter[int] = Counter()
    for r in counted:
        taken[r.workshop_id] += r.places
    open_workshops = [w for w in view.workshops if not _cancelled(w)]
    places = sum(min(taken[w.id], w.capacity) for w in open_workshops)
    capacity = sum(w.capacity for w in open_workshops)

    marks = attendance(view, counted)
    families = {family(r) for r in counted}
    returning = families & _seen_before(view)
    local = {
        family(r)
        for r in counted
        if commune_key(r.commune) in _site_communes(view, workshops[r.workshop_id])
    }
    return {
        "registrations": len(counted),
        "registrations_cancelled": sum(
            1 for r in going_on if r.status == RegistrationStatus.CANCELLED
        ),
        "registrations_workshop_cancelled": sum(
            1
            for r in of_period
            if r.status == RegistrationStatus.CONFIRMED and _cancelled(workshops[r.workshop_id])
        ),
        "waitlist_unserved": len(waiting),
        "waitlist_unserved_places": sum(r.places for r in waiting),
        "places": places,
        "capacity": capacity,
        "fill_rate": _rate(places, capacity),
        **marks,
        "families": len(families),
        "families_new": len(families - returning),
        "families_returning": len(returning),
        "age_bands": age_bands(view, counted, workshops),
        "commune_local": len(local),
        "commune_elsewhere": len(families - local),
        "communes": communes(counted),
        "heard_from": heard_from(counted),
    }


def attendance(view: View, counted: list[Registration]) -> dict[str, Any]:
    """« Présences : Pointages « présent » des inscriptions confirmées, séance par séance, aux
    séances tenues (non annulées et terminées au moment du calcul) des ateliers non annulés ;
    un pointage ne compte qu'une fois sa séance terminée » (absences likewise)."""
    registrations = {r.id for r in counted}
    held_sessions = {
        s.id
        for sessions in view.rows.sessions.values()
        for s in sessions
        if s.cancelled_at is None and s.ends_at <= view.frame.now
    }
    found = Counter(
        str(mark.status)
        for mark in view.rows.attendance
        if mark.registration_id in registrations and mark.session_id in held_sessions
    )
    present, excused, absent = found["present"], found["excused"], found["absent"]
    return {
        "present": present,
        "excused": excused,
        "absent": absent,
        "attendance_rate": _rate(present, present + excused + absent),
    }


def age_bands(
    view: View, counted: list[Registration], workshops: dict[int, Workshop]
) -> dict[str, int]:
    """« Âges : Enfants des inscriptions confirmées aux ateliers non annulés, par âge au mois de
    la première séance ; un enfant inscrit à deux ateliers compte deux fois. »"""
    bands = dict.fromkeys(AGE_BANDS, 0)
    for r in counted:
        month = _first_month(view, workshops[r.workshop_id])
        for child in r.children:
            band = age_band(
                born=child.get("born"), expected=child.get("expected"), session_month=month
            )
            bands[band] += 1
    return bands


def _commune_group(r: Registration) -> str:
    """A commune chosen from the official list is its INSEE code; a typed one, its normalised
    form (a typed postal code stays text: '#' keeps the two apart)."""
    return f"#{r.commune_code}" if r.commune_code else commune_key(r.commune)


def communes(counted: list[Registration]) -> list[dict[str, Any]]:
    """« Communes : Familles distinctes par commune de résidence, communes groupées sans accents,
    majuscules, traits d'union ni espaces en trop, sous l'orthographe la plus fréquente ; une
    famille qui a donné deux communes compte dans chacune. » A commune chosen from the official
    list goes by its official name, with its département beside a homonym."""
    families: dict[str, set[str]] = defaultdict(set)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for r in counted:
        group = _commune_group(r)
        families[group].add(family(r))
        spellings[group][r.commune.strip(" ")] += 1
    names = {}
    for group in families:
        listed = by_code(group[1:]) if group.startswith("#") else None
        names[group] = (
            listed.name if listed is not None else canonical_spelling(spellings[group].items())
        )
    repeated = {name for name, seen in Counter(names.values()).items() if seen > 1}
    rows = []
    for group, members in families.items():
        listed = by_code(group[1:]) if group.startswith("#") else None
        label = listed.label if listed is not None and names[group] in repeated else names[group]
        code = listed.code if listed is not None else ""
        rows.append({"commune": label, "code": code, "families": len(members)})
    return sorted(rows, key=lambda row: (-row["families"], row["commune"]))


def heard_from(counted: list[Registration]) -> list[dict[str, Any]]:
    """« Connaissance : Familles distinctes par façon dont elles ont connu l'atelier ; une
    famille qui a donné deux réponses compte dans chacune. » The most frequent first."""
    families: dict[str, set[str]] = defaultdict(set)
    for r in counted:
        families[r.heard_from].add(family(r))
    rows = [
        {"heard_from": answer, "families": len(members)} for answer, members in families.items()
    ]
    return sorted(rows, key=lambda row: (-row["families"], row["heard_from"]))

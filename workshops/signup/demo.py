"""Demo workshops in the demo centres' rooms: published, confirmed rooms, some full with a list.

Called by `workshops.demo.load_demo`. Safe to run twice: a workshop is looked up by its title,
and its bookings, sessions and families are only made when the workshop is.

One past cycle, held in spring 2026, gives the evaluation of the convention year 2025-2026 its
figures: its bookings are made confirmed directly, as a request for a past date would be refused.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from workshops.accounts import Organisation, User
from workshops.audit import AuditEvent
from workshops.kernel.clock import utc_now
from workshops.kernel.communes import matching
from workshops.planning import (
    Facilitation,
    Session,
    Theme,
    Workshop,
    WorkshopStatus,
    add_eligible_commune,
    seed_usual_themes,
)
from workshops.rooms import BookingStatus, Closure, Room, RoomBooking, local_instant
from workshops.signup.links import hash_token
from workshops.signup.models import Attendance, AttendanceStatus, Registration, RegistrationStatus


@dataclass(frozen=True)
class DemoWorkshop:
    title: str
    theme: str
    room: str
    weekday: int
    start: int  # minutes after local midnight
    minutes: int
    sessions: int
    capacity: int
    families: int
    facilitators: tuple[str, ...]
    communes: tuple[tuple[str, int | None], ...] = ()


PUERICULTRICE = "puericultrice@demo.ateliers.example"
SAGE_FEMME = "sage-femme@demo.ateliers.example"
WORKSHOPS = [
    DemoWorkshop(
        "Massage bébé – cycle de trois séances",
        "Massage bébé",
        "Salle petite enfance",
        3,
        14 * 60,
        90,
        3,
        capacity=6,
        families=9,
        facilitators=(PUERICULTRICE,),
    ),
    DemoWorkshop(
        "Motricité libre : explorer à son rythme",
        "Motricité",
        "Salle petite enfance",
        3,
        15 * 60 + 30,
        90,
        1,
        capacity=4,
        families=6,
        facilitators=(PUERICULTRICE,),
    ),
    DemoWorkshop(
        "Portage en écharpe : premiers nœuds",
        "Portage en écharpe",
        "Salle d'éveil",
        0,
        9 * 60 + 30,
        90,
        1,
        capacity=8,
        families=3,
        facilitators=(SAGE_FEMME, PUERICULTRICE),
    ),
    DemoWorkshop(
        "Temps d'échange entre futurs parents",
        "Temps d'échange entre parents",
        "Salle polyvalente",
        4,
        9 * 60 + 30,
        120,
        2,
        capacity=10,
        families=2,
        facilitators=(SAGE_FEMME,),
        communes=(("67180", None), ("67458", 4)),  # Haguenau, Schweighouse-sur-Moder
    ),
]
FIRST_NAMES = ["Léa", "Hugo", "Inès", "Yanis", "Chloé", "Adam", "Emma", "Noah", "Jade", "Sacha"]


async def _open_days(room: Room, weekday: int, count: int, today: date) -> list[date]:
    """`count` weekly dates from next week on, skipping the room's closures."""
    day = today + timedelta(days=(weekday - today.weekday()) % 7 + 7)
    days: list[date] = []
    while len(days) < count:
        closed = await Closure.filter(
            site_id=room.site_id, starts_on__lte=day, ends_on__gte=day
        ).exists()
        if not closed:
            days.append(day)
        day += timedelta(days=7)
    return days


async def _families(workshop: Workshop, demo: DemoWorkshop, today: date) -> None:
    taken = 0
    for number in range(demo.families):
        confirmed = taken + 1 <= demo.capacity
        taken += int(confirmed)
        month = today.replace(day=1) - timedelta(days=30 * (2 + number % 5))
        child = (
            {"expected": (today + timedelta(days=90)).strftime("%Y-%m")}
            if workshop.prenatal
            else {"born": month.strftime("%Y-%m")}
        )
        name = FIRST_NAMES[number % len(FIRST_NAMES)]
        await Registration.create(
            workshop_id=workshop.id,
            status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED,
            places=1,
            parent_name=f"{name} (famille de démonstration)",
            email=f"famille{workshop.id}-{number}@demo.ateliers.example",
            commune="Haguenau",
            commune_code=_bas_rhin_code("Haguenau"),
            children=[child],
            first_time=number % 2 == 0,
            heard_from="pmi",
            reminders_consent=True,
            token_hash=hash_token(secrets.token_urlsafe(32)),
            confirmed_at=utc_now() if confirmed else None,
        )
    await Workshop.filter(id=workshop.id).update(places_taken=taken)


async def _load_one(demo: DemoWorkshop, pmi: Organisation, today: date, zone: ZoneInfo) -> None:
    if await Workshop.exists(title=demo.title):
        return
    theme = await Theme.get(name=demo.theme)
    room = await Room.get(name=demo.room)
    people = [await User.get(email=email) for email in demo.facilitators]
    workshop = await Workshop.create(
        organisation_id=pmi.id,
        theme_id=theme.id,
        title=demo.title,
        description=theme.description,
        capacity=demo.capacity,
        prenatal=theme.prenatal,
        min_age_months=theme.min_age_months,
        max_age_months=theme.max_age_months,
        status=WorkshopStatus.PUBLISHED,
        created_by_id=people[0].id,
    )
    for person in people:
        await Facilitation.create(workshop_id=workshop.id, user_id=person.id)
    for code, quota in demo.communes:
        await add_eligible_commune(workshop_id=workshop.id, code=code, quota=quota)
    for day in await _open_days(room, demo.weekday, demo.sessions, today):
        starts_at = local_instant(day, demo.start, zone)
        booking = await RoomBooking.create(
            room_id=room.id,
            requested_by_id=people[0].id,
            organisation_id=pmi.id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=demo.minutes),
            status=BookingStatus.CONFIRMED,
            decided_at=utc_now(),
            message=demo.title,
        )
        await Session.create(
            workshop_id=workshop.id,
            booking_id=booking.id,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
        )
    await _families(workshop, demo, today)


PAST_CYCLE_TITLE = "Massage bébé – cycle du printemps 2026"
PAST_CYCLE_DAYS = (date(2026, 3, 12), date(2026, 3, 19), date(2026, 3, 26))
PAST_CYCLE_CANCELLED = date(2026, 3, 19)


def _bas_rhin_code(name: str) -> str:
    """The INSEE code of a commune of the Bas-Rhin, where the demo takes place."""
    return matching(name, departement="67")[0].code


PAST_CYCLE_REASON = (
    "Séance annulée : la puéricultrice est absente pour raison de santé. "
    "Les familles ont été prévenues la veille."
)
# (first name, commune, child born year-month): babies of a few weeks to nine months, one sibling.
PAST_CYCLE_FAMILIES = (
    ("Léa", "Haguenau", ("2025-12",)),
    ("Hugo", "Haguenau", ("2025-10",)),
    ("Inès", "Schweighouse-sur-Moder", ("2026-01",)),
    ("Yanis", "Haguenau", ("2025-07", "2023-04")),
    ("Chloé", "Bischwiller", ("2025-11",)),
    ("Adam", "Kaltenhouse", ("2026-02",)),
    ("Emma", "Haguenau", ("2025-09",)),
    ("Noah", "Brumath", ("2025-12",)),
    ("Jade", "Oberhoffen-sur-Moder", ("2025-08",)),
    ("Sacha", "Haguenau", ("2026-01",)),
    ("Manon", "Schweighouse-sur-Moder", ("2025-10",)),
    ("Lucas", "Bischwiller", ("2025-06",)),
)
# Attendance of each family at the two sessions held, cycling through these patterns.
PAST_CYCLE_ATTENDANCE = (
    (AttendanceStatus.PRESENT, AttendanceStatus.PRESENT),
    (AttendanceStatus.PRESENT, AttendanceStatus.PRESENT),
    (AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED),
    (AttendanceStatus.PRESENT, AttendanceStatus.PRESENT),
    (AttendanceStatus.ABSENT, AttendanceStatus.PRESENT),
    (AttendanceStatus.PRESENT, AttendanceStatus.ABSENT),
)


async def load_past_cycle(*, pmi_name: str, zone: ZoneInfo) -> None:
    """A cycle held in spring 2026 in Haguenau: families, attendance, one cancelled session."""
    if await Workshop.exists(title=PAST_CYCLE_TITLE):
        return
    pmi = await Organisation.get(name=pmi_name)
    theme = await Theme.get(name="Massage bébé")
    room = await Room.get(name="Salle petite enfance")
    facilitator = await User.get(email=PUERICULTRICE)
    workshop = await Workshop.create(
        organisation_id=pmi.id,
        theme_id=theme.id,
        title=PAST_CYCLE_TITLE,
        description=theme.description,
        capacity=len(PAST_CYCLE_FAMILIES),
        places_taken=len(PAST_CYCLE_FAMILIES),
        prenatal=theme.prenatal,
        min_age_months=theme.min_age_months,
        max_age_months=theme.max_age_months,
        status=WorkshopStatus.DONE,  # as the worker marks a cycle whose sessions have ended
        created_by_id=facilitator.id,
    )
    await Facilitation.create(workshop_id=workshop.id, user_id=facilitator.id)
    held: list[Session] = []
    for day in PAST_CYCLE_DAYS:
        starts_at = local_instant(day, 14 * 60, zone)
        booking = await RoomBooking.create(
            room_id=room.id,
            requested_by_id=facilitator.id,
            organisation_id=pmi.id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=90),
            status=BookingStatus.CONFIRMED,
            decided_at=local_instant(date(2026, 2, 2), 10 * 60, zone),
            message=PAST_CYCLE_TITLE,
        )
        # Asked a week before the centre answered (the column is otherwise "now").
        await RoomBooking.filter(id=booking.id).update(
            created_at=local_instant(date(2026, 1, 26), 9 * 60, zone)
        )
        cancelled = day == PAST_CYCLE_CANCELLED
        session = await Session.create(
            workshop_id=workshop.id,
            booking_id=booking.id,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            cancelled_at=local_instant(day - timedelta(days=1), 18 * 60, zone)
            if cancelled
            else None,
            cancel_reason=PAST_CYCLE_REASON if cancelled else "",
            sequence=1 if cancelled else 0,
        )
        if cancelled:
            await AuditEvent.create(
                actor_id=facilitator.id,
                actor_label=facilitator.email,
                action="session.cancelled",
                object_type="session",
                object_id=str(session.id),
                organisation_id=pmi.id,
                summary=f"Séance annulée : {PAST_CYCLE_TITLE}",
                details={"message": PAST_CYCLE_REASON},
            )
        else:
            held.append(session)
    signed_up = local_instant(date(2026, 2, 16), 9 * 60, zone)
    for number, (name, commune, born) in enumerate(PAST_CYCLE_FAMILIES):
        registration = await Registration.create(
            workshop_id=workshop.id,
            status=RegistrationStatus.CONFIRMED,
            places=1,
            parent_name=f"{name} (famille de démonstration)",
            email=f"famille-printemps-{number}@demo.ateliers.example",
            commune=commune,
            commune_code=_bas_rhin_code(commune),
            children=[{"born": month} for month in born],
            first_time=number % 3 != 0,
            heard_from=("pmi", "centre", "proches")[number % 3],
            reminders_consent=True,
            token_hash=hash_token(secrets.token_urlsafe(32)),
            confirmed_at=signed_up,
        )
        pattern = PAST_CYCLE_ATTENDANCE[number % len(PAST_CYCLE_ATTENDANCE)]
        for session, status in zip(held, pattern, strict=True):
            await Attendance.create(
                registration_id=registration.id, session_id=session.id, status=status
            )


async def load_demo_workshops(*, pmi_name: str, today: date, zone: ZoneInfo) -> None:
    await seed_usual_themes()
    pmi = await Organisation.get(name=pmi_name)
    for demo in WORKSHOPS:
        await _load_one(demo, pmi, today, zone)
    await load_past_cycle(pmi_name=pmi_name, zone=zone)

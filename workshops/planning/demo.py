"""Demo workshops in the demo centres' rooms: published, confirmed rooms, some full with a list.

Called by `workshops.demo.load_demo`. Safe to run twice: a workshop is looked up by its title,
and its bookings, sessions and families are only made when the workshop is.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from workshops.accounts.models import Organisation, User
from workshops.planning.models import (
    EligibleCommune,
    Facilitation,
    Session,
    Theme,
    Workshop,
    WorkshopStatus,
)
from workshops.planning.themes import seed_usual_themes
from workshops.rooms.availability import local_instant
from workshops.rooms.models import BookingStatus, Closure, Room, RoomBooking
from workshops.signup.links import hash_token
from workshops.signup.models import Registration, RegistrationStatus


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
        communes=(("Haguenau", None), ("Schweighouse-sur-Moder", 4)),
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
            children=[child],
            first_time=number % 2 == 0,
            heard_from="pmi",
            reminders_consent=True,
            token_hash=hash_token(secrets.token_urlsafe(32)),
            confirmed_at=datetime.now(UTC) if confirmed else None,
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
    for commune, quota in demo.communes:
        await EligibleCommune.create(workshop_id=workshop.id, commune=commune, quota=quota)
    for day in await _open_days(room, demo.weekday, demo.sessions, today):
        starts_at = local_instant(day, demo.start, zone)
        booking = await RoomBooking.create(
            room_id=room.id,
            requested_by_id=people[0].id,
            organisation_id=pmi.id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=demo.minutes),
            status=BookingStatus.CONFIRMED,
            decided_at=datetime.now(UTC),
            message=demo.title,
        )
        await Session.create(
            workshop_id=workshop.id,
            booking_id=booking.id,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
        )
    await _families(workshop, demo, today)


async def load_demo_workshops(*, pmi_name: str, today: date, zone: ZoneInfo) -> None:
    await seed_usual_themes()
    pmi = await Organisation.get(name=pmi_name)
    for demo in WORKSHOPS:
        await _load_one(demo, pmi, today, zone)

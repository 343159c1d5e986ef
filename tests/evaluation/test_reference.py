"""Issue 14: the figures are identical to a straightforward computation (`reference.py`) on a
generated year.

Each seed builds two years and a half (September 2023 to February 2026) of two PMIs in four
centres: a room two PMIs share, a room under no convention, weekly windows and closures (one
across the new year), workshops across the period boundary, cancelled workshops and sessions with
or without a known author, drafts on pending requests, declined, pending, unused and cancelled
requests, waiting lists, cancellations, families at several workshops and years (some anonymised,
some typing their address in capitals), communes typed in several ways or chosen from the
official list (homonyms included), attendance of every status, on cancelled sessions too. The
moment of the computation falls in the period, so some sessions are held and some planned. Every
figure of several scopes, for the period and the one before, must equal the reference.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.evaluation.reference import cancellation_order, reference_figures
from tests.factories import make_organisation, make_user
from tests.partners.factories import make_convention
from tests.rooms.factories import make_centre, make_room
from workshops.accounts.models import Organisation, OrganisationKind, Role, User
from workshops.audit.models import AuditEvent
from workshops.evaluation.figures import compute_figures
from workshops.evaluation.scope import Frame, Scope, ScopeKind, calendar_year, convention_scope
from workshops.kernel.settings import Settings
from workshops.planning.models import Facilitation, Session, Theme, Workshop, WorkshopStatus
from workshops.privacy.anonymising import anonymise_family
from workshops.rooms.models import Availability, BookingStatus, Closure, Room, RoomBooking, Site
from workshops.signup.models import Attendance, Registration, RegistrationStatus

ZONE = ZoneInfo("Europe/Paris")
PERIOD = calendar_year(2025)
# A Tuesday at 11:00 in Paris: a session of 9:00-11:00 that day has just ended (held).
NOW = datetime(2025, 10, 14, 9, 0, tzinfo=UTC)
FIRST_DAY, LAST_DAY = date(2023, 9, 4), date(2026, 2, 27)
# Local starts of the slots of a day, far enough apart for sessions of up to two hours.
SLOTS = ((9, 0), (11, 30), (14, 0), (16, 30))
DURATIONS = (1.0, 1.5, 1.75, 2.0)
THEMES = ("Jeux", "Massage bébé", "Motricité", "Portage")
HEARD = ("pmi", "centre", "proches", "affiche", "internet", "")
# (as typed or chosen, INSEE code when chosen from the official list)
COMMUNES = (
    ("Haguenau", ""), ("haguenau", ""), ("HAGUENAU ", ""), ("Haguenau", "67180"),
    ("Bischwiller", ""), ("bischwiller", ""), ("Bischwiller", "67046"),
    ("Sélestat", ""), ("Selestat", ""), ("SÉLESTAT", ""), ("Sélestat", "67462"),
    ("Schweighouse-sur-Moder", ""), ("schweighouse  sur moder", ""), ("Hagenau", ""),
    ("67500", ""), ("Saint-Denis", "93066"), ("Saint-Denis", "97411"), ("Brumath", "67067"),
    ("Saverne", ""), ("L'Île-Rousse", ""), ("l ile rousse", ""),
)  # fmt: skip
SESSION_REASONS = ("Animatrice malade", "Neige", "Salle indisponible")
WORKSHOP_REASONS = ("Travaux", "Trop peu d'inscrits")
_tokens = itertools.count(1)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).astimezone(UTC)


@dataclass
class Year:
    pmi_a: Organisation
    pmi_b: Organisation
    centre: Organisation
    conventions: dict[str, int]


class _Generator:
    """Random but seeded rows, through the models."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.taken: set[tuple[int, date, int]] = set()
        self.staff: dict[int, list[User]] = {}
        self.coordinators: dict[int, User] = {}
        self.themes: list[Theme] = []
        self.families: list[tuple[str, tuple[str, str], str]] = []

    def free_slot(self, room: Room, days: list[date]) -> int | None:
        """A slot free in `room` on each of `days`, taken from now on."""
        choices = list(range(len(SLOTS)))
        self.random.shuffle(choices)
        for slot in choices:
            if all((room.id, day, slot) not in self.taken for day in days):
                self.taken.update((room.id, day, slot) for day in days)
                return slot
        return None

    def weekday(self, first: date, last: date) -> date:
        day = first + timedelta(days=self.random.randrange((last - first).days))
        return day - timedelta(days=max(0, day.weekday() - 4))

    async def booking(
        self,
        room: Room,
        organisation: Organisation,
        day: date,
        slot: int,
        status: BookingStatus,
    ) -> RoomBooking:
        start = local(day, *SLOTS[slot])
        asked = start - timedelta(days=self.random.randint(3, 60), hours=self.random.randint(0, 9))
        decided = status is not BookingStatus.PENDING
        return await RoomBooking.create(
            room_id=room.id,
            requested_by_id=self.staff[organisation.id][0].id,
            organisation_id=organisation.id,
            starts_at=start,
            ends_at=start + timedelta(hours=self.random.choice(DURATIONS)),
            status=status,
            created_at=asked,
            decided_at=asked + timedelta(hours=self.random.randint(1, 96)) if decided else None,
            cancelled_at=asked + timedelta(days=1) if status is BookingStatus.CANCELLED else None,
        )

    async def audit(self, action: str, object_id: int, author: User) -> None:
        """The audit event of a cancellation: by a staff member, by an account since deleted
        (its e-mail kept), or none."""
        who = self.random.random()
        if who < 0.5:
            await AuditEvent.create(
                actor_id=author.id,
                actor_label=author.email,
                action=action,
                object_id=str(object_id),
            )
        elif who < 0.75:
            await AuditEvent.create(
                actor_label="ancienne@exemple.fr", action=action, object_id=str(object_id)
            )

    async def workshop(
        self,
        organisation: Organisation,
        rooms: list[Room],
        first: date,
        count: int,
        cancelled: bool = False,
    ) -> None:
        room = self.random.choice(rooms)
        days = [first + timedelta(weeks=n) for n in range(count)]
        slot = self.free_slot(room, days)
        if slot is None:
            return
        draw = 0.1 if cancelled else self.random.random()
        status = (
            WorkshopStatus.DRAFT
            if draw < 0.06
            else WorkshopStatus.CANCELLED
            if draw < 0.18
            else WorkshopStatus.PUBLISHED
        )
        workshop = await Workshop.create(
            organisation_id=organisation.id,
            theme_id=self.random.choice(self.themes).id,
            title="Atelier",
            capacity=self.random.randint(3, 8),
            status=status,
            cancel_reason=self.random.choice(WORKSHOP_REASONS)
            if status is WorkshopStatus.CANCELLED
            else "",
        )
        staff = self.staff[organisation.id]
        for person in self.random.sample(staff, self.random.randint(0, len(staff))):
            await Facilitation.create(workshop_id=workshop.id, user_id=person.id)
        sessions = []
        for day in days:
            booking_status = (
                BookingStatus.PENDING
                if status is WorkshopStatus.DRAFT
                else BookingStatus.CANCELLED
                if status is WorkshopStatus.CANCELLED and self.random.random() < 0.5
                else BookingStatus.CONFIRMED
            )
            booking = await self.booking(room, organisation, day, slot, booking_status)
            cancelled = status is not WorkshopStatus.CANCELLED and self.random.random() < 0.12
            session = await Session.create(
                workshop_id=workshop.id,
                booking_id=booking.id,
                starts_at=booking.starts_at,
                ends_at=booking.ends_at,
                cancelled_at=booking.starts_at - timedelta(days=1) if cancelled else None,
                cancel_reason=self.random.choice(SESSION_REASONS) if cancelled else "",
            )
            sessions.append(session)
            if cancelled:
                await self.audit("session.cancelled", session.id, staff[0])
        if status is WorkshopStatus.CANCELLED:
            await self.audit("workshop.cancelled", workshop.id, self.coordinators[organisation.id])
        elif sessions[-1].ends_at <= NOW:
            await Workshop.filter(id=workshop.id).update(status=WorkshopStatus.DONE)
        await self.registrations(workshop, sessions)

    async def registrations(self, workshop: Workshop, sessions: list[Session]) -> None:
        count = 1 if workshop.status is WorkshopStatus.DRAFT else self.random.randint(2, 9)
        first = sessions[0].starts_at.astimezone(ZONE)
        # New families keep coming: the later the workshop, the more families may sign up.
        progress = (first.date() - FIRST_DAY) / (LAST_DAY - FIRST_DAY)
        known = self.families[: 30 + int((len(self.families) - 30) * progress)]
        for email, usual, heard in self.random.sample(known, count):
            status = self.random.choices(list(RegistrationStatus), (70, 12, 18))[0]
            commune, code = usual if self.random.random() < 0.85 else self.random.choice(COMMUNES)
            children = []
            for _child in range(self.random.choice((1, 1, 1, 2))):
                months = self.random.randint(-6, 50)
                year, month = divmod(first.year * 12 + first.month - 1 - months, 12)
                key = "expected" if months < 0 else "born"
                children.append({key: f"{year}-{month + 1:02d}"})
            registration = await Registration.create(
                workshop_id=workshop.id,
                status=status,
                places=len(children),
                parent_name="Parent",
                email=email.capitalize() if self.random.random() < 0.2 else email,
                commune=commune,
                commune_code=code,
                children=children,
                heard_from=heard if self.random.random() < 0.8 else self.random.choice(HEARD),
                token_hash=f"{next(_tokens):064d}",
            )
            marked = 0.85 if status is RegistrationStatus.CONFIRMED else 0.08
            marks = [
                Attendance(
                    registration_id=registration.id,
                    session_id=session.id,
                    status=self.random.choices(("present", "excused", "absent"), (70, 15, 15))[0],
                )
                for session in sessions
                if session.ends_at <= NOW and self.random.random() < marked
            ]
            await Attendance.bulk_create(marks)

    async def offers(self, room: Room) -> None:
        """Weekly windows on distinct weekdays, and closures of the site or the room."""
        for weekday in self.random.sample(range(5), self.random.randint(1, 3)):
            start = self.random.choice((9 * 60, 13 * 60 + 30))
            valid_from = self.weekday(date(2023, 6, 1), date(2025, 6, 30))
            await Availability.create(
                room_id=room.id,
                weekday=weekday,
                start_minute=start,
                end_minute=start + self.random.choice((180, 240)),
                valid_from=valid_from,
                valid_until=valid_from + timedelta(days=self.random.randint(200, 900)),
            )
        for _closure in range(self.random.randint(1, 4)):
            starts_on = self.weekday(date(2023, 12, 1), date(2026, 1, 31))
            await Closure.create(
                site_id=room.site_id,
                room_id=room.id if self.random.random() < 0.3 else None,
                starts_on=starts_on,
                ends_on=starts_on + timedelta(days=self.random.randint(0, 30)),
                reason="Fermeture",
            )


async def build_year(seed: int) -> Year:
    gen = _Generator(seed)
    pmi_a = await make_organisation(OrganisationKind.PMI, name="PMI Nord")
    pmi_b = await make_organisation(OrganisationKind.PMI, name="PMI Sud")
    for pmi, name in ((pmi_a, "Nord"), (pmi_b, "Sud")):
        gen.staff[pmi.id] = [
            await make_user(pmi, Role.FACILITATOR, full_name=f"Animatrice {name} {n}")
            for n in range(3)
        ]
        gen.coordinators[pmi.id] = await make_user(
            pmi, Role.COORDINATOR, full_name=f"Coordinatrice {name}"
        )
    gen.themes = [(await Theme.get_or_create(name=name))[0] for name in THEMES]
    centre = await make_centre("Centre Schuman", commune="Haguenau")
    room_a = await make_room(centre, name="Salle A", commune="Haguenau")
    room_b = await make_room(centre, name="Salle B", commune="Haguenau")
    rhine = await make_centre("Centre du Rhin", commune="Bischwiller")
    room_rhine = await make_room(rhine, commune="BISCHWILLER")
    south = await make_centre("Maison Sud", commune="Sélestat")
    room_south = await make_room(south, commune="Selestat")
    await Site.filter(id=room_south.site_id).update(commune_code="67462")
    # A room offered and booked without any convention.
    loose = await make_room(await make_centre("Centre libre"), commune="Saverne")
    for room, value in ((room_a, "20.00"), (room_b, "15.50"), (room_rhine, "32.25")):
        await Room.filter(id=room.id).update(hourly_value=Decimal(value))
    conventions = {
        "nord": await make_convention(pmi_a, centre, [room_a, room_b], starts_on=date(2023, 1, 1)),
        "rhin": await make_convention(pmi_a, rhine, [room_rhine], starts_on=date(2024, 3, 1)),
        # Room B is shared by the two PMIs.
        "sud": await make_convention(pmi_b, centre, [room_b], starts_on=date(2023, 1, 1)),
        "selestat": await make_convention(pmi_b, south, [room_south], starts_on=date(2023, 1, 1)),
    }
    for room in (room_a, room_b, room_rhine, room_south, loose):
        await gen.offers(room)
    await Closure.create(
        site_id=room_a.site_id,
        starts_on=date(2024, 12, 23),
        ends_on=date(2025, 1, 5),
        reason="Noël",
    )
    gen.families = [
        (f"famille{n}@exemple.fr", gen.random.choice(COMMUNES), gen.random.choice(HEARD))
        for n in range(120)
    ]
    rooms = {pmi_a.id: [room_a, room_b, room_rhine, loose], pmi_b.id: [room_b, room_south]}
    # Cycles across each new year, then workshops at random.
    for first in (date(2024, 12, 16), date(2025, 12, 22)):
        for pmi in (pmi_a, pmi_b):
            await gen.workshop(pmi, rooms[pmi.id], first, 3)
    # A workshop of each PMI cancelled as a whole in the period, whatever the seed.
    for pmi in (pmi_a, pmi_b):
        await gen.workshop(pmi, rooms[pmi.id], date(2025, 3, 11), 2, cancelled=True)
    for _workshop in range(70):
        pmi = pmi_a if gen.random.random() < 0.6 else pmi_b
        first = gen.weekday(FIRST_DAY, LAST_DAY - timedelta(days=30))
        await gen.workshop(pmi, rooms[pmi.id], first, gen.random.choice((1, 2, 2, 3, 4)))
    # Requests without a session: declined, pending, confirmed unused, cancelled.
    for pmi, pmi_rooms in ((pmi_a, rooms[pmi_a.id]), (pmi_b, rooms[pmi_b.id])):
        for status in [*BookingStatus] * 5:
            room = gen.random.choice(pmi_rooms)
            day = gen.weekday(date(2024, 1, 1), date(2025, 12, 31))
            slot = gen.free_slot(room, [day])
            if slot is not None:
                await gen.booking(room, pmi, day, slot, status)
    for email, _commune, _heard in gen.random.sample(gen.families, 8):
        await anonymise_family(email=email, now=NOW)
    return Year(pmi_a, pmi_b, centre, {name: c.id for name, c in conventions.items()})


def scopes(year: Year) -> dict[str, Scope]:
    a, b = year.pmi_a.id, year.pmi_b.id
    return {
        "convention nord": convention_scope(year.conventions["nord"], a),
        "convention sud (shared room)": convention_scope(year.conventions["sud"], b),
        "all, PMI Nord": Scope(ScopeKind.ALL, organisations=frozenset({a})),
        "all, platform": Scope(ScopeKind.ALL),
        "partner, both PMIs": Scope(
            ScopeKind.PARTNER, partner_id=year.centre.id, organisations=frozenset({a, b})
        ),
        "partner, PMI Sud": Scope(
            ScopeKind.PARTNER, partner_id=year.centre.id, organisations=frozenset({b})
        ),
        "commune, platform": Scope(ScopeKind.COMMUNE, commune="haguenau "),
        # By INSEE code: Haguenau's sites have no code (matched by their name), Sélestat's
        # site has its code.
        "commune by code, PMI Nord": Scope(
            ScopeKind.COMMUNE, commune="67180", organisations=frozenset({a})
        ),
        "commune by code, platform": Scope(ScopeKind.COMMUNE, commune="67462"),
    }


# Floats the package rounds from a SQL sum or mean, whose last digit may differ from an exact sum.
_TOLERANCE = {"mean_response_hours": 0.1, "occupancy_rate": 0.0001}


def differences(package: Any, reference: Any, path: str) -> list[str]:
    """Where two figures differ, key by key."""
    if isinstance(reference, dict) and isinstance(package, dict):
        if set(package) != set(reference):
            return [f"{path}: keys {sorted(package)} != {sorted(reference)}"]
        return [
            problem
            for key in reference
            for problem in differences(package[key], reference[key], f"{path}.{key}")
        ]
    if path.endswith(".cancellations"):
        # Ordered by level, count and reason: rows tied on those three come in any order.
        orders = [cancellation_order(row)[:3] for row in package]
        if orders != sorted(orders):
            return [f"{path}: not in order {package}"]
        package = sorted(package, key=cancellation_order)
    if isinstance(reference, list) and isinstance(package, list):
        if len(package) != len(reference):
            return [f"{path}: {package} != {reference}"]
        return [
            problem
            for n, (mine, theirs) in enumerate(zip(package, reference, strict=True))
            for problem in differences(mine, theirs, f"{path}[{n}]")
        ]
    if isinstance(reference, float) and isinstance(package, float):
        tolerance = _TOLERANCE.get(path.rsplit(".", 1)[-1], 0.0)
        if abs(package - reference) <= tolerance + 1e-9:
            return []
        if not tolerance and round(package, 2) == round(reference, 2):
            return []
    elif package == reference and type(package) is type(reference):
        return []
    return [f"{path}: package {package!r} != reference {reference!r}"]


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_figures_equal_the_reference_computation(database: Settings, seed: int) -> None:
    year = await build_year(seed)
    problems = []
    for name, scope in scopes(year).items():
        frame = Frame(period=PERIOD, scope=scope, zone=ZONE, now=NOW)
        for label, framed in (("current", frame), ("previous", frame.before())):
            package = await compute_figures(frame=framed)
            reference = await reference_figures(framed)
            problems += differences(package, reference, f"{name} / {label}")
            if (name, label) == ("all, platform", "current"):
                everything = package
            if label == "current" and name.startswith("commune"):  # no empty commune scope
                assert package["activity"]["workshops_planned"] > 0, name
    assert problems == [], "\n".join(problems)

    # The year is varied enough for the comparison to mean something.
    activity = everything["activity"]
    participation = everything["participation"]
    assert activity["sessions_held"] > 0 and activity["sessions_cancelled"] > 0
    assert activity["sessions_planned"] > activity["sessions_held"] + activity["sessions_cancelled"]
    assert activity["workshops_cancelled"] > 0 and len(activity["cancellations"]) > 2
    assert participation["families_returning"] > 0 and participation["families_new"] > 0
    assert participation["registrations_cancelled"] > 0 and participation["waitlist_unserved"] > 0
    assert participation["commune_local"] > 0 and participation["commune_elsewhere"] > 0
    assert participation["present"] and participation["excused"] and participation["absent"]
    assert everything["premises"]["requests_declined"] > 0
    assert everything["premises"]["hours_offered"] > 0

"""A year built only through the application's services, as the staff and families would live it,
the clock moved to each moment (time-machine): the figures of 2025 are known in advance from the
definitions (`workshops/evaluation/definitions.py`), and `test_known_year.py` derives each.

Centre "Robert Schuman" in Haguenau lends room A (20 €/h) to the PMI du Bas-Rhin, offered on
Tuesdays 9:00-12:00 in 2025, closed in August, and on Tuesdays of November-December 2024.
- 2024: W0 "Massage bébé" (3 Dec, 2 h), Alice present: the family from the previous year.
- W1 "Massage bébé", 4 and 11 March 2025, 2 h each, Fanny and Sophie, 3 places. Alice (1 child,
  "Haguenau") and Bob (2 children) fill it; Carla ("HAGUENAU ") and Dan (2 children) wait; Bob
  cancels online, Carla is promoted, Dan still waits. Alice present twice, Carla present then
  excused.
- W2 "Portage", 3 and 10 June 2025, 1 h 30, Fanny, 4 places: Alice again ("Alice@Exemple.fr"),
  Eve (Bischwiller), Hana ("haguenau"), Gus whom the staff cancel for (he called). Fanny cancels
  the second session (ill). First session: Alice present, Eve absent, Hana excused.
- W3 "Massage bébé", 2 September 2025, 5 places: Fay and Ivan sign up, then the coordinator
  cancels the whole workshop (works).
- A request declined (7 October), a request pending under a draft (4 November).
- Second convention, same PMI, "Autre centre" in Saverne: W5 on 1 April 2025 with Zoe, whose
  figures must not leak into the first convention's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from tests.factories import make_organisation
from tests.partners.factories import make_convention
from tests.rooms.factories import Person, make_centre, make_person, make_room
from workshops.accounts.models import Organisation, OrganisationKind, Role
from workshops.kernel.clock import utc_now
from workshops.kernel.settings import Settings
from workshops.partners.models import Convention
from workshops.planning.models import Session, Theme, Workshop
from workshops.planning.plans import WorkshopPlan, create_workshop, publish_workshop
from workshops.rooms.availability import Slot
from workshops.rooms.booking import confirm_booking, decline_booking
from workshops.rooms.models import Room, RoomBooking
from workshops.rooms.offers import WindowDetails, add_closure, add_window
from workshops.rooms.requesting import request_booking
from workshops.signup.cancelling import cancel_by_family, cancel_by_staff
from workshops.signup.eligibility import Child
from workshops.signup.models import Registration
from workshops.signup.registering import Family, register_family
from workshops.signup.roster import record_attendance
from workshops.signup.workshop_changes import cancel_session, cancel_workshop

TUESDAY = 1
EMAILS = (
    "alice@exemple.fr", "bob@exemple.fr", "carla@exemple.fr", "dan@exemple.fr", "eve@exemple.fr",
    "fay@exemple.fr", "gus@exemple.fr", "hana@exemple.fr", "ivan@exemple.fr", "zoe@exemple.fr",
)  # fmt: skip


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """The whole process at `moment` (UTC), the clock stopped there."""
    with time_machine.travel(moment, tick=False):
        yield


def utc(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@dataclass
class KnownYear:
    convention: Convention
    other: Convention
    zone: ZoneInfo


@dataclass
class _Staff:
    settings: Settings
    fanny: Person
    sophie: Person
    claire: Person
    manager: Person


async def _offer(staff: _Staff, room: Room, start: int, end: int, days: tuple[date, date]) -> None:
    details = WindowDetails(TUESDAY, start * 60, end * 60, days[0], days[1])
    await add_window(actor=staff.manager.actor, room=room, details=details, today=date(2024, 11, 4))


async def _book(
    staff: _Staff, room: Room, days: list[date], minutes: tuple[int, int], *, decided: float | None
) -> list[RoomBooking]:
    """Fanny asks for `days` (a weekly series); the centre confirms `decided` hours later."""
    bookings = await request_booking(
        actor=staff.fanny.actor,
        room=room,
        slot=Slot(days[0], *minutes),
        weeks=len(days),
        message="Pour un atelier",
        organisation_id=staff.fanny.organisation.id,
        settings=staff.settings,
    )
    if decided is not None:
        now = bookings[0].created_at + timedelta(hours=decided)
        with at(now):
            await confirm_booking(
                actor=staff.manager.actor,
                booking=bookings[0],
                settings=staff.settings,
                whole_series=True,
            )
    return bookings


async def _workshop(
    staff: _Staff,
    theme: str,
    bookings: list[RoomBooking],
    *,
    capacity: int,
    with_sophie: bool = False,
    publish: bool = True,
) -> tuple[Workshop, list[Session]]:
    made, _ = await Theme.get_or_create(name=theme)
    plan = WorkshopPlan(
        theme_id=made.id,
        title=theme,
        capacity=capacity,
        facilitator_ids=(staff.sophie.user.id,) if with_sophie else (),
    )
    workshop = await create_workshop(
        actor=staff.fanny.actor,
        organisation_id=staff.fanny.organisation.id,
        plan=plan,
        booking_ids=[booking.id for booking in bookings],
    )
    if publish:
        workshop = await publish_workshop(actor=staff.fanny.actor, workshop=workshop)
    sessions = await Session.filter(workshop_id=workshop.id).order_by("starts_at")
    return workshop, list(sessions)


async def _sign_up(
    staff: _Staff,
    workshop: Workshop,
    email: str,
    commune: str = "Haguenau",
    born: tuple[date, ...] = (date(2025, 1, 1),),
    heard_from: str = "pmi",
) -> Registration:
    family = Family(
        parent_name=f"Parent de {email.split('@')[0]}",
        email=email,
        commune=commune,
        children=[Child(month) for month in born],
        heard_from=heard_from,
    )
    outcome = await register_family(settings=staff.settings, workshop_id=workshop.id, family=family)
    return outcome.registration


async def _mark(session: Session, marks: list[tuple[Registration, str]]) -> None:
    for registration, status in marks:
        await registration.refresh_from_db()
        await record_attendance(
            session=session,
            registration=registration,
            status=status,
            zone=ZoneInfo("Europe/Paris"),
            now=utc_now(),
        )


async def _people(settings: Settings, pmi: Organisation, centre: Organisation) -> _Staff:
    people = []
    for organisation, role, name in (
        (pmi, Role.FACILITATOR, "Fanny Animatrice"),
        (pmi, Role.FACILITATOR, "Sophie Animatrice"),
        (pmi, Role.COORDINATOR, "Claire Coordinatrice"),
        (centre, Role.CENTRE_MANAGER, "Marc Gestionnaire"),
    ):
        person = await make_person(organisation, role)
        await person.user.__class__.filter(id=person.user.id).update(full_name=name)
        people.append(person)
    return _Staff(settings, *people)


async def build_known_year(settings: Settings) -> KnownYear:
    with at(utc(2024, 11, 4, 8)):
        pmi = await make_organisation(OrganisationKind.PMI, name="PMI du Bas-Rhin")
        centre = await make_centre("Robert Schuman", commune="Haguenau")
        room = await make_room(centre, name="Salle A")
        await Room.filter(id=room.id).update(hourly_value=Decimal("20.00"))
        convention = await make_convention(pmi, centre, [room], starts_on=date(2024, 1, 1))
        other_centre = await make_centre("Autre centre", commune="Saverne")
        other_room = await make_room(other_centre, name="Salle B", commune="Saverne")
        other = await make_convention(pmi, other_centre, [other_room], starts_on=date(2024, 1, 1))
        staff = await _people(settings, pmi, centre)
        other_manager = await make_person(other_centre, Role.CENTRE_MANAGER)
        await _offer(staff, room, 9, 12, (date(2024, 11, 5), date(2024, 12, 31)))
        await _offer(staff, room, 9, 12, (date(2025, 1, 1), date(2025, 12, 31)))
        await add_closure(
            actor=staff.manager.actor, site=await room.site, room_id=None,
            starts_on=date(2025, 8, 1), ends_on=date(2025, 8, 31), reason="Congés d'été",
            today=date(2024, 11, 4),
        )  # fmt: skip
        await add_window(
            actor=other_manager.actor, room=other_room, today=date(2024, 11, 4),
            details=WindowDetails(TUESDAY, 14 * 60, 17 * 60, date(2025, 1, 1), date(2025, 12, 31)),
        )  # fmt: skip

        w0, [s0] = await _workshop(
            staff,
            "Massage bébé",
            await _book(staff, room, [date(2024, 12, 3)], (540, 660), decided=1),
            capacity=6,
        )
    with at(utc(2024, 11, 10)):
        alice0 = await _sign_up(staff, w0, "alice@exemple.fr", born=(date(2024, 5, 1),))
    with at(utc(2024, 12, 4)):
        await _mark(s0, [(alice0, "present")])

    await _first_workshop(staff, room)
    await _second_workshop(staff, room)
    await _cancelled_workshop(staff, room)
    with at(utc(2025, 9, 1)):
        [declined] = await _book(staff, room, [date(2025, 10, 7)], (540, 660), decided=None)
    with at(utc(2025, 9, 3)):  # 48 hours later
        await decline_booking(
            actor=staff.manager.actor, booking=declined, reason="Salle prise",
            settings=settings,
        )  # fmt: skip
    with at(utc(2025, 10, 1)):
        pending = await _book(staff, room, [date(2025, 11, 4)], (540, 660), decided=None)
        await _workshop(staff, "Massage bébé", pending, capacity=6, publish=False)
    await _other_convention(staff, other_room, other_manager)
    return KnownYear(convention, other, settings.zone)


async def _first_workshop(staff: _Staff, room: Room) -> None:
    with at(utc(2025, 2, 1)):
        bookings = await _book(
            staff, room, [date(2025, 3, 4), date(2025, 3, 11)], (540, 660), decided=24
        )
    with at(utc(2025, 2, 3)):
        w1, [s1, s2] = await _workshop(
            staff, "Massage bébé", bookings, capacity=3, with_sophie=True
        )
    with at(utc(2025, 2, 10)):
        alice = await _sign_up(staff, w1, "alice@exemple.fr")
        bob = await _sign_up(
            staff, w1, "bob@exemple.fr", "Schweighouse-sur-Moder",
            (date(2024, 9, 1), date(2022, 12, 1)), "affiche",
        )  # fmt: skip
        carla = await _sign_up(
            staff, w1, "carla@exemple.fr", "HAGUENAU ", (date(2024, 9, 1),), "affiche"
        )
        await _sign_up(staff, w1, "dan@exemple.fr", "Bischwiller", (date(2024, 1, 1),) * 2)
    with at(utc(2025, 2, 15)):
        await cancel_by_family(settings=staff.settings, registration=bob)
    with at(utc(2025, 3, 12)):
        await _mark(s1, [(alice, "present"), (carla, "present")])
        await _mark(s2, [(alice, "present"), (carla, "excused")])


async def _second_workshop(staff: _Staff, room: Room) -> None:
    with at(utc(2025, 5, 1)):
        bookings = await _book(
            staff, room, [date(2025, 6, 3), date(2025, 6, 10)], (570, 660), decided=12
        )
    with at(utc(2025, 5, 2)):
        w2, [s3, s4] = await _workshop(staff, "Portage", bookings, capacity=4)
    with at(utc(2025, 5, 10)):
        alice = await _sign_up(staff, w2, "Alice@Exemple.fr", born=(date(2024, 7, 1),))
        eve = await _sign_up(
            staff, w2, "eve@exemple.fr", "Bischwiller", (date(2022, 1, 1),), heard_from=""
        )
        hana = await _sign_up(staff, w2, "hana@exemple.fr", "haguenau", (date(2023, 5, 1),))
        gus = await _sign_up(staff, w2, "gus@exemple.fr", "Haguenau", (date(2024, 12, 1),))
    with at(utc(2025, 5, 20)):
        await cancel_by_staff(settings=staff.settings, actor=staff.claire.actor, registration=gus)
    with at(utc(2025, 6, 5)):
        await cancel_session(
            settings=staff.settings, actor=staff.fanny.actor, session=s4,
            message="Animatrice malade",
        )  # fmt: skip
        await _mark(s3, [(alice, "present"), (eve, "absent"), (hana, "excused")])


async def _cancelled_workshop(staff: _Staff, room: Room) -> None:
    with at(utc(2025, 8, 1)):
        bookings = await _book(staff, room, [date(2025, 9, 2)], (540, 660), decided=6)
    with at(utc(2025, 8, 2)):
        w3, _ = await _workshop(staff, "Massage bébé", bookings, capacity=5)
    with at(utc(2025, 8, 10)):
        await _sign_up(staff, w3, "fay@exemple.fr")
        await _sign_up(staff, w3, "ivan@exemple.fr", "Saverne")
    with at(utc(2025, 8, 20)):
        await cancel_workshop(
            settings=staff.settings, actor=staff.claire.actor, workshop=w3, message="Travaux"
        )


async def _other_convention(staff: _Staff, room: Room, manager: Person) -> None:
    with at(utc(2025, 3, 1)):
        mine = _Staff(staff.settings, staff.fanny, staff.sophie, staff.claire, manager)
        bookings = await _book(mine, room, [date(2025, 4, 1)], (840, 960), decided=2)
        w5, [s5] = await _workshop(mine, "Portage", bookings, capacity=8)
        zoe = await _sign_up(mine, w5, "zoe@exemple.fr", "Saverne")
        alice = await _sign_up(mine, w5, "alice@exemple.fr")
    with at(utc(2025, 4, 2)):
        await _mark(s5, [(zoe, "present"), (alice, "present")])

"""A hand-built year of one convention, where every indicator's value is known in advance.

Centre "Robert Schuman" in Haguenau lends room A (20 €/h), offered on Tuesdays 9:00-12:00 in 2025
and closed in August. In 2025: W1 "Massage bébé" (2 held sessions of 2 h, 2 facilitators), W2
"Portage" (one held session of 1 h 30, one cancelled), W3 cancelled for works, a draft on a pending
request, a declined request. In 2024, W0 where Alice first came. Another centre's workshop W5 is
outside the convention. `EXPECTED` lists what the evaluation of 2025 must say.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tests.factories import make_organisation, make_user
from tests.partners.factories import make_convention
from tests.rooms.factories import make_centre, make_room
from workshops.accounts.models import OrganisationKind, Role, User
from workshops.audit.models import AuditEvent
from workshops.partners.models import Convention
from workshops.planning.models import Facilitation, Session, Theme, Workshop, WorkshopStatus
from workshops.rooms.models import Availability, BookingStatus, Closure, Room, RoomBooking
from workshops.signup.models import Attendance, Registration, RegistrationStatus

ZONE = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
_tokens = itertools.count(1)


def paris(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).astimezone(UTC)


@dataclass
class Dataset:
    convention: Convention
    room: Room
    coordinator: User
    facilitator: User


class _Builder:
    def __init__(self, requester: User, organisation_id: int) -> None:
        self.requester = requester
        self.organisation_id = organisation_id

    async def booking(
        self,
        room: Room,
        start: datetime,
        hours: float,
        status: BookingStatus = BookingStatus.CONFIRMED,
        *,
        asked: datetime | None = None,
        delay_hours: float | None = 0,
    ) -> RoomBooking:
        asked = asked or start - timedelta(days=30)
        booking = await RoomBooking.create(
            room_id=room.id,
            requested_by_id=self.requester.id,
            organisation_id=self.organisation_id,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            status=status,
            decided_at=None if delay_hours is None else asked + timedelta(hours=delay_hours),
        )
        # `created_at` is set on insert; the request date is part of the story.
        await RoomBooking.filter(id=booking.id).update(created_at=asked)
        return booking

    async def workshop(
        self,
        theme: Theme,
        sessions: list[RoomBooking],
        *,
        capacity: int,
        facilitators: list[User],
        status: WorkshopStatus = WorkshopStatus.DONE,
        reason: str = "",
    ) -> tuple[Workshop, list[Session]]:
        workshop = await Workshop.create(
            organisation_id=self.organisation_id,
            theme_id=theme.id,
            title=theme.name,
            capacity=capacity,
            status=status,
            cancel_reason=reason,
        )
        for person in facilitators:
            await Facilitation.create(workshop_id=workshop.id, user_id=person.id)
        made = [
            await Session.create(
                workshop_id=workshop.id,
                booking_id=booking.id,
                starts_at=booking.starts_at,
                ends_at=booking.ends_at,
            )
            for booking in sessions
        ]
        return workshop, made


async def register(
    workshop: Workshop,
    email: str,
    *,
    status: RegistrationStatus = RegistrationStatus.CONFIRMED,
    children: list[dict[str, Any]] | None = None,
    commune: str = "Haguenau",
    heard_from: str = "pmi",
) -> Registration:
    children = children if children is not None else [{"born": "2025-01"}]
    return await Registration.create(
        workshop_id=workshop.id,
        status=status,
        places=len(children),
        parent_name=f"Parent de {email.split('@')[0]}",
        email=email,
        phone="06 12 34 56 78",
        commune=commune,
        children=children,
        heard_from=heard_from,
        needs="Arrive en poussette, parle peu le français.",
        token_hash=f"{next(_tokens):064d}",
    )


async def attend(registration: Registration, session: Session, status: str) -> None:
    await Attendance.create(registration_id=registration.id, session_id=session.id, status=status)


async def build() -> Dataset:
    pmi = await make_organisation(OrganisationKind.PMI, name="PMI du Bas-Rhin")
    centre = await make_centre("Robert Schuman", commune="Haguenau")
    room = await make_room(centre, name="Salle A")
    await Room.filter(id=room.id).update(hourly_value=Decimal("20.00"))
    convention = await make_convention(pmi, centre, [room], starts_on=date(2024, 1, 1))
    coordinator = await make_user(pmi, Role.COORDINATOR, full_name="Claire Coordinatrice")
    facilitator = await make_user(pmi, Role.FACILITATOR, full_name="Fanny Animatrice")
    second = await make_user(pmi, Role.FACILITATOR, full_name="Sophie Animatrice")
    await Availability.create(
        room_id=room.id,
        weekday=1,
        start_minute=9 * 60,
        end_minute=12 * 60,
        valid_from=date(2025, 1, 1),
        valid_until=date(2025, 12, 31),
    )
    await Closure.create(
        site_id=room.site_id,
        starts_on=date(2025, 8, 1),
        ends_on=date(2025, 8, 31),
        reason="Congés d’été",
    )
    build = _Builder(facilitator, pmi.id)
    massage, _ = await Theme.get_or_create(name="Massage bébé")
    portage, _ = await Theme.get_or_create(name="Portage")

    # 2024: Alice's first workshop.
    w0, _ = await build.workshop(
        massage,
        [await build.booking(room, paris(date(2024, 5, 7), 9), 2)],
        capacity=6,
        facilitators=[facilitator],
    )
    await register(w0, "alice@exemple.fr", children=[{"born": "2024-01"}])

    asked = datetime(2025, 2, 1, 10, tzinfo=UTC)
    w1, (s1, s2) = await build.workshop(
        massage,
        [
            await build.booking(room, paris(date(2025, 3, d), 9), 2, asked=asked, delay_hours=24)
            for d in (4, 11)
        ],
        capacity=6,
        facilitators=[facilitator, second],
    )
    alice = await register(w1, "alice@exemple.fr")
    bob = await register(
        w1,
        "bob@exemple.fr",
        commune="Schweighouse-sur-Moder",
        heard_from="affiche",
        children=[{"born": "2024-09"}, {"born": "2022-12"}],
    )
    await register(
        w1, "carla@exemple.fr", status=RegistrationStatus.WAITLISTED, children=[{"born": "2024-12"}]
    )
    await register(w1, "dan@exemple.fr", status=RegistrationStatus.CANCELLED)
    await attend(alice, s1, "present")
    await attend(alice, s2, "present")
    await attend(bob, s1, "present")
    await attend(bob, s2, "excused")

    asked = datetime(2025, 5, 1, 10, tzinfo=UTC)
    w2, (s3, s4) = await build.workshop(
        portage,
        [
            await build.booking(
                room, paris(date(2025, 6, 3), 9, 30), 1.5, asked=asked, delay_hours=12
            ),
            await build.booking(
                room, paris(date(2025, 6, 10), 9, 30), 1.5, asked=asked, delay_hours=12
            ),
        ],
        capacity=4,
        facilitators=[facilitator],
        status=WorkshopStatus.PUBLISHED,
    )
    await Session.filter(id=s4.id).update(cancelled_at=NOW, cancel_reason="Animatrice malade")
    await AuditEvent.create(
        actor_id=facilitator.id,
        actor_label=facilitator.email,
        action="session.cancelled",
        object_type="session",
        object_id=str(s4.id),
    )
    alice_again = await register(w2, "Alice@Exemple.fr", children=[{"expected": "2025-08"}])
    eve = await register(
        w2, "eve@exemple.fr", commune="Bischwiller", heard_from="", children=[{"born": "2022-01"}]
    )
    await attend(alice_again, s3, "present")
    await attend(eve, s3, "absent")

    w3, _ = await build.workshop(
        massage,
        [
            await build.booking(
                room,
                paris(date(2025, 9, 2), 9),
                2,
                BookingStatus.CANCELLED,
                asked=datetime(2025, 8, 1, 10, tzinfo=UTC),
                delay_hours=6,
            )
        ],
        capacity=5,
        facilitators=[facilitator],
        status=WorkshopStatus.CANCELLED,
        reason="Travaux",
    )
    await AuditEvent.create(
        actor_id=coordinator.id,
        actor_label=coordinator.email,
        action="workshop.cancelled",
        object_type="workshop",
        object_id=str(w3.id),
    )
    await register(w3, "fay@exemple.fr", status=RegistrationStatus.CANCELLED)

    await build.booking(
        room,
        paris(date(2025, 10, 7), 9),
        2,
        BookingStatus.DECLINED,
        asked=datetime(2025, 9, 1, 10, tzinfo=UTC),
        delay_hours=48,
    )
    pending = await build.booking(
        room, paris(date(2025, 11, 4), 9), 2, BookingStatus.PENDING, delay_hours=None
    )
    draft, _ = await build.workshop(
        massage, [pending], capacity=6, facilitators=[facilitator], status=WorkshopStatus.DRAFT
    )
    await register(draft, "ghost@exemple.fr")

    # Another centre, outside the convention.
    elsewhere = await make_room(await make_centre("Autre centre"), commune="Saverne")
    w5, _ = await build.workshop(
        portage,
        [await build.booking(elsewhere, paris(date(2025, 4, 1), 14), 2)],
        capacity=8,
        facilitators=[second],
    )
    await register(w5, "zoe@exemple.fr", commune="Saverne")
    return Dataset(convention, room, coordinator, facilitator)


EXPECTED_ACTIVITY = {
    "workshops_planned": 3,
    "workshops_held": 2,
    "workshops_cancelled": 1,
    "sessions_planned": 5,
    "sessions_held": 3,
    "sessions_cancelled": 2,
    "session_hours": 5.5,
    "facilitator_hours": 9.5,
    "themes": [
        {"theme": "Massage bébé", "workshops": 2, "sessions_held": 2, "session_hours": 4.0},
        {"theme": "Portage", "workshops": 1, "sessions_held": 1, "session_hours": 1.5},
    ],
    "cancellations": [
        {"level": "workshop", "reason": "Travaux", "who": "Claire Coordinatrice", "count": 1},
        {"level": "session", "reason": "Animatrice malade", "who": "Fanny Animatrice", "count": 1},
    ],
}
EXPECTED_PREMISES = {
    # 52 Tuesdays in 2025, 4 of them in August when the site is closed: 48 x 3 h.
    "hours_offered": 144.0,
    # W1 2 x 2 h, W2 2 x 1.5 h (the cancelled session kept its room); W3's booking was cancelled.
    "hours_booked": 7.0,
    "hours_used": 5.5,
    "occupancy_rate": 0.0382,
    "loan_value": 110.0,
    "requests": 7,
    "requests_confirmed": 5,
    "requests_declined": 1,
    # (24 + 24 + 12 + 12 + 6 + 48) / 6
    "mean_response_hours": 21.0,
}
EXPECTED_PARTICIPATION = {
    "registrations": 4,
    # Only Dan's: Fay's cancelled registration was to W3, a cancelled workshop, which counts in no
    # participation figure (issue 14: participation counts the workshops not cancelled).
    "registrations_cancelled": 1,
    # W3 had no confirmed registration left when it was cancelled.
    "registrations_workshop_cancelled": 0,
    "places": 5,
    "capacity": 10,
    "fill_rate": 0.5,
    "waitlist_unserved": 1,
    "waitlist_unserved_places": 1,
    "present": 4,
    "excused": 1,
    "absent": 1,
    "attendance_rate": 0.6667,
    "families": 3,
    "families_new": 2,
    "families_returning": 1,
    "age_bands": {"prenatal": 1, "0-2": 1, "3-5": 0, "6-11": 1, "12-23": 0, "24-35": 1, "36+": 1},
    # Distinct families, not registrations (issue 14): Alice, of Haguenau, came twice.
    "commune_local": 1,
    "commune_elsewhere": 2,
    "communes": [
        {"commune": "Bischwiller", "code": "", "families": 1},
        {"commune": "Haguenau", "code": "", "families": 1},
        {"commune": "Schweighouse-sur-Moder", "code": "", "families": 1},
    ],
    # Distinct families too: Alice heard from the PMI, once.
    "heard_from": [
        {"heard_from": "", "families": 1},
        {"heard_from": "affiche", "families": 1},
        {"heard_from": "pmi", "families": 1},
    ],
}

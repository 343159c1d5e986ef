"""Rooms for tests: a centre with a site and a room, weekly offers, people on both sides."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.conftest import make_settings
from tests.factories import make_organisation, make_user
from workshops.accounts.models import Organisation, OrganisationKind, Role, User
from workshops.accounts.signin import load_staff
from workshops.audit.events import Actor
from workshops.kernel.settings import Settings
from workshops.rooms.availability import Slot
from workshops.rooms.models import Availability, Room, RoomBooking, Site
from workshops.rooms.requesting import request_booking

ZONE = ZoneInfo("Europe/Paris")
TUESDAY = 1
# Service tests run at a fixed moment, with a Tuesday morning after it.
NOW = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
TUESDAY_1 = date(2026, 11, 10)
MORNING = Slot(TUESDAY_1, 9 * 60 + 30, 11 * 60 + 30)
# What the e-mails a request queues are rendered with (base URL, sender, zone): the defaults.
MAIL_SETTINGS = make_settings(Path(tempfile.gettempdir()))


@dataclass(frozen=True)
class Person:
    user: User
    organisation: Organisation
    actor: Actor


async def make_person(organisation: Organisation, role: Role) -> Person:
    user = await make_user(organisation, role)
    staff = await load_staff(user.id, user.session_version)
    assert staff is not None
    return Person(user=user, organisation=organisation, actor=Actor(staff=staff))


async def make_centre(name: str = "", commune: str = "Haguenau") -> Organisation:
    return await make_organisation(OrganisationKind.CENTRE, name=name, commune=commune)


async def make_room(
    centre: Organisation | None = None,
    *,
    name: str = "Salle petite enfance",
    capacity: int = 12,
    equipment: tuple[str, ...] = ("mats", "changing_table"),
    commune: str = "Haguenau",
) -> Room:
    centre = centre or await make_centre(commune=commune)
    site, _ = await Site.get_or_create(
        organisation_id=centre.id,
        name=f"Lieu de {centre.name}",
        defaults={"address": "1 rue de la Paix", "commune": commune},
    )
    room = await Room.create(
        site_id=site.id, name=name, capacity=capacity, equipment=list(equipment)
    )
    return await Room.get(id=room.id).prefetch_related("site", "site__organisation")


async def offer(
    room: Room,
    *,
    weekday: int = TUESDAY,
    start: str = "09:00",
    end: str = "12:00",
    valid_from: date = date(2026, 1, 1),
    valid_until: date = date(2028, 12, 31),
) -> Availability:
    def minutes(text: str) -> int:
        hours, minutes = text.split(":")
        return int(hours) * 60 + int(minutes)

    return await Availability.create(
        room_id=room.id,
        weekday=weekday,
        start_minute=minutes(start),
        end_minute=minutes(end),
        valid_from=valid_from,
        valid_until=valid_until,
    )


async def make_facilitator() -> Person:
    return await make_person(await make_organisation(), Role.FACILITATOR)


async def room_with_manager() -> tuple[Room, Person]:
    """A room offered on Tuesdays 9:00-12:00, and a manager of its centre."""
    centre = await make_centre()
    room = await make_room(centre)
    await offer(room)
    return room, await make_person(centre, Role.CENTRE_MANAGER)


async def ask(
    room: Room,
    person: Person,
    slot: Slot = MORNING,
    weeks: int = 1,
    now: datetime = NOW,
    settings: Settings = MAIL_SETTINGS,
) -> list[RoomBooking]:
    return await request_booking(
        actor=person.actor,
        room=room,
        slot=slot,
        weeks=weeks,
        message="Atelier massage bébé",
        organisation_id=person.organisation.id,
        settings=settings,
        now=now,
    )

"""What a week view holds: offers, closures and bookings of each day, in words."""

from __future__ import annotations

from datetime import date, timedelta

from tests.clock import PARIS
from tests.factories import make_organisation
from tests.rooms.factories import ZONE, make_centre, make_person, make_room, offer
from workshops.accounts.models import Role
from workshops.kernel.clock import local_today
from workshops.kernel.settings import Settings
from workshops.rooms.availability import Slot
from workshops.rooms.booking import confirm_booking
from workshops.rooms.models import Closure
from workshops.rooms.requesting import request_booking
from workshops.rooms.week import EntryKind, rooms_week, week_start


def _monday_in(weeks: int) -> date:
    today = local_today(PARIS)
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)


async def test_a_room_week_lists_offers_closures_and_bookings_in_words(
    database: Settings,
) -> None:
    centre = await make_centre()
    room = await make_room(centre)
    monday = _monday_in(2)
    await offer(room, weekday=1, valid_from=monday, valid_until=monday + timedelta(days=30))
    await offer(room, weekday=3, valid_from=monday, valid_until=monday + timedelta(days=30))
    thursday = monday + timedelta(days=3)
    await Closure.create(site_id=room.site.id, starts_on=thursday, ends_on=thursday, reason="Pont")
    facilitator = await make_person(await make_organisation(), Role.FACILITATOR)
    [booking] = await request_booking(
        actor=facilitator.actor,
        room=room,
        slot=Slot(monday + timedelta(days=1), 9 * 60 + 30, 11 * 60),
        message="",
        organisation_id=facilitator.organisation.id,
        settings=database,
    )
    manager = await make_person(centre, Role.CENTRE_MANAGER)
    await confirm_booking(settings=database, actor=manager.actor, booking=booking)
    days = await rooms_week([room], monday, ZONE)
    assert [d.day for d in days] == [monday + timedelta(days=n) for n in range(7)]
    tuesday = days[1].groups[0].entries
    assert [(e.kind, e.hours) for e in tuesday] == [
        (EntryKind.OFFERED, "09:00–12:00"),
        (EntryKind.CONFIRMED, "09:30–11:00"),
    ]
    assert tuesday[1].label == "Réservée" and tuesday[1].detail == facilitator.user.full_name
    [closed] = days[3].groups[0].entries
    assert (closed.kind, closed.label, closed.detail) == (EntryKind.CLOSED, "Fermée", "Pont")
    assert days[0].groups[0].entries == []


def test_the_week_asked_for_starts_on_its_monday() -> None:
    today = date(2026, 11, 25)
    assert week_start("2026-12-03", today) == date(2026, 11, 30)
    assert week_start("n'importe quoi", today) == date(2026, 11, 23)
    assert week_start("9999-12-31", today) == date(2026, 11, 23)

"""Asking for a room: one slot or a weekly series, refused with its reason when it cannot be met."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.rooms.factories import (
    MORNING,
    NOW,
    TUESDAY_1,
    ZONE,
    ask,
    make_facilitator,
    room_with_manager,
)
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.mail.models import OutboxMessage
from workshops.rooms.availability import Slot
from workshops.rooms.booking import confirm_booking
from workshops.rooms.inbox import count_pending_requests
from workshops.rooms.models import BookingStatus, Closure, RoomBooking
from workshops.rooms.requesting import plan_series, request_booking


async def test_a_request_inside_the_offered_window_is_pending_for_the_centre(
    database: Settings,
) -> None:
    room, _manager = await room_with_manager()
    [booking] = await ask(room, await make_facilitator())
    stored = await RoomBooking.get(id=booking.id)
    assert stored.status == BookingStatus.PENDING
    assert stored.starts_at == datetime(2026, 11, 10, 8, 30, tzinfo=UTC)
    assert stored.message == "Atelier massage bébé"
    assert await count_pending_requests([room.site.organisation_id], now=NOW) == 1


@pytest.mark.parametrize(
    ("slot", "field", "message"),
    [
        (Slot(TUESDAY_1, 11 * 60, 13 * 60), "starts", "proposée seulement : 09:00–12:00"),
        (Slot(date(2026, 11, 11), 9 * 60, 10 * 60), "starts", "pas proposée ce jour-là"),
        (Slot(TUESDAY_1, 10 * 60, 9 * 60), "ends", "fin doit être après"),
        (Slot(date(2026, 10, 27), 9 * 60, 10 * 60), "day", "déjà passée"),
    ],
)
async def test_a_request_that_cannot_be_met_is_refused_with_its_reason(
    database: Settings, slot: Slot, field: str, message: str
) -> None:
    room, _manager = await room_with_manager()
    with pytest.raises(Invalid) as refused:
        await ask(room, await make_facilitator(), slot)
    assert message in refused.value.errors[field]
    assert await RoomBooking.all().count() == 0


async def test_a_request_on_a_closed_day_names_the_closure(database: Settings) -> None:
    room, _manager = await room_with_manager()
    await Closure.create(
        site_id=room.site.id, starts_on=TUESDAY_1, ends_on=TUESDAY_1, reason="Travaux"
    )
    with pytest.raises(Invalid) as refused:
        await ask(room, await make_facilitator())
    assert refused.value.errors["day"] == "Fermé ce jour-là : Travaux."


async def test_a_series_over_the_holidays_skips_the_closed_dates_and_says_so(
    database: Settings,
) -> None:
    room, _manager = await room_with_manager()
    await Closure.create(
        site_id=room.site.id,
        starts_on=date(2026, 11, 21),
        ends_on=date(2026, 12, 6),
        reason="Vacances d'automne prolongées",
    )
    plan = await plan_series(room=room, slot=MORNING, weeks=8, zone=ZONE, now=NOW)
    assert [o.slot.day for o in plan.closed] == [date(2026, 11, 24), date(2026, 12, 1)]
    assert plan.closed[0].problem is not None
    assert "Vacances d'automne prolongées" in plan.closed[0].problem.message
    bookings = await ask(room, await make_facilitator(), weeks=8)
    days = [b.starts_at.astimezone(ZONE).date() for b in bookings]
    assert len(days) == 6
    assert date(2026, 11, 24) not in days and date(2026, 12, 1) not in days
    assert len({b.series for b in bookings}) == 1 and bookings[0].series


async def test_a_series_shows_a_date_already_booked_as_a_conflict(database: Settings) -> None:
    room, manager = await room_with_manager()
    [taken] = await ask(room, await make_facilitator(), Slot(date(2026, 11, 17), 9 * 60, 12 * 60))
    await confirm_booking(settings=database, actor=manager.actor, booking=taken, now=NOW)
    plan = await plan_series(room=room, slot=MORNING, weeks=3, zone=ZONE, now=NOW)
    [conflict] = plan.conflicts
    assert conflict.slot.day == date(2026, 11, 17)
    assert conflict.problem is not None
    assert conflict.problem.message == "La salle est déjà réservée sur ce créneau."


async def test_a_series_of_more_than_52_weeks_is_refused(database: Settings) -> None:
    room, _manager = await room_with_manager()
    with pytest.raises(Invalid) as refused:
        await ask(room, await make_facilitator(), weeks=53)
    assert refused.value.errors["weeks"] == "Une série compte de 1 à 52 semaines."
    assert await RoomBooking.all().count() == 0


async def test_a_series_whose_dates_changed_since_the_preview_is_not_sent(
    database: Settings,
) -> None:
    room, _manager = await room_with_manager()
    person = await make_facilitator()
    with pytest.raises(Invalid) as refused:
        await request_booking(
            actor=person.actor,
            room=room,
            slot=MORNING,
            weeks=2,
            message="",
            organisation_id=person.organisation.id,
            settings=database,
            expected_days=[TUESDAY_1],
            now=NOW,
        )
    assert "ont changé depuis l'aperçu" in refused.value.errors["weeks"]
    assert await RoomBooking.all().count() == 0


async def test_a_request_tells_the_centre_managers(database: Settings) -> None:
    room, manager = await room_with_manager()
    await ask(room, await make_facilitator(), weeks=2)
    mail = await OutboxMessage.get(template="room_request")
    assert mail.recipient == manager.user.email
    assert "Les 2 dates de la série hebdomadaire :" in mail.text_body


async def test_a_date_years_ahead_is_refused(database: Settings) -> None:
    room, _manager = await room_with_manager()
    with pytest.raises(Invalid) as refused:
        await ask(room, await make_facilitator(), Slot(date(9999, 12, 28), 9 * 60, 10 * 60))
    assert refused.value.errors["day"] == "Choisissez une date dans les deux ans à venir."

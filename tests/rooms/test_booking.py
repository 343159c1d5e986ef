"""Asking for rooms and deciding on requests, without HTTP (DESIGN rule 3)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest

from tests.conftest import TEST_DATABASE_URL
from tests.rooms.factories import ZONE, Person, make_centre, make_person, make_room, offer
from workshops.accounts.models import Role
from workshops.audit.models import AuditEvent
from workshops.rooms import booking as booking_service
from workshops.rooms.availability import Slot
from workshops.rooms.booking import (
    cancel_booking,
    confirm_booking,
    count_pending_requests,
    decline_booking,
    pending_requests,
    plan_series,
    request_booking,
)
from workshops.rooms.models import BookingStatus, Closure, Room, RoomBooking
from workshops.settings import Settings
from workshops.validation import Invalid

NOW = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
TUESDAY_1 = date(2026, 11, 10)  # a Tuesday after NOW
MORNING = Slot(TUESDAY_1, 9 * 60 + 30, 11 * 60 + 30)


async def _facilitator() -> Person:
    from tests.factories import make_organisation

    return await make_person(await make_organisation(), Role.FACILITATOR)


async def _ask(
    room: Room, person: Person, slot: Slot = MORNING, weeks: int = 1
) -> list[RoomBooking]:
    return await request_booking(
        actor=person.actor,
        room=room,
        slot=slot,
        weeks=weeks,
        message="Atelier massage bébé",
        organisation_id=person.organisation.id,
        zone=ZONE,
        now=NOW,
    )


async def _room_with_manager() -> tuple[Room, Person]:
    centre = await make_centre()
    room = await make_room(centre)
    await offer(room)
    return room, await make_person(centre, Role.CENTRE_MANAGER)


async def test_a_request_inside_the_offered_window_is_pending_for_the_centre(
    database: Settings,
) -> None:
    room, _manager = await _room_with_manager()
    [booking] = await _ask(room, await _facilitator())
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
    room, _manager = await _room_with_manager()
    with pytest.raises(Invalid) as refused:
        await _ask(room, await _facilitator(), slot)
    assert message in refused.value.errors[field]
    assert await RoomBooking.all().count() == 0


async def test_a_request_on_a_closed_day_names_the_closure(database: Settings) -> None:
    room, _manager = await _room_with_manager()
    await Closure.create(
        site_id=room.site.id, starts_on=TUESDAY_1, ends_on=TUESDAY_1, reason="Travaux"
    )
    with pytest.raises(Invalid) as refused:
        await _ask(room, await _facilitator())
    assert refused.value.errors["day"] == "Fermé ce jour-là : Travaux."


async def test_a_series_over_the_holidays_skips_the_closed_dates_and_says_so(
    database: Settings,
) -> None:
    room, _manager = await _room_with_manager()
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
    bookings = await _ask(room, await _facilitator(), weeks=8)
    days = [b.starts_at.astimezone(ZONE).date() for b in bookings]
    assert len(days) == 6
    assert date(2026, 11, 24) not in days and date(2026, 12, 1) not in days
    assert len({b.series for b in bookings}) == 1 and bookings[0].series


async def test_a_series_shows_a_date_already_booked_as_a_conflict(database: Settings) -> None:
    room, manager = await _room_with_manager()
    [taken] = await _ask(room, await _facilitator(), Slot(date(2026, 11, 17), 9 * 60, 12 * 60))
    await confirm_booking(actor=manager.actor, booking=taken, now=NOW)
    plan = await plan_series(room=room, slot=MORNING, weeks=3, zone=ZONE, now=NOW)
    [conflict] = plan.conflicts
    assert conflict.slot.day == date(2026, 11, 17)
    assert conflict.problem is not None
    assert conflict.problem.message == "La salle est déjà réservée sur ce créneau."


async def test_a_series_of_more_than_52_weeks_is_refused(database: Settings) -> None:
    room, _manager = await _room_with_manager()
    with pytest.raises(Invalid) as refused:
        await _ask(room, await _facilitator(), weeks=53)
    assert refused.value.errors["weeks"] == "Une série compte de 1 à 52 semaines."
    assert await RoomBooking.all().count() == 0


async def test_a_series_whose_dates_changed_since_the_preview_is_not_sent(
    database: Settings,
) -> None:
    room, _manager = await _room_with_manager()
    person = await _facilitator()
    with pytest.raises(Invalid) as refused:
        await request_booking(
            actor=person.actor,
            room=room,
            slot=MORNING,
            weeks=2,
            message="",
            organisation_id=person.organisation.id,
            zone=ZONE,
            expected_days=[TUESDAY_1],
            now=NOW,
        )
    assert "ont changé depuis l'aperçu" in refused.value.errors["weeks"]
    assert await RoomBooking.all().count() == 0


async def test_only_one_of_two_simultaneous_overlapping_confirmations_passes(
    database: Settings,
) -> None:
    room, manager = await _room_with_manager()
    [first] = await _ask(room, await _facilitator())
    [second] = await _ask(room, await _facilitator(), Slot(TUESDAY_1, 10 * 60, 12 * 60))
    other_manager = await make_person(room.site.organisation, Role.CENTRE_MANAGER)
    outcomes = await asyncio.gather(
        confirm_booking(actor=manager.actor, booking=first, now=NOW),
        confirm_booking(actor=other_manager.actor, booking=second, now=NOW),
        return_exceptions=True,
    )
    refusals = [o for o in outcomes if isinstance(o, Invalid)]
    assert len(refusals) == 1, outcomes
    assert "déjà réservée" in refusals[0].errors["decision"]
    statuses = sorted(await RoomBooking.all().values_list("status", flat=True))
    assert statuses == [BookingStatus.CONFIRMED, BookingStatus.PENDING]


@pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="the exclusion constraint exists only on PostgreSQL"
)
async def test_the_postgres_constraint_refuses_an_overlap_the_check_missed(
    database: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    room, manager = await _room_with_manager()
    [first] = await _ask(room, await _facilitator())
    [second] = await _ask(room, await _facilitator())
    await confirm_booking(actor=manager.actor, booking=first, now=NOW)

    async def no_problem(booking: RoomBooking, now: datetime) -> None:
        return None

    monkeypatch.setattr(booking_service, "_confirmation_problem", no_problem)
    with pytest.raises(Invalid) as refused:
        await confirm_booking(actor=manager.actor, booking=second, now=NOW)
    assert "déjà réservée" in refused.value.errors["decision"]
    assert (await RoomBooking.get(id=second.id)).status == BookingStatus.PENDING


async def test_a_whole_series_is_confirmed_at_once_except_a_date_already_taken(
    database: Settings,
) -> None:
    room, manager = await _room_with_manager()
    series = await _ask(room, await _facilitator(), weeks=4)
    [rival] = await _ask(room, await _facilitator(), Slot(date(2026, 11, 17), 11 * 60, 12 * 60))
    await confirm_booking(actor=manager.actor, booking=rival, now=NOW)
    decision = await confirm_booking(
        actor=manager.actor, booking=series[0], whole_series=True, now=NOW
    )
    assert [b.id for b in decision.confirmed] == [series[0].id, series[2].id, series[3].id]
    [(left, reason)] = decision.left_pending
    assert left.id == series[1].id and "déjà réservée" in reason
    assert (await RoomBooking.get(id=series[1].id)).status == BookingStatus.PENDING


async def test_a_request_already_decided_cannot_be_decided_again(database: Settings) -> None:
    room, manager = await _room_with_manager()
    [booking] = await _ask(room, await _facilitator())
    await decline_booking(actor=manager.actor, booking=booking, reason="Salle en travaux", now=NOW)
    with pytest.raises(Invalid) as refused:
        await confirm_booking(actor=manager.actor, booking=booking, now=NOW)
    assert refused.value.errors["decision"] == "Cette demande a déjà été traitée."


async def test_declining_needs_a_reason_and_keeps_it(database: Settings) -> None:
    room, manager = await _room_with_manager()
    series = await _ask(room, await _facilitator(), weeks=3)
    with pytest.raises(Invalid) as refused:
        await decline_booking(actor=manager.actor, booking=series[0], reason=" ", now=NOW)
    assert "raison du refus" in refused.value.errors["reason"]
    declined = await decline_booking(
        actor=manager.actor,
        booking=series[0],
        reason="Salle prise par le centre de loisirs",
        whole_series=True,
        now=NOW,
    )
    assert len(declined) == 3
    stored = await RoomBooking.all()
    assert {b.status for b in stored} == {BookingStatus.DECLINED}
    assert {b.decline_reason for b in stored} == {"Salle prise par le centre de loisirs"}
    assert await pending_requests([room.site.organisation_id], now=NOW) == []


async def test_a_confirmed_booking_is_cancelled_with_a_reason_and_the_other_side_is_told(
    database: Settings,
) -> None:
    room, manager = await _room_with_manager()
    facilitator = await _facilitator()
    [booking] = await _ask(room, facilitator)
    with pytest.raises(Invalid):
        await cancel_booking(actor=manager.actor, booking=booking, reason="x", by_centre=True)
    await confirm_booking(actor=manager.actor, booking=booking, now=NOW)
    with pytest.raises(Invalid) as refused:
        await cancel_booking(actor=manager.actor, booking=booking, reason="", by_centre=True)
    assert "raison de l'annulation" in refused.value.errors["reason"]
    await cancel_booking(
        actor=manager.actor, booking=booking, reason="Dégât des eaux", by_centre=True
    )
    stored = await RoomBooking.get(id=booking.id)
    assert stored.status == BookingStatus.CANCELLED
    assert stored.cancel_reason == "Dégât des eaux"
    assert stored.cancelled_by_id == manager.user.id
    mail = await AuditEvent.filter(action="rooms.mail_pending").order_by("-id").first()
    assert mail is not None
    assert mail.details["to"] == [facilitator.user.email]
    assert mail.details["calendar"] == "CANCEL"


async def test_a_request_tells_the_centre_managers(database: Settings) -> None:
    room, manager = await _room_with_manager()
    await _ask(room, await _facilitator(), weeks=2)
    mail = await AuditEvent.get(action="rooms.mail_pending")
    assert mail.details["to"] == [manager.user.email]
    assert len(mail.details["booking_ids"]) == 2
    assert mail.organisation_id == room.site.organisation_id  # type: ignore[attr-defined]


async def test_the_inbox_lists_a_series_once_and_only_for_its_centre(database: Settings) -> None:
    room, _manager = await _room_with_manager()
    other_room = await make_room(await make_centre(), name="Salle polyvalente")
    await offer(other_room)
    await _ask(room, await _facilitator(), weeks=3)
    await _ask(other_room, await _facilitator())
    [request] = await pending_requests([room.site.organisation_id], now=NOW)
    assert request.is_series and len(request.bookings) == 3
    assert await count_pending_requests([room.site.organisation_id], now=NOW) == 1
    assert await count_pending_requests([], now=NOW) == 0
    long_after = datetime(2027, 6, 1, tzinfo=UTC)
    assert await pending_requests([room.site.organisation_id], now=long_after) == []


async def test_a_date_years_ahead_is_refused(database: Settings) -> None:
    room, _manager = await _room_with_manager()
    with pytest.raises(Invalid) as refused:
        await _ask(room, await _facilitator(), Slot(date(9999, 12, 28), 9 * 60, 10 * 60))
    assert refused.value.errors["day"] == "Choisissez une date dans les deux ans à venir."

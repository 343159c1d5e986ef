"""Deciding on requests: confirm (one at a time per room, rule 3), decline, cancel."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from datetime import date, datetime

import pytest

from tests.conftest import TEST_DATABASE_URL
from tests.rooms.factories import (
    NOW,
    TUESDAY_1,
    ask,
    make_facilitator,
    make_person,
    room_with_manager,
)
from workshops.accounts.models import Role
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.mail.models import OutboxMessage
from workshops.rooms import booking as booking_service
from workshops.rooms.availability import Slot
from workshops.rooms.booking import cancel_booking, confirm_booking, decline_booking
from workshops.rooms.inbox import pending_requests
from workshops.rooms.models import BookingStatus, RoomBooking


async def test_only_one_of_two_simultaneous_overlapping_confirmations_passes(
    database: Settings,
) -> None:
    room, manager = await room_with_manager()
    [first] = await ask(room, await make_facilitator())
    [second] = await ask(room, await make_facilitator(), Slot(TUESDAY_1, 10 * 60, 12 * 60))
    other_manager = await make_person(room.site.organisation, Role.CENTRE_MANAGER)
    outcomes = await asyncio.gather(
        confirm_booking(settings=database, actor=manager.actor, booking=first, now=NOW),
        confirm_booking(settings=database, actor=other_manager.actor, booking=second, now=NOW),
        return_exceptions=True,
    )
    refusals = [o for o in outcomes if isinstance(o, Invalid)]
    assert len(refusals) == 1, outcomes
    assert "déjà réservée" in refusals[0].errors["decision"]
    statuses = sorted(booking.status for booking in await RoomBooking.all())
    assert statuses == [BookingStatus.CONFIRMED, BookingStatus.PENDING]


@pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="the exclusion constraint exists only on PostgreSQL"
)
async def test_the_postgres_constraint_refuses_an_overlap_the_check_missed(
    database: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    room, manager = await room_with_manager()
    [first] = await ask(room, await make_facilitator())
    [second] = await ask(room, await make_facilitator())
    await confirm_booking(settings=database, actor=manager.actor, booking=first, now=NOW)

    async def no_problem(booking: RoomBooking, now: datetime) -> None:
        return None

    monkeypatch.setattr(booking_service, "_confirmation_problem", no_problem)
    with pytest.raises(Invalid) as refused:
        await confirm_booking(settings=database, actor=manager.actor, booking=second, now=NOW)
    assert "déjà réservée" in refused.value.errors["decision"]
    assert (await RoomBooking.get(id=second.id)).status == BookingStatus.PENDING


async def test_a_whole_series_is_confirmed_at_once_except_a_date_already_taken(
    database: Settings,
) -> None:
    room, manager = await room_with_manager()
    series = await ask(room, await make_facilitator(), weeks=4)
    [rival] = await ask(room, await make_facilitator(), Slot(date(2026, 11, 17), 11 * 60, 12 * 60))
    await confirm_booking(settings=database, actor=manager.actor, booking=rival, now=NOW)
    decision = await confirm_booking(
        settings=database, actor=manager.actor, booking=series[0], whole_series=True, now=NOW
    )
    assert [b.id for b in decision.confirmed] == [series[0].id, series[2].id, series[3].id]
    [(left, reason)] = decision.left_pending
    assert left.id == series[1].id and "déjà réservée" in reason
    assert (await RoomBooking.get(id=series[1].id)).status == BookingStatus.PENDING


async def test_a_request_already_decided_cannot_be_decided_again(database: Settings) -> None:
    room, manager = await room_with_manager()
    [booking] = await ask(room, await make_facilitator())
    await decline_booking(
        settings=database, actor=manager.actor, booking=booking, reason="Salle en travaux", now=NOW
    )
    with pytest.raises(Invalid) as refused:
        await confirm_booking(settings=database, actor=manager.actor, booking=booking, now=NOW)
    assert refused.value.errors["decision"] == "Cette demande a déjà été traitée."


async def test_declining_needs_a_reason_and_keeps_it(database: Settings) -> None:
    room, manager = await room_with_manager()
    series = await ask(room, await make_facilitator(), weeks=3)
    with pytest.raises(Invalid) as refused:
        await decline_booking(
            settings=database, actor=manager.actor, booking=series[0], reason=" ", now=NOW
        )
    assert "raison du refus" in refused.value.errors["reason"]
    declined = await decline_booking(
        settings=database,
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
    room, manager = await room_with_manager()
    facilitator = await make_facilitator()
    [booking] = await ask(room, facilitator)
    with pytest.raises(Invalid):
        await cancel_booking(
            settings=database, actor=manager.actor, booking=booking, reason="x", by_centre=True
        )
    await confirm_booking(settings=database, actor=manager.actor, booking=booking, now=NOW)
    with pytest.raises(Invalid) as refused:
        await cancel_booking(
            settings=database, actor=manager.actor, booking=booking, reason="", by_centre=True
        )
    assert "raison de l'annulation" in refused.value.errors["reason"]
    await cancel_booking(
        settings=database,
        actor=manager.actor,
        booking=booking,
        reason="Dégât des eaux",
        by_centre=True,
    )
    stored = await RoomBooking.get(id=booking.id)
    assert stored.status == BookingStatus.CANCELLED
    assert stored.cancel_reason == "Dégât des eaux"
    assert stored.cancelled_by_id == manager.user.id
    mail = await OutboxMessage.filter(template="room_cancellation").get()
    assert mail.recipient == facilitator.user.email
    assert mail.calendar_method == "CANCEL"
    assert "Dégât des eaux" in mail.text_body


@pytest.mark.skipif(
    bool(TEST_DATABASE_URL), reason="SQLite only: another process writing the same database file"
)
async def test_on_sqlite_a_confirmation_waits_for_another_process_deciding_on_the_room(
    database: Settings,
) -> None:
    room, manager = await room_with_manager()
    [mine] = await ask(room, await make_facilitator())
    [theirs] = await ask(room, await make_facilitator())
    holding = threading.Event()

    def other_process() -> None:
        connection = sqlite3.connect(
            database.database_url.removeprefix("sqlite://"), timeout=5, isolation_level=None
        )
        connection.execute("BEGIN")
        connection.execute('UPDATE "room" SET "id" = "id" WHERE "id" = ?', (room.id,))
        holding.set()
        time.sleep(0.3)
        connection.execute(
            'UPDATE "room_booking" SET "status" = \'confirmed\' WHERE "id" = ?', (theirs.id,)
        )
        connection.execute("COMMIT")
        connection.close()

    thread = threading.Thread(target=other_process)
    thread.start()
    await asyncio.to_thread(holding.wait)
    with pytest.raises(Invalid) as refused:
        await confirm_booking(settings=database, actor=manager.actor, booking=mine, now=NOW)
    await asyncio.to_thread(thread.join)
    assert "déjà réservée" in refused.value.errors["decision"]
    assert (await RoomBooking.get(id=mine.id)).status == BookingStatus.PENDING


async def test_a_request_confirmed_and_declined_at_once_gets_only_one_answer(
    database: Settings,
) -> None:
    room, manager = await room_with_manager()
    [booking] = await ask(room, await make_facilitator())
    other_manager = await make_person(room.site.organisation, Role.CENTRE_MANAGER)
    outcomes = await asyncio.gather(
        confirm_booking(settings=database, actor=manager.actor, booking=booking, now=NOW),
        decline_booking(
            settings=database, actor=other_manager.actor, booking=booking, reason="Complet", now=NOW
        ),
        return_exceptions=True,
    )
    [refusal] = [o for o in outcomes if isinstance(o, Invalid)]
    assert refusal.errors["decision"] == "Cette demande a déjà été traitée."
    stored = await RoomBooking.get(id=booking.id)
    answered = (
        BookingStatus.CONFIRMED if isinstance(outcomes[1], Invalid) else BookingStatus.DECLINED
    )
    assert stored.status == answered

"""Kept figures of finished years: exact after every change to their data, on both databases."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.evaluation.dataset import NOW, ZONE, Dataset, attend, build, register
from workshops.audit.events import SYSTEM
from workshops.evaluation import forgetting, kept
from workshops.evaluation.figures import (
    Figures,
    compute_figures,
    figures_of,
    refresh_kept_figures,
    warm_kept_figures,
)
from workshops.evaluation.models import KeptFigures
from workshops.evaluation.scope import Frame, Scope, ScopeKind, calendar_year, convention_scope
from workshops.kernel import db
from workshops.kernel.settings import Settings
from workshops.planning.models import Session, Workshop
from workshops.privacy.anonymising import anonymise_family
from workshops.privacy.family_data import erase_family
from workshops.rooms.models import Room, RoomBooking
from workshops.signup.models import Registration, RegistrationStatus
from workshops.signup.roster import record_attendance


def _frame(dataset: Dataset, year: int = 2025, *, now: datetime = NOW) -> Frame:
    scope = convention_scope(dataset.convention.id, dataset.convention.pmi_id)
    return Frame(period=calendar_year(year), scope=scope, zone=ZONE, now=now)


async def _kept_row(frame: Frame) -> KeptFigures | None:
    return await KeptFigures.filter(key=kept.frame_key(frame)).first()


async def _exact(frame: Frame) -> Figures:
    """The figures as `figures_of` serves them, after checking them against a computation."""
    served = await figures_of(frame)
    assert served == await compute_figures(frame=frame)
    return served


async def test_a_finished_year_is_computed_once_then_read(
    database: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = await build()
    frame = _frame(dataset)
    first = await _exact(frame)
    row = await _kept_row(frame)
    assert row is not None and row.token and row.figures == first

    async def never(frame: Frame) -> Figures:
        raise AssertionError("kept figures are computed again")

    monkeypatch.setattr("workshops.evaluation.figures._compute", never)
    assert await figures_of(frame) == first


async def test_a_year_not_over_is_never_kept(database: Settings) -> None:
    dataset = await build()
    # 2025 seen from its last day: its sessions have ended, but the year has not.
    frame = _frame(dataset, now=datetime(2025, 12, 31, 12, tzinfo=UTC))
    await _exact(frame)
    assert await _kept_row(frame) is None


async def test_a_finished_year_whose_workshop_goes_on_is_not_kept(database: Settings) -> None:
    dataset = await build()
    frame = _frame(dataset)
    workshop_id = (await Registration.get(email="bob@exemple.fr")).workshop_id
    booking = await RoomBooking.filter(room_id=dataset.room.id).order_by("-starts_at").first()
    assert booking is not None
    # A session of one of 2025's workshops, after NOW: `now` still decides what is held.
    later = NOW + timedelta(days=7)
    await Session.create(
        workshop_id=workshop_id, booking_id=booking.id, starts_at=later,
        ends_at=later + timedelta(hours=2),
    )  # fmt: skip
    await _exact(frame)
    assert await _kept_row(frame) is None


async def _changes_move_kept_figures(dataset: Dataset, change: Any) -> tuple[Figures, Figures]:
    frame = _frame(dataset)
    before = await _exact(frame)
    await change()
    row = await _kept_row(frame)
    assert row is not None and row.figures is None and row.token == ""  # forgotten
    after = await _exact(frame)
    assert (await _kept_row(frame)).figures == after  # type: ignore[union-attr]
    return before, after


async def test_a_late_attendance_mark_moves_the_kept_year(database: Settings) -> None:
    dataset = await build()
    bob = await Registration.get(email="bob@exemple.fr")
    session = await Session.filter(workshop_id=bob.workshop_id).order_by("starts_at").last()
    assert session is not None

    async def change() -> None:
        await record_attendance(
            session=session, registration=bob, status="absent", zone=ZONE, now=NOW
        )

    before, after = await _changes_move_kept_figures(dataset, change)
    assert (before["participation"]["excused"], after["participation"]["excused"]) == (1, 0)
    assert after["participation"]["absent"] == before["participation"]["absent"] + 1


async def test_an_erasure_and_an_anonymisation_keep_the_kept_year_exact(
    database: Settings,
) -> None:
    dataset = await build()

    async def erase() -> None:
        await erase_family(actor=SYSTEM, email="alice@exemple.fr", confirmed=True, now=NOW)

    before, after = await _changes_move_kept_figures(dataset, erase)
    # Erasure gives Alice's registrations one key: she is the same family, still returning.
    assert after["participation"]["families"] == before["participation"]["families"]

    async def anonymise() -> None:
        await anonymise_family(email="bob@exemple.fr", now=NOW)

    await _changes_move_kept_figures(dataset, anonymise)


async def test_a_cancellation_entered_afterwards_moves_the_kept_year(database: Settings) -> None:
    dataset = await build()
    bob = await Registration.get(email="bob@exemple.fr")

    async def change() -> None:
        await Registration.filter(id=bob.id).update(status=RegistrationStatus.CANCELLED)

    before, after = await _changes_move_kept_figures(dataset, change)
    assert after["participation"]["registrations"] == before["participation"]["registrations"] - 1


async def test_renaming_a_room_or_a_member_of_staff_forgets_every_kept_figure(
    database: Settings,
) -> None:
    dataset = await build()

    async def rename_room() -> None:
        await Room.filter(id=dataset.room.id).update(name="Salle des familles")

    await _changes_move_kept_figures(dataset, rename_room)

    async def rename_staff() -> None:
        await (
            type(dataset.facilitator)
            .filter(id=dataset.facilitator.id)
            .update(full_name="Fanny Martin")
        )

    before, after = await _changes_move_kept_figures(dataset, rename_staff)
    who = {row["who"] for row in after["activity"]["cancellations"]}
    assert "Fanny Martin" in who and "Fanny Martin" not in {
        row["who"] for row in before["activity"]["cancellations"]
    }


async def test_a_sign_up_for_a_later_year_leaves_the_kept_year_alone(database: Settings) -> None:
    dataset = await build()
    frame = _frame(dataset, 2024)
    await _exact(frame)
    # A workshop of 2025 (its first session is after 2024 ends) gets a new family.
    w1 = (await Registration.get(email="bob@exemple.fr")).workshop_id
    await register(await Workshop.get(id=w1), "eve@exemple.fr")
    row = await _kept_row(frame)
    assert row is not None and row.figures is not None and row.token


async def test_a_change_during_a_computation_is_never_kept(database: Settings) -> None:
    dataset = await build()
    frame = _frame(dataset)
    bob = await Registration.get(email="bob@exemple.fr")

    async def racing(frame: Frame) -> Figures:
        figures = await compute_figures(frame=frame)  # read before the change...
        await Registration.filter(id=bob.id).update(status=RegistrationStatus.CANCELLED)
        return figures  # ...and returned after it

    stale = await kept.figures_of(frame, racing)
    row = await _kept_row(frame)
    assert row is not None and row.figures is None  # not kept
    fresh = await _exact(frame)
    assert fresh["participation"]["registrations"] == stale["participation"]["registrations"] - 1


async def test_the_worker_computes_stale_figures_again(database: Settings) -> None:
    dataset = await build()
    frame = _frame(dataset)
    await _exact(frame)
    w1 = (await Registration.get(email="bob@exemple.fr")).workshop_id
    session = await Session.filter(workshop_id=w1).order_by("starts_at").first()
    assert session is not None
    carla = await register(await Workshop.get(id=w1), "carla.late@exemple.fr")
    await attend(carla, session, "present")
    assert (await _kept_row(frame)).figures is None  # type: ignore[union-attr]

    assert await refresh_kept_figures(NOW) == 1
    row = await _kept_row(frame)
    assert row is not None and row.figures == await compute_figures(frame=frame)
    assert await refresh_kept_figures(NOW) == 0  # nothing stale any more


async def test_every_table_an_evaluation_reads_forgets_kept_figures(
    database: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tables named in the evaluation's SQL are all watched, and their triggers are in the
    database (a SQLite table rebuild would drop them: a migration must install them again)."""
    dataset = await build()
    sent: list[str] = []
    original = db._run

    async def recording(sql: str, params: Sequence[Any]) -> tuple[int, list[Any]]:
        sent.append(sql)
        return await original(sql, params)

    monkeypatch.setattr(db, "_run", recording)
    scopes = [
        convention_scope(dataset.convention.id, dataset.convention.pmi_id),
        Scope(ScopeKind.COMMUNE, commune="Haguenau", organisations=None),
        Scope(ScopeKind.PARTNER, partner_id=dataset.convention.partner_id),
    ]
    for scope in scopes:
        await compute_figures(
            frame=Frame(period=calendar_year(2025), scope=scope, zone=ZONE, now=NOW)
        )
    monkeypatch.setattr(db, "_run", original)
    named = {
        table
        for sql in sent
        for table in re.findall(r"\b(?:FROM|JOIN)\s+([a-z_]+)\b(?!\s*\()", sql)  # not functions
        if not table.startswith("evaluation_workshops_")
    }
    watched = {watch.table for watch in forgetting.WATCHES}
    assert named - watched == set()
    if db.is_postgres():
        rows = await db.fetch(
            "SELECT DISTINCT c.relname AS name FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE 'evaluation_forget_%'",
            [],
        )
    else:
        rows = await db.fetch(
            "SELECT DISTINCT tbl_name AS name FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'evaluation_forget_%'",
            [],
        )
    assert {row["name"] for row in rows} == watched


async def test_the_worker_computes_ahead_the_years_the_pages_open_on(database: Settings) -> None:
    """A convention's last two years and its coordinator's territory are kept before anyone
    asks; an unfinished year never is."""
    dataset = await build()
    now = datetime(2026, 3, 1, tzinfo=UTC)
    while await warm_kept_figures(zone=ZONE, now=now):
        pass
    convention = convention_scope(dataset.convention.id, dataset.convention.pmi_id)
    territory = Scope(ScopeKind.ALL, organisations=frozenset({dataset.convention.pmi_id}))
    for scope in (convention, territory):
        for year in (2024, 2025):
            frame = Frame(period=calendar_year(year), scope=scope, zone=ZONE, now=now)
            row = await _kept_row(frame)
            assert row is not None and row.figures == await compute_figures(frame=frame)
    this_year = Frame(period=calendar_year(2026), scope=territory, zone=ZONE, now=now)
    assert await _kept_row(this_year) is None
    assert await KeptFigures.all().count() == 4

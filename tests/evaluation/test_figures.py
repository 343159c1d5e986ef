"""Every indicator of a hand-built year, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests.evaluation.dataset import (
    EXPECTED_ACTIVITY,
    EXPECTED_PARTICIPATION,
    EXPECTED_PREMISES,
    NOW,
    ZONE,
    Dataset,
    _Builder,
    build,
    paris,
    register,
)
from workshops.evaluation.figures import Evaluation, evaluate
from workshops.evaluation.opendata import open_tables
from workshops.evaluation.reporting import build_report
from workshops.evaluation.scope import Scope, ScopeKind, calendar_year, convention_year
from workshops.evaluation.tables import build_tables
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.planning.models import Session, Theme, Workshop
from workshops.signup.models import Attendance, Registration


async def _evaluate(dataset: Dataset, kind: ScopeKind = ScopeKind.CONVENTION) -> Evaluation:
    scope = Scope(
        kind,
        convention_id=dataset.convention.id,
        partner_id=dataset.convention.partner_id,
        commune="haguenau",
    )
    return await evaluate(scope=scope, period=calendar_year(2025), zone=ZONE, now=NOW)


async def test_activity_of_the_year_counts_held_cancelled_and_hours(database: Settings) -> None:
    evaluation = await _evaluate(await build())
    assert evaluation.current["activity"] == EXPECTED_ACTIVITY


async def test_premises_offered_booked_used_and_the_value_of_the_loan(database: Settings) -> None:
    evaluation = await _evaluate(await build())
    assert evaluation.current["premises"] == EXPECTED_PREMISES


async def test_participation_of_families_and_children(database: Settings) -> None:
    evaluation = await _evaluate(await build())
    assert evaluation.current["participation"] == EXPECTED_PARTICIPATION


async def test_a_fill_rate_never_exceeds_one_hundred_percent(database: Settings) -> None:
    dataset = await build()
    # W1 holds 3 places; its capacity is lowered under them behind the services' back (the
    # services refuse it): each workshop counts at most its capacity as places taken.
    workshop_id = (await Registration.get(email="bob@exemple.fr")).workshop_id
    await Workshop.filter(id=workshop_id).update(capacity=1)
    participation = (await _evaluate(dataset)).current["participation"]
    # W1: 1 place of 1; W2: 2 of 4.
    assert (participation["places"], participation["capacity"]) == (3, 5)
    assert participation["fill_rate"] == 0.6


async def test_the_previous_year_is_computed_beside(database: Settings) -> None:
    evaluation = await _evaluate(await build())
    assert evaluation.previous_period.label == "2024"
    activity = evaluation.previous["activity"]
    assert (activity["workshops_held"], activity["session_hours"]) == (1, 2.0)
    participation = evaluation.previous["participation"]
    assert (participation["families"], participation["families_new"]) == (1, 1)
    assert participation["age_bands"]["3-5"] == 1
    # No window was offered in 2024: no occupancy rate rather than a division by zero.
    assert evaluation.previous["premises"]["occupancy_rate"] is None


async def test_partner_and_commune_scopes_match_the_convention(database: Settings) -> None:
    dataset = await build()
    for kind in (ScopeKind.PARTNER, ScopeKind.COMMUNE):
        evaluation = await _evaluate(dataset, kind)
        assert evaluation.current["activity"]["workshops_planned"] == 3


async def test_everything_includes_the_other_centre(database: Settings) -> None:
    evaluation = await _evaluate(await build(), ScopeKind.ALL)
    assert evaluation.current["activity"]["workshops_planned"] == 4
    assert evaluation.current["participation"]["families"] == 4


def test_a_convention_year_runs_from_its_anniversary() -> None:
    period = convention_year(date(2024, 9, 1), 2025)
    assert (period.first_day, period.last_day) == (date(2025, 9, 1), date(2026, 8, 31))
    assert period.previous().first_day == date(2024, 9, 1)


async def test_the_report_of_a_convention_year_as_csv(database: Settings) -> None:
    dataset = await build()
    content = await build_report(
        convention_id=dataset.convention.id, year=2025, file_format="csv", zone=ZONE, now=NOW
    )
    assert content.startswith("\ufeff".encode())
    assert "Séances tenues;3;1" in content.decode("utf-8-sig")


async def test_the_report_of_an_unknown_convention_is_refused(database: Settings) -> None:
    with pytest.raises(Invalid):
        await build_report(convention_id=999, year=2025, file_format="csv", zone=ZONE, now=NOW)


async def test_open_data_hides_counts_under_five(database: Settings) -> None:
    evaluation = await _evaluate(await build())
    labels = (evaluation.period.label, evaluation.previous_period.label)
    tables = open_tables(build_tables(evaluation.current, evaluation.previous, labels))
    assert "Annulations" not in [table.key for table in tables]
    activity = {row.label: row.values for row in tables[0].rows}
    assert activity["Séances tenues"] == ("< 5", "< 5")
    assert activity["Heures de séance"] == (5.5, 2.0)
    participation = {row.label: row.values for row in tables[3].rows}
    assert participation["Places proposées"] == (10, 6)
    assert participation["Inscriptions annulées"] == ("< 5", 0)


async def test_a_child_s_age_is_counted_at_the_local_month_of_the_first_session(
    database: Settings,
) -> None:
    """A session at 00:30 on 1 March in Paris is on 28 February in UTC: a child born in December
    is three months old in March (band 3-5), not two (0-2)."""
    dataset = await build()
    before = (await _evaluate(dataset)).current["participation"]["age_bands"]
    builder = _Builder(dataset.facilitator, dataset.convention.pmi_id)
    theme = await Theme.get(name="Portage")
    workshop, _sessions = await builder.workshop(
        theme,
        [await builder.booking(dataset.room, paris(date(2025, 3, 1), 0, 30), 1)],
        capacity=4,
        facilitators=[dataset.facilitator],
    )
    await register(workshop, "nuit@exemple.fr", children=[{"born": "2024-12"}])
    after = (await _evaluate(dataset)).current["participation"]["age_bands"]
    assert after["3-5"] == before["3-5"] + 1
    assert after["0-2"] == before["0-2"]


async def test_attendance_counts_only_at_sessions_held(database: Settings) -> None:
    """A mark entered ahead (before the rule refusing it) counts once its session has ended,
    like the session in « Séances tenues »: never « Présences » beside sessions not held."""
    dataset = await build()
    scope = Scope(ScopeKind.CONVENTION, convention_id=dataset.convention.id)
    marked = await Attendance.all().order_by("session_id").first()
    assert marked is not None
    session = await Session.get(id=marked.session_id)
    marks_of_session = await Attendance.filter(session_id=session.id).count()

    async def figures(now: datetime) -> tuple[int, int]:
        evaluation = await evaluate(scope=scope, period=calendar_year(2025), zone=ZONE, now=now)
        participation = evaluation.current["participation"]
        marks = participation["present"] + participation["excused"] + participation["absent"]
        return evaluation.current["activity"]["sessions_held"], marks

    held_before, marks_before = await figures(session.ends_at - timedelta(minutes=1))
    held_after, marks_after = await figures(session.ends_at)
    assert held_after == held_before + 1
    assert marks_after == marks_before + marks_of_session

"""How long one year's evaluation takes on the benchmark data set, beside raw SQL aggregation.

Run after `benchmarks/evaluation_dataset.py`, with the same DATABASE_URL (or DATA_DIR):
`.venv/bin/python benchmarks/evaluation_timing.py`. It prints, as medians of 5 runs:
- one convention, one year: every indicator of the year (`compute_figures`), then the page's
  work (the year and the previous one) computed from the data, and as `evaluate` serves it once
  the two finished years are kept (`evaluation.kept`);
- everything (the whole Département), one calendar year: the same;
- raw SQL: the same aggregation statements the evaluation sends, replayed straight on the
  connection (no Python around them): what the evaluation is compared with (goal: within 3x);
- floor: one hand-written query of registrations and attendance for the same year and scope,
  for scale only (it computes a handful of the indicators).
Goal: under 1 s for a year. Not a test.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from workshops.evaluation.figures import compute_figures, evaluate
from workshops.evaluation.scope import Frame, Scope, ScopeKind, calendar_year
from workshops.evaluation.sql import fetch
from workshops.kernel import db
from workshops.kernel.db import transaction
from workshops.kernel.settings import load_settings
from workshops.partners.models import Convention

ZONE = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 1, 15, tzinfo=UTC)
RUNS = 5

FLOOR = (
    "SELECT COUNT(DISTINCT r.id) AS registrations, SUM(CASE WHEN a.status = 'present' THEN 1 "
    "ELSE 0 END) AS present, SUM(CASE WHEN a.status = 'excused' THEN 1 ELSE 0 END) AS excused, "
    "SUM(CASE WHEN a.status = 'absent' THEN 1 ELSE 0 END) AS absent "
    "FROM workshop_session s JOIN room_booking b ON b.id = s.booking_id "
    "JOIN registration r ON r.workshop_id = s.workshop_id AND r.status = 'confirmed' "
    "LEFT JOIN attendance a ON a.registration_id = r.id AND a.session_id = s.id "
    "WHERE s.starts_at >= ? AND s.starts_at < ? AND {rooms}"
)


async def _median(work: Callable[[], Awaitable[Any]]) -> float:
    await work()  # warm the caches once
    durations = []
    for _run in range(RUNS):
        started = time.perf_counter()
        await work()
        durations.append(time.perf_counter() - started)
    return round(statistics.median(durations), 3)


async def _measure(scope: Scope) -> dict[str, float]:
    period = calendar_year(2024)
    frame = Frame(period=period, scope=scope, zone=ZONE, now=NOW)
    rooms, params = scope.rooms("b.room_id")
    start, end = period.bounds(ZONE)
    year = await _median(lambda: compute_figures(frame=frame))
    computed = await _median(lambda: _both_computed(frame))
    page = await _median(lambda: evaluate(scope=scope, period=period, zone=ZONE, now=NOW))
    statements = await _statements(frame)
    raw = await _median(lambda: _replay(statements))
    floor = await _median(lambda: fetch(FLOOR.format(rooms=rooms), [start, end, *params]))
    return {
        "year_s": year,
        "year_and_previous_computed_s": computed,
        "year_and_previous_kept_s": page,
        "raw_sql_s": raw,
        "floor_s": floor,
        "statements": len(statements),
        "ratio_year_to_raw": round(year / raw, 2) if raw else 0.0,
    }


async def _both_computed(frame: Frame) -> None:
    """The page's two periods computed from the data, as before figures were kept (on
    PostgreSQL at once, on two connections, as `evaluate` does)."""
    if db.is_postgres():
        await asyncio.gather(compute_figures(frame=frame), compute_figures(frame=frame.before()))
    else:
        await compute_figures(frame=frame)
        await compute_figures(frame=frame.before())


async def _statements(frame: Frame) -> list[tuple[str, list[Any]]]:
    """The SQL the evaluation sends, as `workshops.kernel.db` gets it (`?` placeholders), the
    temporary table of the period's workshops included."""
    recorded: list[tuple[str, list[Any]]] = []
    original = db._run

    async def recording(sql: str, params: Sequence[Any]) -> tuple[int, list[Any]]:
        recorded.append((sql, list(params)))
        return await original(sql, params)

    db._run = recording
    try:
        await compute_figures(frame=frame)
    finally:
        db._run = original
    return recorded


async def _replay(statements: list[tuple[str, list[Any]]]) -> None:
    """The same statements in one transaction (the temporary table lives in it), each sent as
    it is to the connection (`db._run` only numbers the placeholders for PostgreSQL)."""
    async with transaction():
        for sql, values in statements:
            await db._run(sql, values)


async def main() -> None:
    settings = load_settings()
    await db.connect(settings)
    try:
        convention = await Convention.all().order_by("id").first()
        assert convention is not None, "run benchmarks/evaluation_dataset.py first"
        results = {
            "database": "postgresql" if settings.is_postgres else "sqlite",
            "one_convention": await _measure(Scope(ScopeKind.CONVENTION, convention.id)),
            "everything": await _measure(Scope(ScopeKind.ALL)),
        }
        print(json.dumps(results, indent=2))
    finally:
        await db.disconnect()


if __name__ == "__main__":
    asyncio.run(main())

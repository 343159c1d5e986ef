"""Compute an evaluation: every indicator of a period and a scope, beside the previous period.

Each indicator is one aggregation query (see `activity`, `premises`, `participation`); the result
is plain JSON-ready data, the same that is frozen at sign-off and written to the exports.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from workshops.evaluation import kept, warming
from workshops.evaluation.activity import compute_activity
from workshops.evaluation.communes import create_commune_keys
from workshops.evaluation.participation import compute_participation
from workshops.evaluation.premises import compute_premises
from workshops.evaluation.scope import Frame, Period, Scope, calendar_year, convention_year
from workshops.kernel.db import execute, is_postgres, transaction

Figures = dict[str, Any]

# Names of temporary tables: one per computation running at the same time on a connection.
_tables = itertools.count(1)


@dataclass(frozen=True)
class Evaluation:
    period: Period
    previous_period: Period
    scope: Scope
    current: Figures
    previous: Figures


async def compute_figures(*, frame: Frame) -> Figures:
    """Every indicator of the frame, computed now from the data (`figures_of` keeps them).

    The period's workshops are found once, into a temporary table that each indicator's query
    reads (finding them costs more than most indicators, and PostgreSQL, given their number by
    `ANALYZE`, then plans the joins on them well)."""
    table = f"evaluation_workshops_{next(_tables)}"
    found, params = frame.find_workshops()
    async with transaction():
        postgres = is_postgres()
        on_commit = " ON COMMIT DROP" if postgres else ""
        await execute(f"CREATE TEMPORARY TABLE {table}{on_commit} AS {found}", params)
        await execute(f"ANALYZE {table}", [])
        framed = replace(frame, table=table)
        await create_commune_keys(name=framed.communes, workshops=table, on_commit=on_commit)
        try:
            return {
                "activity": await compute_activity(frame=framed),
                "premises": await compute_premises(frame=framed),
                "participation": await compute_participation(frame=framed),
            }
        finally:
            if not postgres:  # SQLite keeps a temporary table until the connection closes
                await execute(f"DROP TABLE {table}", [])
                await execute(f"DROP TABLE {framed.communes}", [])


async def _compute(frame: Frame) -> Figures:
    return await compute_figures(frame=frame)


async def figures_of(frame: Frame) -> Figures:
    """The frame's figures: kept when its period is settled (`kept`), computed otherwise."""
    return await kept.figures_of(frame, _compute)


async def refresh_kept_figures(now: datetime) -> int:
    """Compute again the kept figures a change has made stale (a job of the worker)."""
    return await kept.refresh_stale(_compute, now=now)


async def warm_kept_figures(*, zone: ZoneInfo, now: datetime) -> int:
    """Compute ahead the finished years the pages open on (a job of the worker)."""
    return await warming.warm(_compute, zone=zone, now=now)


async def evaluate(*, scope: Scope, period: Period, zone: ZoneInfo, now: datetime) -> Evaluation:
    """The figures of `period` and of the period before it, for `scope`. On PostgreSQL the two
    periods are computed at once, on two connections of the pool."""
    frame = Frame(period=period, scope=scope, zone=zone, now=now)
    if is_postgres():
        current, previous = await asyncio.gather(figures_of(frame), figures_of(frame.before()))
    else:  # one connection: one after the other
        current, previous = await figures_of(frame), await figures_of(frame.before())
    return Evaluation(
        period=period,
        previous_period=period.previous(),
        scope=scope,
        current=current,
        previous=previous,
    )


PERIOD_MODES = ("convention", "civile")


@dataclass(frozen=True)
class PeriodChoice:
    period: Period
    mode: str
    year: int
    error: str = ""


def choose_period(*, starts_on: date, mode: str, year: str, today: date) -> PeriodChoice:
    """The period asked for in a query string; a bad value falls back to the default period with
    a message, never an error page. A convention year is named by the year it starts in. The
    default is the last finished period (the one a yearly report is about), or the first one
    while none has finished yet."""
    mode = mode if mode in PERIOD_MODES else "convention"
    default = _default_year(starts_on, mode, today)
    error = ""
    chosen = default
    if year:
        if year.isdigit() and len(year) == 4 and 2000 <= int(year) <= today.year + 1:
            chosen = int(year)
        else:
            error = "Choisissez une année entre 2000 et l'an prochain."
    period = convention_year(starts_on, chosen) if mode == "convention" else calendar_year(chosen)
    return PeriodChoice(period, mode, chosen, error)


def _default_year(starts_on: date, mode: str, today: date) -> int:
    """The last period over by `today`, not before the one `starts_on` falls in."""
    if mode == "civile":
        return max(today.year - 1, starts_on.year)
    year = today.year
    while year > starts_on.year and convention_year(starts_on, year).last_day >= today:
        year -= 1
    return year


def compared_with_previous(period: Period, starts_on: date) -> bool:
    """Whether the period before `period` lies within the convention started on `starts_on`:
    a period before the convention existed is not compared with (its zeros would mislead)."""
    return period.previous().first_day >= starts_on

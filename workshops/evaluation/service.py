"""Compute an evaluation: every indicator of a period and a scope, beside the previous period.

Each indicator is one aggregation query (see `activity`, `premises`, `participation`); the result
is plain JSON-ready data, the same that is frozen at sign-off and written to the exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from workshops.evaluation.activity import compute_activity
from workshops.evaluation.participation import compute_participation
from workshops.evaluation.premises import compute_premises
from workshops.evaluation.scope import Frame, Period, Scope

Figures = dict[str, Any]


@dataclass(frozen=True)
class Evaluation:
    period: Period
    previous_period: Period
    scope: Scope
    current: Figures
    previous: Figures


async def compute_figures(*, frame: Frame) -> Figures:
    return {
        "activity": await compute_activity(frame=frame),
        "premises": await compute_premises(frame=frame),
        "participation": await compute_participation(frame=frame),
    }


async def evaluate(*, scope: Scope, period: Period, zone: ZoneInfo, now: datetime) -> Evaluation:
    """The figures of `period` and of the period before it, for `scope`."""
    frame = Frame(period=period, scope=scope, zone=zone, now=now)
    return Evaluation(
        period=period,
        previous_period=period.previous(),
        scope=scope,
        current=await compute_figures(frame=frame),
        previous=await compute_figures(frame=frame.before()),
    )

"""The annual evaluation of a partnership [bilan annuel]: indicators computed in SQL for a period
and a scope, beside the previous period, and the record each party signs."""

from __future__ import annotations

from workshops.evaluation.figures import refresh_kept_figures, warm_kept_figures
from workshops.evaluation.reporting import build_report
from workshops.evaluation.sql import fetch

__all__ = [
    "build_report",
    "fetch",
    "refresh_kept_figures",
    "warm_kept_figures",
]

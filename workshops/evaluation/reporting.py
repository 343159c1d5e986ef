"""The evaluation of a convention year as a file, for the `workshops report` command."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from workshops.evaluation import exports
from workshops.evaluation.figures import compared_with_previous, evaluate
from workshops.evaluation.scope import calendar_year, convention_scope, convention_year
from workshops.evaluation.tables import build_tables, without_comparison
from workshops.kernel.validation import Invalid
from workshops.partners import get_convention

FORMATS = ("xlsx", "csv")


async def build_report(
    *, convention_id: int, year: int, file_format: str, zone: ZoneInfo, now: datetime,
    calendar: bool = False,
) -> bytes:  # fmt: skip
    """The XLSX or CSV of one convention's year (its convention year, or the calendar year)."""
    convention = await get_convention(convention_id)
    if convention is None:
        raise Invalid({"convention": f"Aucune convention n° {convention_id}."})
    if file_format not in FORMATS:
        raise Invalid({"format": "Choisissez xlsx ou csv."})
    period = calendar_year(year) if calendar else convention_year(convention.starts_on, year)
    evaluation = await evaluate(
        scope=convention_scope(convention.id, convention.pmi_id),
        period=period,
        zone=zone,
        now=now,
    )
    tables = build_tables(
        evaluation.current,
        evaluation.previous,
        (evaluation.period.label, evaluation.previous_period.label),
    )
    if not compared_with_previous(period, convention.starts_on):
        tables = without_comparison(tables)
    if file_format == "csv":
        return exports.to_csv(tables)
    return exports.to_xlsx(tables, title=f"Bilan {convention.partner.name} {period.label}")

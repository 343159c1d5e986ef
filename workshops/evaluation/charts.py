"""Bar charts drawn on the server as SVG: no JavaScript, readable when printed.

A chart is computed from a table (`tables.Table`) so it can never say something the table beside
it does not: one group of horizontal bars per row, the period and the previous one (the period
alone when there is nothing to compare it with: before a convention's start). The
template `evaluation/_chart.html` draws it with a <title> and a <desc> for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from workshops.evaluation.tables import Table

WIDTH = 640
LABEL_WIDTH = 200
BAR_HEIGHT = 14
GROUP_GAP = 12
VALUE_ROOM = 48


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    value: int
    current: bool


@dataclass(frozen=True)
class Group:
    label: str
    label_y: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    width: int
    height: int
    groups: tuple[Group, ...]
    legend: tuple[str, ...]


def bar_chart(table: Table) -> Chart:
    series = len(table.header) - 1  # the period, and the previous one when compared
    values = [tuple(int(value or 0) for value in row.values[:series]) for row in table.rows]
    top = max([1, *(max(figures) for figures in values)])
    span = WIDTH - LABEL_WIDTH - VALUE_ROOM
    step = series * BAR_HEIGHT + GROUP_GAP
    groups = []
    for index, (row, figures) in enumerate(zip(table.rows, values, strict=True)):
        y = 28 + index * step
        bars = tuple(
            Bar(LABEL_WIDTH, y + offset * BAR_HEIGHT, round(value * span / top), value, not offset)
            for offset, value in enumerate(figures)
        )
        groups.append(Group(row.label, y + BAR_HEIGHT + 4, bars))
    height = 28 + len(groups) * step + 8
    return Chart(
        title=table.title,
        description=_describe(table, values),
        width=WIDTH,
        height=height,
        groups=tuple(groups),
        legend=table.header[1 : series + 1],
    )


def _describe(table: Table, values: list[tuple[int, ...]]) -> str:
    """The chart in words, for those who do not see it: every bar's figure."""
    parts = [
        f"{row.label} : "
        + ", ".join(
            f"{figure} ({heading})"
            for figure, heading in zip(figures, table.header[1:], strict=False)
        )
        for row, figures in zip(table.rows, values, strict=True)
    ]
    return f"{table.description} " + " ; ".join(parts) + "."

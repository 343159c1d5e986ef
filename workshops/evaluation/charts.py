"""Bar charts drawn on the server as SVG: no JavaScript, readable when printed.

A chart is computed from a table (`tables.Table`) so it can never say something the table beside
it does not: one group of two horizontal bars per row, the period and the previous one. The
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
    bars: tuple[Bar, Bar]


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    width: int
    height: int
    groups: tuple[Group, ...]
    legend: tuple[str, str]


def bar_chart(table: Table) -> Chart:
    values = [(int(row.values[0] or 0), int(row.values[1] or 0)) for row in table.rows]
    top = max([1, *(max(pair) for pair in values)])
    span = WIDTH - LABEL_WIDTH - VALUE_ROOM
    groups = []
    for index, (row, pair) in enumerate(zip(table.rows, values, strict=True)):
        y = 28 + index * (2 * BAR_HEIGHT + GROUP_GAP)
        bars = tuple(
            Bar(LABEL_WIDTH, y + offset * BAR_HEIGHT, round(value * span / top), value, not offset)
            for offset, value in enumerate(pair)
        )
        groups.append(Group(row.label, y + BAR_HEIGHT + 4, (bars[0], bars[1])))
    height = 28 + len(groups) * (2 * BAR_HEIGHT + GROUP_GAP) + 8
    return Chart(
        title=table.title,
        description=_describe(table, values),
        width=WIDTH,
        height=height,
        groups=tuple(groups),
        legend=(table.header[1], table.header[2]),
    )


def _describe(table: Table, values: list[tuple[int, int]]) -> str:
    """The chart in words, for those who do not see it: every bar's figure."""
    parts = [
        f"{row.label} : {now} ({table.header[1]}), {before} ({table.header[2]})"
        for row, (now, before) in zip(table.rows, values, strict=True)
    ]
    return f"{table.description} " + " ; ".join(parts) + "."

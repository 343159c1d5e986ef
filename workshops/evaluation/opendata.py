"""Open-data version of the evaluation: the same tables, with small counts hidden.

A count from 1 to 4 could point at a family in a small commune, so it is published as "< 5"
(zero points at nobody and stays). Hours, euros and rates stay; the cancellations table goes, as
it names staff members and quotes free text.
"""

from __future__ import annotations

from dataclasses import replace

from workshops.evaluation.tables import Kind, Row, Table, Value

THRESHOLD = 5
HIDDEN = "< 5"
_WITHHELD = {"Annulations"}


def _mask(value: Value, kind: Kind) -> Value:
    if kind is Kind.COUNT and isinstance(value, int) and 0 < value < THRESHOLD:
        return HIDDEN
    return value


def open_tables(tables: list[Table]) -> list[Table]:
    return [
        replace(
            table,
            rows=tuple(
                Row(row.label, tuple(_mask(value, row.kind) for value in row.values), row.kind)
                for row in table.rows
            ),
        )
        for table in tables
        if table.key not in _WITHHELD
    ]

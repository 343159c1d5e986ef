"""The evaluation as files: XLSX (a sheet a table) and CSV for French spreadsheets.

XLSX: a bold, filled header row, frozen below it, numbers stored as numbers with a French-looking
number format (rates as percentages), each indicator's definition in a last column, the table's
note (open data: what is hidden) under it. CSV: one block per table, a blank line between. Both are
written by `workshops.kernel.spreadsheets`, so no typed text (a commune, a cancellation reason) ever
runs as a formula.
"""

from __future__ import annotations

from collections.abc import Iterator

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from workshops.evaluation.tables import Kind, Row, Table, Value
from workshops.kernel.i18n import _
from workshops.kernel.spreadsheets import Cell, append_row, csv_bytes, new_workbook, workbook_bytes

_FORMATS = {
    Kind.COUNT: "0",
    Kind.HOURS: "0.00",
    Kind.EUROS: '#,##0.00 "€"',
    Kind.RATE: "0.0%",
}
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")


def to_xlsx(tables: list[Table], *, title: str) -> bytes:
    workbook = new_workbook(title=title)
    for table in tables:
        _fill(workbook.create_sheet(table.key[:31]), table)
    return workbook_bytes(workbook)


def _header(table: Table) -> list[Cell]:
    """The header, with the column of codes after the labels when the table has one."""
    if not table.code_header:
        return list(table.header)
    return [table.header[0], table.code_header, *table.header[1:]]


def _labels(table: Table, row: Row) -> list[Cell]:
    return [row.label, row.code] if table.code_header else [row.label]


def _fill(sheet: Worksheet, table: Table) -> None:
    defined = any(row.help for row in table.rows)
    header = _header(table)
    append_row(sheet, [*header, _("Définition")] if defined else header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        append_row(sheet, [*_labels(table, row), *row.values, *([row.help] if defined else [])])
        if row.kind in _FORMATS:
            for cell in sheet[sheet.max_row][1 : len(header)]:
                if isinstance(cell.value, int | float):
                    cell.number_format = _FORMATS[row.kind]
    if table.note:
        append_row(sheet, [])
        append_row(sheet, [table.note])
    sheet.freeze_panes = "B2"
    for index, _name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 42 if index == 1 else 18
    if defined:
        sheet.column_dimensions[get_column_letter(len(header) + 1)].width = 80


def _csv_value(value: Value, kind: Kind) -> Cell:
    if kind is Kind.RATE and isinstance(value, int | float):
        return round(value * 100, 1)
    return value


def _csv_row(table: Table, row: Row) -> list[Cell]:
    label = f"{row.label} (%)" if row.kind is Kind.RATE else row.label
    codes = [row.code] if table.code_header else []
    return [label, *codes, *(_csv_value(value, row.kind) for value in row.values)]


def _csv_rows(tables: list[Table]) -> Iterator[list[Cell]]:
    for index, table in enumerate(tables):
        if index:
            yield []
        yield [table.title]
        yield _header(table)
        yield from (_csv_row(table, row) for row in table.rows)
        if table.note:
            yield [table.note]


def to_csv(tables: list[Table]) -> bytes:
    return csv_bytes(_csv_rows(tables))

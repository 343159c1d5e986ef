"""The evaluation as files: XLSX (a sheet a table) and CSV for French spreadsheets.

XLSX: a bold, filled header row, frozen below it, numbers stored as numbers with a French-looking
number format (rates as percentages). CSV: `;`-separated, UTF-8 with a BOM and decimal commas, so
that French Excel opens it right with a double click; one block per table, a blank line between.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from workshops.evaluation.tables import Kind, Row, Table, Value

_FORMATS = {
    Kind.COUNT: "0",
    Kind.HOURS: "0.00",
    Kind.EUROS: '#,##0.00 "€"',
    Kind.RATE: "0.0%",
}
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")


def to_xlsx(tables: list[Table], *, title: str) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        _sheet(workbook, table)
    workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(workbook: Workbook, table: Table) -> None:
    sheet = workbook.create_sheet(table.key[:31])
    sheet.append(list(table.header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        sheet.append([row.label, *row.values])
        if row.kind in _FORMATS:
            for cell in sheet[sheet.max_row][1:]:
                if isinstance(cell.value, int | float):
                    cell.number_format = _FORMATS[row.kind]
    sheet.freeze_panes = "B2"
    for index, _header in enumerate(table.header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 42 if index == 1 else 18


def _csv_value(value: Value, kind: Kind) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if kind is Kind.RATE:
        value = round(value * 100, 1)
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",") or "0"
    return str(value)


def _csv_row(row: Row) -> list[str]:
    label = f"{row.label} (%)" if row.kind is Kind.RATE else row.label
    return [label, *(_csv_value(value, row.kind) for value in row.values)]


def to_csv(tables: list[Table]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.header)
        writer.writerows(_csv_row(row) for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")

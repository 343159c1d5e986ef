"""The one writer of every spreadsheet and CSV file the platform hands out (DESIGN rule 8).

A spreadsheet reads a cell whose text begins with `=`, `+`, `-`, `@`, a tab or a carriage return
as a formula (OWASP "CSV injection"): a commune typed `=HYPERLINK(...)` by a family would run on
the machine of the coordinator who opens the export. So every text cell goes through `safe_text`,
which puts an apostrophe before such text (the mark spreadsheets read as "this is text"), while
numbers, dates and booleans stay typed: a negative count is still a number, not neutralised text.
Nothing else in the package writes CSV or XLSX: exports build rows of values and hand them here
(a test reads the sources to keep it so).

CSV files are written for French Excel (DESIGN section 3): `;`-separated, UTF-8 with a BOM, CRLF
line ends, decimal commas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

Cell = str | int | float | Decimal | date | datetime | bool | None

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """`text` as a spreadsheet shows it and never runs it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _french_number(value: float | Decimal) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",") or "0"


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float | Decimal):
        return _french_number(value)
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_bytes(rows: Iterable[Sequence[Cell]]) -> bytes:
    """The rows as a CSV file that French Excel opens right with a double click."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows([_csv_text(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_value(value: Cell) -> Cell:
    if isinstance(value, str):
        # openpyxl refuses control characters a form may have let through; drop them.
        return safe_text(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def new_workbook(*, title: str) -> Workbook:
    """An empty workbook (no default sheet) with its document title."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title
    return workbook


def append_row(sheet: Worksheet, values: Sequence[Cell]) -> None:
    """Add a row at the bottom of `sheet`, its text cells neutralised."""
    sheet.append([_xlsx_value(value) for value in values])


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

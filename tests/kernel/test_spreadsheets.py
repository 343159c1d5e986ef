"""The one spreadsheet writer: typed text never runs as a formula, numbers stay numbers, and no
other module of the package writes CSV or XLSX."""

from __future__ import annotations

import ast
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from workshops.kernel.spreadsheets import (
    FORMULA_STARTS,
    Cell,
    append_row,
    csv_bytes,
    new_workbook,
    safe_text,
    workbook_bytes,
)

PACKAGE = Path(__file__).resolve().parents[2] / "workshops"
WRITER = PACKAGE / "kernel" / "spreadsheets.py"
POISONS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("poison", POISONS)
def test_text_that_a_spreadsheet_would_run_is_prefixed(poison: str) -> None:
    assert safe_text(poison) == "'" + poison


def test_ordinary_text_is_left_alone() -> None:
    for text in ("Haguenau", "Saint-Louis", "", "'=déjà neutralisé", "< 5", "06 12 34 56 78"):
        assert safe_text(text) == text


def test_the_csv_neutralises_text_and_keeps_numbers_french() -> None:
    rows: list[list[Cell]] = [
        ["=1+1", -3, -1.5, Decimal("2.50"), 0.0, None, True, date(2025, 3, 4)],
        [datetime(2025, 3, 4, 9, 30)],
    ]
    text = csv_bytes(rows).decode("utf-8")
    assert text == "\ufeff'=1+1;-3;-1,5;2,5;0;;oui;2025-03-04\r\n2025-03-04 09:30\r\n"


def test_the_workbook_holds_no_formula_and_keeps_numbers_typed() -> None:
    workbook = new_workbook(title="Bilan =1+1")
    sheet = workbook.create_sheet("Essai")
    append_row(sheet, [*POISONS, "ligne\x00cassée", -3, -1.5, Decimal("2.5"), date(2025, 3, 4)])

    read = load_workbook(io.BytesIO(workbook_bytes(workbook)))["Essai"]
    cells = [cell for row in read.iter_rows() for cell in row]
    texts = [cell.value for cell in cells[: len(POISONS)]]
    # XML reads a carriage return back as a line feed; it still comes after the apostrophe.
    assert texts == ["'" + poison.replace("\r", "\n") for poison in POISONS]
    assert cells[len(POISONS)].value == "lignecassée"
    assert [cell.value for cell in cells[len(POISONS) + 1 : -1]] == [-3, -1.5, 2.5]
    assert all(cell.data_type != "f" for cell in cells)
    assert isinstance(cells[-1].value, datetime)


def _writes_spreadsheets(path: Path) -> list[str]:
    """Where a module imports the csv module or openpyxl's Workbook."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(alias.name == "csv" for alias in node.names):
            found.append(f"{path}:{node.lineno} import csv")
        if isinstance(node, ast.ImportFrom) and node.module in ("csv", "openpyxl"):
            names = {alias.name for alias in node.names}
            if node.module == "csv" or "Workbook" in names or "load_workbook" in names:
                found.append(f"{path}:{node.lineno} from {node.module} import {names}")
    return found


def test_no_other_module_writes_csv_or_xlsx() -> None:
    found = [
        place
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != WRITER and "migrations" not in path.parts
        for place in _writes_spreadsheets(path)
    ]
    assert found == []
    assert _writes_spreadsheets(WRITER), "the check must see the writer's own imports"
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}

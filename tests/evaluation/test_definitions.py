"""Every indicator is defined once, in words (`workshops/evaluation/definitions.py`): the page, the
XLSX and `docs/evaluation.md` all say the same; and communes typed differently are one commune."""

from __future__ import annotations

import re

from tests.evaluation.dataset import EXPECTED_ACTIVITY, EXPECTED_PARTICIPATION, EXPECTED_PREMISES
from workshops.evaluation.communes import canonical_spelling, commune_key
from workshops.evaluation.definitions import DEFINITIONS
from workshops.evaluation.tables import build_tables
from workshops.kernel.settings import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "evaluation.md"
_LINE = re.compile(r"^- `(?P<key>[\w.ÂÉâé]+)` — \*\*(?P<label>.+?)\*\* : (?P<words>.+)$")
FIGURES = {
    "activity": EXPECTED_ACTIVITY,
    "premises": EXPECTED_PREMISES,
    "participation": EXPECTED_PARTICIPATION,
}


def _documented() -> dict[str, tuple[str, str]]:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    return {
        found["key"]: (found["label"], found["words"])
        for found in (_LINE.match(line) for line in lines)
        if found
    }


def test_the_document_says_what_the_code_says() -> None:
    documented = _documented()
    assert {key: words for key, (_label, words) in documented.items()} == DEFINITIONS


def test_every_row_of_the_evaluation_carries_its_definition_and_the_document_its_label() -> None:
    documented = _documented()
    tables = build_tables(FIGURES, FIGURES, ("2025", "2024"))
    indicator_rows = [row for table in tables for row in table.rows if "." in row.key]
    assert len(indicator_rows) == len([key for key in DEFINITIONS if not key.startswith("table.")])
    for row in indicator_rows:
        assert row.help == DEFINITIONS[row.key]
        assert documented[row.key][0] == row.label
    for table in tables:
        assert table.description == DEFINITIONS.get(f"table.{table.key}", table.description)


def test_communes_typed_differently_are_one_commune() -> None:
    assert commune_key("Haguenau") == commune_key("haguenau") == commune_key("HAGUENAU ")
    assert commune_key("Schweighouse-sur-Moder") == commune_key(" schweighouse  sur moder")
    assert commune_key("Sélestat") == commune_key("SÉLESTAT") == commune_key("Selestat")
    assert commune_key("L’Hôpital") == commune_key("l'hopital")
    # What normalising cannot know stays apart: a misspelling, a postal code.
    assert commune_key("Hagenau") != commune_key("Haguenau")
    assert commune_key("67500") != commune_key("Haguenau")


def test_a_commune_is_shown_under_its_most_used_spelling() -> None:
    assert canonical_spelling([("haguenau", 1), ("HAGUENAU", 3), ("Haguenau", 2)]) == "HAGUENAU"
    assert canonical_spelling([("haguenau", 2), ("HAGUENAU ", 2), ("Haguenau", 2)]) == "Haguenau"

"""Communes of residence as the evaluation groups them, until they are chosen from the official
list with their INSEE code: a free-text commune is compared by a normalised form, so that
"Haguenau", "haguenau" and "HAGUENAU " make one row, shown under its most frequent spelling.

The form: French accents removed, lower case, hyphens and apostrophes as spaces, runs of spaces
made one, no space at either end ("Schweighouse-sur-Moder" and "schweighouse sur moder" agree;
"Sélestat" and "Selestat" too). It is computed in Python once per distinct spelling of the period
(a few thousand at most, against hundreds of thousands of registrations) into a temporary table
the queries join: SQLite's `lower` leaves accented capitals alone and its parser refuses the
fifty nested `REPLACE` a SQL version would take.
"""

from __future__ import annotations

from collections.abc import Iterable

from workshops.kernel.db import execute, fetch, is_postgres

_ACCENTS = {
    **dict.fromkeys("àâäáã", "a"), **dict.fromkeys("ÀÂÄÁÃ", "a"),
    "ç": "c", "Ç": "c",
    **dict.fromkeys("éèêë", "e"), **dict.fromkeys("ÉÈÊË", "e"),
    **dict.fromkeys("îïí", "i"), **dict.fromkeys("ÎÏÍ", "i"),
    **dict.fromkeys("ôöó", "o"), **dict.fromkeys("ÔÖÓ", "o"),
    **dict.fromkeys("ùûüú", "u"), **dict.fromkeys("ÙÛÜÚ", "u"),
    "ÿ": "y", "Ÿ": "y", "ñ": "n", "Ñ": "n",
    "œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae",
}  # fmt: skip
_SPACES = ("-", "'", "’", "\t")
_BATCH = 400  # rows a statement: two parameters each, within SQLite's limit


def commune_key(commune: str) -> str:
    """The normalised form of a commune typed by a family or a centre."""
    text = "".join(_ACCENTS.get(letter, letter) for letter in commune).lower()
    for mark in _SPACES:
        text = text.replace(mark, " ")
    return " ".join(part for part in text.split(" ") if part)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# `commune_key` as replacements: the letters to fold (both cases: SQLite's `lower` and
# PostgreSQL's under the C locale leave accented capitals alone), the marks read as spaces.
_FOLDS = [*_ACCENTS.items(), *((mark, " ") for mark in _SPACES)]
_REPLACES_A_LEVEL = 13  # nested `replace` calls a subquery: far within SQLite's parser stack


def _replaced(expression: str, folds: list[tuple[str, str]]) -> str:
    for letter, folded in folds:
        expression = f"replace({expression}, {_literal(letter)}, {_literal(folded)})"
    return expression


def sites_with_keys() -> str:
    """A subquery of the sites (id, commune_code, commune_key): the commune's normalised form
    (`commune_key`) computed by the database, for a scope's condition on rooms, which runs before
    the temporary table of `create_commune_keys` exists. PostgreSQL folds in one `translate`;
    SQLite, whose parser refuses fifty nested `replace`, a few of them at each level of
    subqueries."""
    if is_postgres():
        singles = [(letter, folded) for letter, folded in _FOLDS if len(folded) == 1]
        doubles = [(letter, folded) for letter, folded in _FOLDS if len(folded) > 1]
        translated = (
            f"translate(lower(commune), {_literal(''.join(a for a, _b in singles))}, "
            f"{_literal(''.join(b for _a, b in singles))})"
        )
        key = f"btrim(regexp_replace({_replaced(translated, doubles)}, ' +', ' ', 'g'))"
        return f"SELECT id, commune_code, {key} AS commune_key FROM site"
    query = "SELECT id, commune_code, lower(commune) AS commune_key FROM site"
    for level, start in enumerate(range(0, len(_FOLDS), _REPLACES_A_LEVEL)):
        folds = _FOLDS[start : start + _REPLACES_A_LEVEL]
        query = (
            f"SELECT id, commune_code, {_replaced('commune_key', folds)} AS commune_key "
            f"FROM ({query}) AS folded_{level}"
        )
    spaces = _replaced("commune_key", [("  ", " ")] * 4)  # runs of up to 16 spaces
    return f"SELECT id, commune_code, trim({spaces}) AS commune_key FROM ({query}) AS folded"


async def create_commune_keys(*, name: str, workshops: str, on_commit: str) -> None:
    """A temporary table `name` (spelling, commune_key) of every commune typed in a registration
    of the workshops in table `workshops`, and of every site's commune."""
    await execute(
        f"CREATE TEMPORARY TABLE {name} (spelling VARCHAR(255) PRIMARY KEY, "
        f"commune_key VARCHAR(255) NOT NULL){on_commit}",
        [],
    )
    rows = await fetch(
        f"SELECT DISTINCT r.commune AS spelling FROM {workshops} p "
        "JOIN registration r ON r.workshop_id = p.workshop_id "
        "UNION SELECT DISTINCT t.commune AS spelling FROM site t",
        [],
    )
    spellings = [row["spelling"] for row in rows if row["spelling"] is not None]
    for start in range(0, len(spellings), _BATCH):
        batch = spellings[start : start + _BATCH]
        await execute(
            f"INSERT INTO {name} (spelling, commune_key) VALUES "
            + ", ".join("(?, ?)" for _spelling in batch),
            [value for spelling in batch for value in (spelling, commune_key(spelling))],
        )


def canonical_spelling(spellings: Iterable[tuple[str, int]]) -> str:
    """The spelling shown for a group: the most used; on a tie, one in mixed case ("Haguenau"
    rather than "HAGUENAU" or "haguenau"), then the first in alphabetical order."""
    ranked = sorted(
        ((-count, spelling.islower() or spelling.isupper(), spelling.strip())
         for spelling, count in spellings),
    )  # fmt: skip
    return ranked[0][2] if ranked else ""

"""From raw rows to model objects: the one place that relies on how Tortoise builds them.

A few hot paths (a workshop's page and its sign-ups, the schedule of sessions) read several
models in one joined statement instead of one query per relation. `columns_of` names each
column `alias__column`, `split_row` cuts a row back into one part per alias, and `from_columns`
turns a part into a model object as Tortoise does for the rows it reads itself (text dates of
SQLite, JSON, decimals, enumerations). `from_columns` calls Tortoise's `Model._init_from_db`,
which is not public: `tests/kernel/test_rows.py` reads a row of every model both ways and fails
if the two ever differ after an upgrade of Tortoise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from tortoise.models import Model

M = TypeVar("M", bound=Model)


def columns_of(model: type[Model], alias: str) -> str:
    """The select list of every column of `model` read through the table alias `alias`, each
    named `alias__column`: several models in one joined statement, split by `split_row`."""
    return ", ".join(f'{alias}."{c}" AS "{alias}__{c}"' for c in sorted(model._meta.db_fields))


def split_row(row: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The columns of one joined row read with `columns_of`, by table alias: each part is what
    `from_columns` takes. One pass over the row, however many tables it joins."""
    tables: dict[str, dict[str, Any]] = {}
    for name, value in row.items():
        alias, _, column = name.partition("__")
        if column:
            tables.setdefault(alias, {})[column] = value
    return tables


def from_columns(model: type[M], part: Mapping[str, Any]) -> M:
    """The `model` object of one part of `split_row`, converted as Tortoise converts the rows it
    reads itself."""
    return model._init_from_db(**part)

"""Raw aggregation queries on SQLite and PostgreSQL, written once.

Queries use `?` placeholders; on PostgreSQL they become `$1, $2...`. The few expressions whose
spelling differs (durations, months of a date, JSON arrays) come from `Dialect`, so each indicator
is one query that both databases run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise import connections

_PLACEHOLDER = re.compile(r"\?")


@dataclass(frozen=True)
class Dialect:
    postgres: bool

    def hours(self, start: str, end: str) -> str:
        """The hours between two timestamp columns, as a number."""
        if self.postgres:
            return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0)"
        return f"((julianday({end}) - julianday({start})) * 24.0)"

    def month(self, column: str) -> str:
        """The 'YYYY-MM' of a UTC timestamp column."""
        if self.postgres:
            return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM')"
        return f"substr({column}, 1, 7)"

    def children(self, column: str) -> tuple[str, str, str]:
        """A FROM item that unnests a JSON list, and the `born` and `expected` of an item."""
        if self.postgres:
            return (
                f"jsonb_array_elements({column}::jsonb) AS child",
                "child->>'born'",
                "child->>'expected'",
            )
        return (
            f"json_each({column}) AS child",
            "json_extract(child.value, '$.born')",
            "json_extract(child.value, '$.expected')",
        )


def dialect() -> Dialect:
    connection = connections.get("default")
    return Dialect(postgres=connection.capabilities.dialect == "postgres")


async def fetch(sql: str, params: list[Any]) -> list[dict[str, Any]]:
    """Rows of one query as dicts; `?` placeholders are numbered for PostgreSQL."""
    connection = connections.get("default")
    if connection.capabilities.dialect != "postgres":
        params = [_sqlite_value(value) for value in params]
    else:
        numbers = iter(range(1, len(params) + 1))
        sql = _PLACEHOLDER.sub(lambda _: f"${next(numbers)}", sql)
    _, rows = await connection.execute_query(sql, params)
    return [dict(row) for row in rows]


def _sqlite_value(value: Any) -> Any:
    """Dates and timestamps as the text Tortoise writes to SQLite, which sorts in time order."""
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value

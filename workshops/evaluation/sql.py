"""Raw aggregation queries on SQLite and PostgreSQL, written once.

Queries use `?` placeholders and run through `workshops.kernel.db.fetch`. The few expressions whose
spelling differs (durations, JSON arrays) come from `Dialect`, so each indicator
is one query that both databases run.
"""

from __future__ import annotations

from dataclasses import dataclass

from workshops.kernel.db import fetch as fetch
from workshops.kernel.db import is_postgres


@dataclass(frozen=True)
class Dialect:
    postgres: bool

    def hours(self, start: str, end: str) -> str:
        """The hours between two timestamp columns, as a number."""
        if self.postgres:
            return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0)"
        return f"((julianday({end}) - julianday({start})) * 24.0)"

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
    return Dialect(postgres=is_postgres())

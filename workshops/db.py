"""The Tortoise configuration, start-up and migrations, in one place.

All models form one Tortoise app, `workshops`, whose migrations live in `workshops/migrations/`.
A model module is listed in `MODEL_MODULES` the day it is created, and its migration is written
with `workshops makemigrations` in the same commit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import asyncpg
from tortoise import Tortoise, connections
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate as migrate_api
from tortoise.migrations.autodetector import MigrationAutodetector
from tortoise.models import Model

from workshops.settings import Settings

_PLACEHOLDER = re.compile(r"\?")
APP_LABEL = "workshops"
MIGRATIONS_MODULE = "workshops.migrations"
MODEL_MODULES = [
    "workshops.accounts.models",
    "workshops.audit.models",
    "workshops.mail.models",
    "workshops.calendars.models",
    "workshops.rooms.models",
    "workshops.planning.models",
    "workshops.signup.models",
    "workshops.partners.models",
    "workshops.evaluation.models",
]


class LeanConnection(asyncpg.Connection):  # type: ignore[misc]
    """A pooled PostgreSQL connection given back without asyncpg's reset statement.

    By default asyncpg sends `pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL` each
    time a connection returns to the pool, and Tortoise takes one from the pool for every query
    outside a transaction: a second round trip per query. The application never leaves such state
    behind (no session `SET`, advisory lock, `LISTEN` or held cursor), and asyncpg still ends any
    open transaction on release.
    """

    def get_reset_query(self) -> str:
        return ""


def connection_settings(database_url: str) -> str | dict[str, Any]:
    """Tortoise's connection entry: the URL, and for PostgreSQL the lean connection class."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        return database_url
    expanded: dict[str, Any] = expand_db_url(database_url)
    expanded["credentials"]["connection_class"] = LeanConnection
    return expanded


def tortoise_config(database_url: str, *, connection_label: str = "default") -> dict[str, Any]:
    return {
        "connections": {connection_label: connection_settings(database_url)},
        "apps": {
            APP_LABEL: {
                "models": MODEL_MODULES,
                "migrations": MIGRATIONS_MODULE,
                "default_connection": connection_label,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _ensure_sqlite_folder(database_url: str) -> None:
    if database_url.startswith("sqlite://") and ":memory:" not in database_url:
        Path(database_url.removeprefix("sqlite://")).parent.mkdir(parents=True, exist_ok=True)


async def connect(settings: Settings, *, connection_label: str = "default") -> TortoiseContext:
    """Open the database for this process; every task of the process then sees it."""
    _ensure_sqlite_folder(settings.database_url)
    config = tortoise_config(settings.database_url, connection_label=connection_label)
    ctx: TortoiseContext = await Tortoise.init(config=config, _enable_global_fallback=True)
    return ctx


async def disconnect() -> None:
    await Tortoise.close_connections()


async def migrate(settings: Settings) -> None:
    """Apply every migration not yet applied, in a context of its own."""
    _ensure_sqlite_folder(settings.database_url)
    async with TortoiseContext():
        await migrate_api(config=tortoise_config(settings.database_url))


async def pending_migrations(*, write: bool) -> list[str]:
    """Names of the migrations the models call for; written to disk when `write` is true."""
    config = tortoise_config("sqlite://:memory:")
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        assert ctx.apps is not None
        detector = MigrationAutodetector(ctx.apps, config["apps"])
        writers = await detector.changes()
    if write:
        for writer in writers:
            writer.write()
    return [f"{writer.app_label}.{writer.name}" for writer in writers]


def is_postgres() -> bool:
    return bool(connections.get("default").capabilities.dialect == "postgres")


def numbered(sql: str, count: int) -> str:
    """`?` placeholders as PostgreSQL's `$1, $2...`."""
    numbers = iter(range(1, count + 1))
    return _PLACEHOLDER.sub(lambda _: f"${next(numbers)}", sql)


def _sqlite_value(value: Any) -> Any:
    """Dates and timestamps as the text Tortoise writes to SQLite, which sorts in time order."""
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def read_datetime(value: datetime | str) -> datetime:
    """A timestamp read by a raw statement: SQLite gives the text Tortoise wrote."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


async def _run(sql: str, params: Sequence[Any]) -> tuple[int, list[Any]]:
    connection = connections.get("default")
    if is_postgres():
        sql, values = numbered(sql, len(params)), list(params)
    else:
        values = [_sqlite_value(value) for value in params]
    changed, rows = await connection.execute_query(sql, values)
    return int(changed), list(rows)


async def execute(sql: str, params: Sequence[Any]) -> int:
    """Run one raw statement written with `?` placeholders; the number of rows it changed."""
    changed, _ = await _run(sql, params)
    return changed


async def fetch(sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    """The rows of one raw query written with `?` placeholders, as dicts."""
    _, rows = await _run(sql, params)
    return [dict(row) for row in rows]


def columns_of(model: type[Model], alias: str) -> str:
    """The select list of every column of `model` read through the table alias `alias`, each
    named `alias__column`: several models in one joined statement, split by `split_row`."""
    return ", ".join(f'{alias}."{c}" AS "{alias}__{c}"' for c in sorted(model._meta.db_fields))


def split_row(row: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The columns of one joined row read with `columns_of`, by table alias: each part is what
    `Model._init_from_db(**part)` takes, converted as Tortoise converts the rows it reads itself
    (text dates of SQLite, JSON...). One pass over the row, however many tables it joins."""
    tables: dict[str, dict[str, Any]] = {}
    for name, value in row.items():
        alias, _, column = name.partition("__")
        if column:
            tables.setdefault(alias, {})[column] = value
    return tables


async def lock_row(table: str, row_id: int) -> None:
    """Hold one row until the surrounding transaction ends; call it first in the transaction.

    PostgreSQL: a row lock (`FOR UPDATE`). SQLite: `select_for_update` does nothing there, so a
    write opens the transaction's write lock at once, as `BEGIN IMMEDIATE` would; another
    writer, in this process or another, then waits for the commit before it reads anything.
    """
    if is_postgres():
        await execute(f'SELECT "id" FROM "{table}" WHERE "id" = ? FOR UPDATE', [row_id])
    else:
        await execute(f'UPDATE "{table}" SET "id" = "id" WHERE "id" = ?', [row_id])


async def database_answers() -> bool:
    """True when a trivial query succeeds: what `/healthz` reports."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:
        return False
    return True

"""The Tortoise configuration, start-up, migrations and transactions, in one place.

All models form one Tortoise app, `workshops`, whose migrations live in `workshops/migrations/`.
A model module is listed in `MODEL_MODULES` the day it is created, and its migration is written
with `workshops makemigrations` in the same commit.

On PostgreSQL the connections come from `ResilientClient`, this module's Tortoise engine: a
bounded wait for a pooled connection (`DATABASE_ACQUIRE_TIMEOUT`), and transactions that give
their connection back even when `BEGIN` fails on a connection the server has just cut (Tortoise
1.1.9 leaks it: `docs/upstream/tortoise-transaction-leak.md`). Every transaction of the
application opens with `transaction()`.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import asyncpg
from tortoise import Tortoise, connections
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import TransactionContext, TransactionContextPooled
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.connection import get_connections
from tortoise.context import TortoiseContext
from tortoise.exceptions import DBConnectionError, TransactionManagementError
from tortoise.migrations.api import migrate as migrate_api
from tortoise.migrations.autodetector import MigrationAutodetector
from tortoise.models import Model
from tortoise.transactions import in_transaction

from workshops.kernel.settings import Settings

logger = logging.getLogger("workshops.kernel.db")
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


class BoundedPool(asyncpg.Pool):  # type: ignore[misc]
    """asyncpg's pool, where waiting for a free connection is bounded by default.

    Without a bound, a pool whose connections are all held (or leaked) makes every request wait
    forever, `/healthz` included: a silent hang. With it, the request fails after
    `acquire_timeout` seconds and gets the 503 page with `Retry-After`.
    """

    def __init__(self, *args: Any, acquire_timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acquire_timeout = acquire_timeout

    def acquire(self, *, timeout: float | None = None) -> Any:
        return super().acquire(timeout=self.acquire_timeout if timeout is None else timeout)


class ReleasingTransactionContext(TransactionContextPooled):
    """Tortoise's pooled transaction, which always gives its connection back.

    Tortoise 1.1.9 acquires a connection, sets the context variable, then sends `BEGIN`; when
    `BEGIN` fails (a connection the server has just terminated), `__aexit__` never runs, so the
    connection stays out of the pool and the task keeps seeing a dead transaction. Here a failed
    `BEGIN` resets the context and releases the connection before the error goes up, and leaving
    the block resets the context even when the release itself fails.
    """

    async def __aenter__(self) -> Any:
        await self.ensure_connection()
        pool = self.client._parent._pool
        self.client._connection = await pool.acquire()
        self.token = get_connections().set(self.connection_name, self.client)
        try:
            await self.client.begin()
        except BaseException:
            get_connections().reset(self.token)
            await _release_quietly(pool, self.client._connection)
            raise
        return self.client

    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        try:
            if not self.client._finalized:
                if exc_type is None:
                    await self.client.commit()
                elif exc_type is not TransactionManagementError:
                    await self._roll_back_after(exc_val)
        finally:
            try:
                if self.client._parent._pool:
                    await self.client._parent._pool.release(self.client._connection)
            finally:
                get_connections().reset(self.token)

    async def _roll_back_after(self, error: BaseException) -> None:
        """Roll back after `error`; on a connection the server has cut, the server has rolled
        back already, and the rollback's own failure must not hide the error that matters."""
        try:
            await self.client.rollback()
        except Exception as failure:
            logger.warning("Annulation impossible après %r : %r", error, failure)


async def _release_quietly(pool: asyncpg.Pool, connection: Any) -> None:
    """Give a connection back after a failure, without hiding that failure behind another."""
    try:
        await pool.release(connection)
    except Exception as error:  # asyncpg has already terminated a connection it cannot reset
        logger.warning("Connexion rendue au pool après un échec de BEGIN : %r", error)


class ResilientClient(AsyncpgDBClient):
    """Tortoise's asyncpg client with a bounded pool and transactions that never leak.

    Named as the `engine` of the PostgreSQL connection (Tortoise looks up `client_class` in the
    engine's module), so that every transaction, the application's and Tortoise's own, uses it.
    """

    def __init__(self, *args: Any, acquire_timeout: float = 5.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acquire_timeout = acquire_timeout

    async def create_pool(self, **kwargs: Any) -> asyncpg.Pool:
        kwargs.setdefault("max_queries", 50_000)
        kwargs.setdefault("max_inactive_connection_lifetime", 300.0)
        kwargs.setdefault("record_class", asyncpg.Record)
        return await BoundedPool(None, acquire_timeout=self.acquire_timeout, **kwargs)

    def _in_transaction(self) -> TransactionContext:
        return ReleasingTransactionContext(TransactionWrapper(self), self._pool_init_lock)


client_class = ResilientClient


def transaction() -> TransactionContext:
    """Open a transaction (nested: a savepoint): the application's one way to open one."""
    return in_transaction()


def connection_settings(
    database_url: str, *, pool_size: int = 5, acquire_timeout: float = 5.0
) -> str | dict[str, Any]:
    """Tortoise's connection entry: the URL, and for PostgreSQL this module's client with the
    lean connection class, the pool's size and its bounded wait."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        return database_url
    expanded: dict[str, Any] = expand_db_url(database_url)
    expanded["engine"] = __name__
    credentials = expanded["credentials"]
    credentials["connection_class"] = LeanConnection
    credentials["maxsize"] = pool_size
    credentials["minsize"] = min(int(credentials.get("minsize", 1)), pool_size)
    credentials["acquire_timeout"] = acquire_timeout
    return expanded


def tortoise_config(
    database_url: str,
    *,
    connection_label: str = "default",
    pool_size: int = 5,
    acquire_timeout: float = 5.0,
) -> dict[str, Any]:
    entry = connection_settings(database_url, pool_size=pool_size, acquire_timeout=acquire_timeout)
    return {
        "connections": {connection_label: entry},
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
    config = tortoise_config(
        settings.database_url,
        connection_label=connection_label,
        pool_size=settings.database_pool_size,
        acquire_timeout=settings.database_acquire_timeout,
    )
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


@dataclass(frozen=True)
class Slot:
    """A reserved place under a limit: its row, and how many the key holds with it."""

    row_id: int
    taken: int


class LimitReached(Exception):
    """`take_slots` found a key already at its limit: nothing was reserved."""


async def lock_keys(keys: Sequence[str]) -> None:
    """Serialise, until the surrounding transaction ends, every transaction that locks one of
    these keys (a counter's name: an account, an address).

    PostgreSQL: transaction-scoped advisory locks, taken in sorted order so that two
    transactions naming the same keys never wait on each other in a circle. SQLite: nothing to
    do here; the caller's next statement must be a write, which takes the database's write lock
    (and Tortoise's SQLite client already runs one transaction at a time per process).
    """
    if is_postgres():
        for key in sorted(set(keys)):
            await execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", [key])


async def take_slots(
    model: type[Model], limits: Mapping[str, int], *, since: datetime, now: datetime
) -> dict[str, Slot]:
    """Reserve one slot under each key of `limits`, or none at all: a row of `model` (a table of
    `key` and `created_at`) per key, kept only when no key then has more than its limit since
    `since`. Each key's `Slot` says which row holds it and how many rows the key has, this one
    included; `LimitReached` when a key was full.

    The slot is taken before the work it guards, so concurrent attempts cannot all pass a count
    made before any of them was recorded (DESIGN rule 8): the keys are locked, the rows written,
    then counted, all in one transaction that rolls back when a key is over its limit.
    """
    slots = {}
    async with transaction():
        await lock_keys(list(limits))
        row_ids = {key: (await model.create(key=key, created_at=now)).pk for key in limits}
        for key, limit in limits.items():
            taken = await model.filter(key=key, created_at__gte=since).count()
            if taken > limit:
                raise LimitReached(key)  # leaving the block rolls the rows back
            slots[key] = Slot(row_id=row_ids[key], taken=taken)
    return slots


# The database cannot be reached, or is restarting, or every pooled connection stayed busy past
# `DATABASE_ACQUIRE_TIMEOUT`: the request may succeed in a moment.
UNREACHABLE: tuple[type[BaseException], ...] = (
    TimeoutError,
    ConnectionError,
    DBConnectionError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    # "the underlying connection is closed", "connection was closed in the middle of operation"
    asyncpg.InterfaceError,
    # A pooled connection left in the middle of an operation when the server went away
    # ("cannot switch to state 12; another operation is in progress"); asyncpg drops it.
    asyncpg.InternalClientError,
)


def database_unreachable(exc: BaseException | None) -> bool:
    """Whether `exc`, or an error it was raised from, says the database is out of reach."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, UNREACHABLE):
            return True
        # asyncpg's "Multiple exceptions: [Errno 111] Connect call failed" is a bare OSError.
        if isinstance(exc, OSError) and "Connect call failed" in str(exc):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


async def database_answers(*, within: float = 1.0) -> bool:
    """True when a trivial query succeeds within `within` seconds: what `/healthz` reports. A
    health check that waited for a busy pool would look to the load balancer like a hang."""
    try:
        await asyncio.wait_for(connections.get("default").execute_query("SELECT 1"), within)
    except Exception:
        return False
    return True

"""The database module: one way to open a transaction, and a pool that neither leaks nor hangs.

The PostgreSQL tests cut a backend the way a restarting or overloaded server does
(`pg_terminate_backend`), at the worst moment: between taking a connection from the pool and
sending `BEGIN`, where Tortoise 1.1.9 loses the connection for good.
"""

from __future__ import annotations

import ast
import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from tortoise import connections
from tortoise.backends.asyncpg.client import TransactionWrapper

from tests.conftest import TEST_DATABASE_URL, make_settings
from workshops.accounts.models import Organisation, OrganisationKind
from workshops.app import create_app
from workshops.kernel import db
from workshops.kernel.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
postgres_only = pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="the connection pool exists only on PostgreSQL"
)


def _imports_of_tortoise_transactions(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "tortoise.transactions":
            return True
    return False


def test_only_the_database_module_opens_transactions_with_tortoise() -> None:
    sources = [*ROOT.joinpath("workshops").rglob("*.py"), *ROOT.joinpath("tests").rglob("*.py")]
    sources += ROOT.joinpath("benchmarks").rglob("*.py")
    offenders = [
        str(path.relative_to(ROOT))
        for path in sources
        if _imports_of_tortoise_transactions(path)
        and path != ROOT / "workshops" / "kernel" / "db.py"
    ]
    assert offenders == []


@pytest.fixture
async def small_pool(settings: Settings) -> AsyncIterator[Settings]:
    """The database opened with a pool of two connections and a short wait for one."""
    small = make_settings(settings.data_dir, DATABASE_POOL_SIZE="2", DATABASE_ACQUIRE_TIMEOUT="0.5")
    await db.connect(small)
    await connections.get("default").execute_query("SELECT 1")  # the pool is made lazily
    try:
        yield small
    finally:
        await db.disconnect()


def _pool() -> Any:
    return connections.get("default")._pool


async def _hold_every_connection(size: int) -> None:
    """Take `size` connections at once: fails (timeout) when one of them leaked."""
    pool = _pool()
    held = [await pool.acquire(timeout=2) for _ in range(size)]
    for connection in held:
        await pool.release(connection)


async def _terminate(pid: int) -> None:
    killer = await asyncpg.connect(TEST_DATABASE_URL.replace("postgres://", "postgresql://", 1))
    try:
        await killer.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await killer.close()
    await asyncio.sleep(0.2)  # the backend is gone and its socket closed


def _begin_on_a_killed_backend(
    original: Callable[[TransactionWrapper], Awaitable[None]],
) -> Callable[[TransactionWrapper], Awaitable[None]]:
    """The server terminates the connection just before `BEGIN` (asyncpg sees it closed)."""

    async def begin(wrapper: TransactionWrapper) -> None:
        await _terminate(wrapper._connection.get_server_pid())
        await original(wrapper)

    return begin


def _begin_on_a_connection_left_mid_operation(
    original: Callable[[TransactionWrapper], Awaitable[None]],
) -> Callable[[TransactionWrapper], Awaitable[None]]:
    """What asyncpg raises when a cut left the protocol mid-operation: the socket is still
    open, so asyncpg's pool does not take the connection back by itself."""

    async def begin(wrapper: TransactionWrapper) -> None:
        raise asyncpg.InternalClientError("cannot switch to state 15; another operation (2)")

    return begin


@postgres_only
@pytest.mark.parametrize(
    "failing_begin",
    [_begin_on_a_killed_backend, _begin_on_a_connection_left_mid_operation],
    ids=["connexion-tuee", "connexion-au-milieu-d-une-operation"],
)
async def test_a_begin_that_fails_gives_its_connection_back(
    small_pool: Settings,
    monkeypatch: pytest.MonkeyPatch,
    failing_begin: Callable[[Callable[[TransactionWrapper], Awaitable[None]]], Any],
) -> None:
    await _hold_every_connection(2)
    default = connections.get("default")
    monkeypatch.setattr(TransactionWrapper, "begin", failing_begin(TransactionWrapper.begin))
    for _ in range(3):  # more failures than the pool has connections
        with pytest.raises(Exception, match=r"connection|closed|state"):
            async with db.transaction():
                pass
    monkeypatch.undo()

    assert connections.get("default") is default  # no dead transaction left in the context
    await _hold_every_connection(2)
    name = f"Centre d'Alsace ({failing_begin.__name__})"
    async with db.transaction():
        await Organisation.create(name=name, kind=OrganisationKind.CENTRE, commune="Haguenau")
    assert await Organisation.filter(name=name).count() == 1


@postgres_only
async def test_a_request_that_finds_no_free_connection_waits_a_bounded_time(
    small_pool: Settings,
) -> None:
    pool = _pool()
    held = [await pool.acquire(), await pool.acquire()]
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        await Organisation.all().count()
    assert time.monotonic() - started < 2
    for connection in held:
        await pool.release(connection)
    assert await Organisation.all().count() >= 0


@postgres_only
async def test_a_pool_whose_connections_were_all_cut_recovers_by_itself(
    small_pool: Settings,
) -> None:
    await _hold_every_connection(2)
    pool = _pool()
    pids = []
    for _ in range(2):
        connection = await pool.acquire()
        pids.append(connection.get_server_pid())
        await pool.release(connection)
    for pid in set(pids):
        await _terminate(pid)
    answers = []
    for _ in range(4):
        try:
            answers.append(await Organisation.all().count())
        except Exception:
            answers.append(-1)
    assert answers[-1] >= 0  # the dead connections were replaced, without a restart


@postgres_only
@pytest.mark.parametrize("small_pool", ["5"], indirect=True)
async def test_the_health_check_answers_within_a_second_when_no_connection_is_free(
    small_pool: Settings,
) -> None:
    pool = _pool()
    held = [await pool.acquire(), await pool.acquire()]
    transport = httpx.ASGITransport(app=create_app(small_pool))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        started = time.monotonic()
        busy = await client.get("/healthz")
        waited = time.monotonic() - started
        for connection in held:
            await pool.release(connection)
        healthy = await client.get("/healthz")
    assert (busy.status_code, healthy.status_code) == (503, 200)
    assert waited < 1.5

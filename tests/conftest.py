"""Test fixtures: a fresh database per test, the app with its lifespan, an HTTP client.

`make test` runs on SQLite: the migrations are applied once to a template file, copied for each
test. With `TEST_DATABASE_URL` set to a PostgreSQL database, the same suite runs there: the schema
is rebuilt from the migrations once, and every table is emptied before each test.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from tortoise import Tortoise, connections

from tests.clock import pin_from_environment
from tests.html_check import CHECK_HTML, html_problems, text_problems
from workshops.app import create_app, install_urls
from workshops.kernel import db
from workshops.kernel.settings import Settings, load_settings
from workshops.mail import outbox as mail_service
from workshops.mail.rendering import RenderedMail, render_mail

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_SECRET_KEY = "clé-de-test-" + "x" * 40
_TRAVELLER = pytest.StashKey[object]()


def pytest_configure(config: pytest.Config) -> None:
    """Pin the clock before anything reads it (`TEST_NOW`, see `tests/clock.py`)."""
    config.stash[_TRAVELLER] = pin_from_environment()
    # E-mails name their links (`path(...)`): services tested without an app need the table too.
    install_urls()


def pytest_report_header() -> str:
    pinned = os.environ.get("TEST_NOW") or "heure réelle"
    return f"horloge : {pinned} ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)"


def _postgres_url() -> str:
    return TEST_DATABASE_URL.replace("postgresql://", "postgres://", 1)


async def _reset_postgres_schema(url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """Migrate once per run: a SQLite file to copy, or the PostgreSQL test database itself."""
    if TEST_DATABASE_URL:
        asyncio.run(_reset_postgres_schema(_postgres_url()))
        env = {"DATABASE_URL": _postgres_url(), "SECRET_KEY": TEST_SECRET_KEY}
        asyncio.run(db.migrate(load_settings(env)))
        return None
    folder = tmp_path_factory.mktemp("template")
    asyncio.run(db.migrate(load_settings({"DATA_DIR": str(folder)})))
    return folder / "workshops.sqlite3"


def make_settings(data_dir: Path, **overrides: str) -> Settings:
    env = {"DATA_DIR": str(data_dir), "SECRET_KEY": TEST_SECRET_KEY}
    if TEST_DATABASE_URL:
        env["DATABASE_URL"] = _postgres_url()
    env.update(overrides)
    return load_settings(env)


@pytest.fixture
def settings(tmp_path: Path, migrated_template: Path | None) -> Iterator[Settings]:
    if migrated_template is not None:
        shutil.copy(migrated_template, tmp_path / "workshops.sqlite3")
    yield make_settings(tmp_path)


async def _empty_all_tables() -> None:
    assert Tortoise.apps is not None
    tables = [model._meta.db_table for model in Tortoise.apps.get_models_iterable()]
    quoted = ", ".join(f'"{table}"' for table in tables)
    await connections.get("default").execute_script(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Settings]:
    """The database open for service tests, empty at the start."""
    await db.connect(settings)
    if settings.is_postgres:
        await _empty_all_tables()
    try:
        yield settings
    finally:
        await db.disconnect()


@pytest.fixture
async def app(database: Settings) -> AsyncIterator[Starlette]:
    """The application on the test's database (httpx's ASGI transport runs no lifespan)."""
    yield create_app(database)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A browser-like client; every HTML page it receives is checked (`tests/html_check.py`)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://testserver",
        event_hooks=CHECK_HTML,
    ) as client:
        yield client


def _mail_problems(mail: RenderedMail, template: str) -> list[str]:
    return [
        f"e-mail {template!r} ({part}): {problem}"
        for part, problems in (
            ("HTML", html_problems(mail.html)),
            ("text", text_problems(mail.text)),
            ("subject", text_problems(mail.subject)),
        )
        for problem in problems
    ]


@pytest.fixture(autouse=True)
def sound_mail(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every e-mail written during a test is checked like a page: its HTML part by the HTML5
    parser, its text and subject for entities escaped once too often.

    `compose_mail` is the one caller of `render_mail` in the application. The problems are
    gathered and reported when the test ends, since the views that send mail may turn an
    exception into an error page."""
    problems: list[str] = []

    def checked_render_mail(
        template: str, context: Mapping[str, Any], settings: Settings
    ) -> RenderedMail:
        rendered = render_mail(template, context, settings)
        problems.extend(_mail_problems(rendered, template))
        return rendered

    monkeypatch.setattr(mail_service, "render_mail", checked_render_mail)
    yield
    assert problems == [], "\n".join(problems)

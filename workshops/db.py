"""The Tortoise configuration, start-up and migrations, in one place.

All models form one Tortoise app, `workshops`, whose migrations live in `workshops/migrations/`.
A model module is listed in `MODEL_MODULES` the day it is created, and its migration is written
with `workshops makemigrations` in the same commit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tortoise import Tortoise, connections
from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate as migrate_api
from tortoise.migrations.autodetector import MigrationAutodetector

from workshops.settings import Settings

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


def tortoise_config(database_url: str, *, connection_label: str = "default") -> dict[str, Any]:
    return {
        "connections": {connection_label: database_url},
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


async def database_answers() -> bool:
    """True when a trivial query succeeds: what `/healthz` reports."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:
        return False
    return True

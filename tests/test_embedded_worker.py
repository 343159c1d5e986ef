"""The app lifespan: in the embedded mode the worker runs inside the web process."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.conftest import make_settings
from workshops.app import create_app
from workshops.kernel import db
from workshops.kernel.db import transaction
from workshops.kernel.settings import Settings
from workshops.mail import enqueue_mail
from workshops.mail.models import MailStatus, OutboxMessage


def _eml_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.eml"))


async def _wait_for_files(folder: Path) -> list[Path]:
    """The worker runs its jobs every 5 seconds: wait up to 10."""
    for _tick in range(200):
        files = _eml_files(folder)
        if files:
            return files
        await asyncio.sleep(0.05)
    return []


async def _wait_until_sent(message_id: int) -> OutboxMessage:
    """The file is written before the row is marked sent: give the worker the moment between."""
    for _tick in range(100):
        message = await OutboxMessage.get(id=message_id)
        if message.status is MailStatus.SENT:
            break
        await asyncio.sleep(0.05)
    return message


async def test_the_embedded_worker_sends_mail_while_the_app_runs_and_stops_with_it(
    settings: Settings,
) -> None:
    embedded = make_settings(settings.data_dir, RUN_WORKER_IN_PROCESS="1")
    if embedded.is_postgres:  # Start from an empty outbox: earlier tests may have left mail.
        await db.connect(embedded)
        await OutboxMessage.all().delete()
        await db.disconnect()
    app = create_app(embedded)

    async with app.router.lifespan_context(app):
        async with transaction():
            message = await enqueue_mail(
                settings=embedded,
                to="famille@exemple.fr",
                template="password_reset",
                context={"full_name": "Famille Roth", "reset_url": "https://x.example/"},
            )
        files = await _wait_for_files(embedded.mail_dir)
        worker_tasks = [t for t in asyncio.all_tasks() if t.get_name() == "workshops-worker"]
        assert len(worker_tasks) == 1
        sent = await _wait_until_sent(message.id)

    assert [path.name for path in files] == [f"{message.id:08d}-famille-exemple.fr.eml"]
    assert "Famille Roth" in files[0].read_text(encoding="utf-8")
    assert sent.status is MailStatus.SENT
    assert worker_tasks[0].done() and not worker_tasks[0].cancelled()


async def test_without_the_embedded_worker_the_app_starts_no_task(settings: Settings) -> None:
    app = create_app(make_settings(settings.data_dir, RUN_WORKER_IN_PROCESS="0"))

    async with app.router.lifespan_context(app):
        names = {task.get_name() for task in asyncio.all_tasks()}

    assert "workshops-worker" not in names

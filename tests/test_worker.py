"""The worker's job list: one run sends the queued mail and tidies old counters."""

from __future__ import annotations

import logging
from datetime import timedelta

import asyncpg
import pytest

from tests.mail.helpers import queue_reset_mail
from workshops import worker
from workshops.accounts.models import PasswordResetRequest
from workshops.kernel.clock import utc_now
from workshops.kernel.settings import Settings
from workshops.mail.delivery import send_due_mail
from workshops.mail.models import MailStatus, OutboxMessage
from workshops.signup.models import SignupAttempt


async def test_one_run_of_the_worker_sends_queued_mail(database: Settings) -> None:
    assert send_due_mail in worker.JOBS
    message = await queue_reset_mail(database)

    await worker.run_once(database)

    assert (await OutboxMessage.get(id=message.id)).status is MailStatus.SENT
    assert len(list(database.mail_dir.glob("*.eml"))) == 1


async def test_old_password_reset_counters_are_forgotten(database: Settings) -> None:
    old = await PasswordResetRequest.create(key="ip:10.0.0.1")
    await PasswordResetRequest.filter(id=old.id).update(created_at=utc_now() - timedelta(days=3))
    recent = await PasswordResetRequest.create(key="ip:10.0.0.1")

    await worker.run_once(database)

    assert [row.id for row in await PasswordResetRequest.all()] == [recent.id]


async def test_sign_up_attempts_older_than_the_hour_are_forgotten(database: Settings) -> None:
    old = await SignupAttempt.create(key="a" * 64)
    await SignupAttempt.filter(id=old.id).update(created_at=utc_now() - timedelta(hours=2))
    recent = await SignupAttempt.create(key="a" * 64)

    await worker.run_once(database)

    assert [attempt.id for attempt in await SignupAttempt.all()] == [recent.id]


async def test_a_job_waiting_for_the_database_logs_one_line_and_a_bug_its_traceback(
    database: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def database_restarting(settings: Settings) -> None:
        raise asyncpg.CannotConnectNowError("the database system is starting up")

    async def broken(settings: Settings) -> None:
        raise ValueError("a bug")

    monkeypatch.setattr(worker, "JOBS", [database_restarting, broken])
    with caplog.at_level(logging.WARNING, logger="workshops.worker"):
        await worker.run_once(database)
    waiting, failed = caplog.records
    assert "database_restarting attend la base de données" in waiting.getMessage()
    assert waiting.exc_info is None
    assert "broken a échoué" in failed.getMessage() and failed.exc_info is not None

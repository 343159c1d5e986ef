"""Faults: the mail worker killed with SIGKILL in the middle of a batch.

A real `workshops worker` process sends to a real SMTP server (aiosmtpd, slowed down so the kill
lands mid-batch) and is killed with `kill -9`. A second worker takes over once the dead worker's
lease has run out (the test moves the lease end to the past instead of waiting two minutes).
Verdict: every message arrives; a message arrives twice only if it was being handed to the SMTP
server at the instant of the kill (its delivery could not be recorded), and then with the same
Message-ID, so that mail clients show it once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import BinaryIO

from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.clock import PROJECT_ROOT, workshops_command
from tests.mail.smtp import Inbox, SmtpServer, free_port
from workshops.kernel.clock import utc_now
from workshops.kernel.db import transaction
from workshops.kernel.settings import Settings
from workshops.mail import enqueue_mail
from workshops.mail.models import MailStatus, OutboxMessage

MESSAGES = 120


class SlowInbox(Inbox):
    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


def _worker(settings: Settings, port: int, log: BinaryIO) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATA_DIR": str(settings.data_dir),
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": settings.secret_key,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_SECURITY": "none",
    }
    return subprocess.Popen(
        workshops_command("worker"),
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


async def _wait_until(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        await asyncio.sleep(0.05)


async def test_a_worker_killed_mid_batch_loses_no_message(database: Settings) -> None:
    async with transaction():
        for number in range(MESSAGES):
            await enqueue_mail(
                settings=database,
                to=f"famille{number}@exemple.fr",
                template="password_reset",
                context={"full_name": f"Famille {number}", "reset_url": "https://exemple.fr/l"},
            )
    port = free_port()
    server = SmtpServer(port, SlowInbox())
    server.start()
    log_path = database.data_dir / "worker.log"
    log = log_path.open("ab")
    try:
        first = _worker(database, port, log)
        await _wait_until(lambda: len(server.inbox.received) >= MESSAGES // 4, 60)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        delivered_before_kill = len(server.inbox.received)
        assert 0 < delivered_before_kill < MESSAGES, log_path.read_text()

        in_flight = await OutboxMessage.filter(status=MailStatus.SENDING).count()
        # Time passes: the dead worker's lease ends.
        await OutboxMessage.filter(status=MailStatus.SENDING).update(
            claimed_until=utc_now() - timedelta(seconds=1)
        )
        second = _worker(database, port, log)
        try:
            await _wait_until(lambda: len(set(server.inbox.message_ids())) >= MESSAGES, 90)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=30)
    finally:
        server.stop()
        log.close()

    expected = {message.message_id for message in await OutboxMessage.all()}
    received = Counter(server.inbox.message_ids())
    assert set(received) == expected, log_path.read_text()
    duplicates = sum(count - 1 for count in received.values())
    assert duplicates <= in_flight <= 20  # at most the one batch the dead worker held
    assert await OutboxMessage.filter(status=MailStatus.SENT).count() == MESSAGES

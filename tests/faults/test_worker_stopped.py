"""Faults: a worker asked to stop (SIGTERM) while a job hangs stops within its grace period.

The SMTP server here accepts the connection and never answers, as a server behind a dead network
path does; the worker's SMTP timeout is far longer than its grace period. The supervisor
(systemd, a PaaS) would kill it after its own grace: it must be gone before that.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import threading
import time

from tests.clock import PROJECT_ROOT, workshops_command
from tests.faults.test_worker_killed import _wait_until
from tests.mail.helpers import queue_reset_mail
from workshops.kernel.settings import Settings
from workshops.mail.models import MailStatus, OutboxMessage

GRACE_SECONDS = 2


class SilentServer:
    """A TCP server that accepts connections and never says a word."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self) -> None:
        self.listener.close()
        for connection in self.accepted:
            connection.close()


def _start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        workshops_command("worker"),
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def test_a_worker_stuck_on_a_silent_smtp_server_stops_within_its_grace_period(
    database: Settings,
) -> None:
    await queue_reset_mail(database)
    server = SilentServer()
    env = {
        **os.environ,
        "DATA_DIR": str(database.data_dir),
        "DATABASE_URL": database.database_url,
        "SECRET_KEY": database.secret_key,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(server.port),
        "SMTP_SECURITY": "none",
        "SMTP_TIMEOUT": "300",
        "SHUTDOWN_GRACE_SECONDS": str(GRACE_SECONDS),
    }
    worker = _start_worker(env)
    try:
        await _wait_until(lambda: bool(server.accepted), 60)
        assert server.accepted, "the worker never reached the SMTP server"
        worker.send_signal(signal.SIGTERM)
        asked = time.monotonic()
        exit_code = await asyncio.to_thread(worker.wait, 30)
        stopped_after = time.monotonic() - asked
    finally:
        if worker.poll() is None:
            worker.kill()
        server.close()

    assert exit_code == 0
    assert stopped_after < GRACE_SECONDS + 10  # its grace, then closing the database
    # The interrupted message is still there to send, after its lease.
    [message] = await OutboxMessage.all()
    assert message.status in (MailStatus.SENDING, MailStatus.QUEUED)

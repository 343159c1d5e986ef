"""Faults: the web process killed with SIGKILL in the middle of a burst of sign-ups.

A real `workshops serve` process takes sign-ups from many families at once and is killed with
`kill -9` halfway; a `workshops worker` process, separate, sends the mail to a real SMTP server
(aiosmtpd). After a restart of the web process, verdict: every family whose sign-up was answered
is in the database, the workshop never holds more than its places, and every registration's
confirmation e-mail arrives exactly once (DESIGN section 2, rule 4; section 4, the outbox).
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
from collections import Counter
from typing import BinaryIO

import httpx

from tests.faults.processes import start_web, until_healthy
from tests.faults.test_worker_killed import _wait_until, _worker
from tests.html_check import CHECK_HTML
from tests.mail.smtp import SmtpServer, free_port
from tests.planning.factories import make_workshop
from tests.signup.test_journey import _form
from workshops.kernel.settings import Settings
from workshops.planning.models import Workshop
from workshops.signup.models import Registration, RegistrationStatus

FAMILIES = 80
KILL_AFTER = 20


def _web(settings: Settings, port: int, log: BinaryIO) -> subprocess.Popen[bytes]:
    return start_web(
        database_url=settings.database_url,
        data_dir=settings.data_dir,
        secret_key=settings.secret_key,
        port=port,
        log=log,
    )


async def _burst(base: str, workshop_id: int, web: subprocess.Popen[bytes]) -> list[str]:
    """FAMILIES sign-ups, 10 at a time; SIGKILL once KILL_AFTER were answered. Returns the
    e-mails of the families whose sign-up was answered with a page of success."""
    accepted: list[str] = []
    queue = list(range(FAMILIES))
    async with httpx.AsyncClient(
        timeout=10, headers={"Origin": base}, event_hooks=CHECK_HTML
    ) as client:

        async def family() -> None:
            while queue:
                number = queue.pop()
                email = f"famille{number}@exemple.fr"
                form = _form(f"Famille {number}", email)
                try:
                    answer = await client.post(
                        f"{base}/ateliers/{workshop_id}/inscription", data=form
                    )
                except httpx.HTTPError:
                    continue
                if answer.status_code in (200, 303) and "Merci" in answer.text:
                    accepted.append(email)
                    if len(accepted) == KILL_AFTER:
                        web.send_signal(signal.SIGKILL)

        await asyncio.gather(*(family() for _ in range(10)))
    return accepted


async def test_a_web_process_killed_mid_burst_loses_no_answered_sign_up_nor_its_email(
    database: Settings,
) -> None:
    workshop = await make_workshop(capacity=8)
    smtp = SmtpServer(free_port())
    smtp.start()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = database.data_dir / "processes.log"
    with log_path.open("ab") as log:
        worker = _worker(database, smtp.port, log)
        web = _web(database, port, log)
        try:
            await until_healthy(base)
            accepted = await _burst(base, workshop.id, web)
            web.wait(timeout=10)
            assert web.returncode == -signal.SIGKILL
            assert KILL_AFTER <= len(accepted) < FAMILIES, log_path.read_text()

            web = _web(database, port, log)
            await until_healthy(base)
            registered = {r.email for r in await Registration.filter(workshop_id=workshop.id)}
            await _wait_until(lambda: len(set(_recipients(smtp))) >= len(registered), 90)
        finally:
            for process in (web, worker):
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
            smtp.stop()

    assert set(accepted) <= registered, log_path.read_text()
    received = Counter(_recipients(smtp))
    assert {email: received[email] for email in registered} == dict.fromkeys(registered, 1)
    confirmed = await Registration.filter(
        workshop_id=workshop.id, status=RegistrationStatus.CONFIRMED
    ).count()
    assert confirmed == (await Workshop.get(id=workshop.id)).places_taken == 8


def _recipients(smtp: SmtpServer) -> list[str]:
    with smtp.inbox.lock:
        return [str(message["To"]) for message in smtp.inbox.received]

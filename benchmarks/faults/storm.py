"""A long storm of cut database connections under load, with the figures the fault test checks.

Run it with `.venv/bin/python benchmarks/faults/storm.py [--secondes 28]` on a machine whose
PostgreSQL (127.0.0.1:5432, user `postgres`) may hold a database `ws_storm`. It serves the
application (one uvicorn process) and runs one `workshops worker` sending to a real SMTP sink
(aiosmtpd), both with their connections named, then cuts those connections with
`pg_terminate_backend` every 0.3 s for the given time while families sign up and pages are read
(`tests/faults/storm.py`, as the test does but longer). Prints: requests by status, requests
without an answer within 15 s (hung), 500s, families told "saved" missing from the database
(lost), saved families without an e-mail, e-mails received twice (duplicates, by Message-ID),
and how long `/healthz` took to answer 200 afterwards. Exit code 0 when hung, 500s, lost and
unmailed are all 0.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import BinaryIO

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.clock import PROJECT_ROOT, workshops_command
from tests.faults.processes import until_healthy
from tests.faults.storm import (
    StormFigures,
    burst,
    cut_connections,
    named_url,
    start_storm_server,
)
from tests.mail.smtp import SmtpServer, free_port
from tests.planning.factories import make_workshop
from tests.signup.helpers import months_ago
from workshops.kernel import db
from workshops.kernel.settings import load_settings
from workshops.mail.models import MailStatus, OutboxMessage
from workshops.signup.models import Registration

DATABASE = "ws_storm"
URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
ROUND = 40  # families (and as many page loads) a round of the burst


def recreate_database() -> None:
    for sql in (f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", f"CREATE DATABASE {DATABASE}"):
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True, timeout=60
        )


def migrate(env: dict[str, str]) -> None:
    subprocess.run(workshops_command("migrate"), cwd=PROJECT_ROOT, env=env, check=True)


def start_worker(env: dict[str, str], log: BinaryIO) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        workshops_command("worker"), cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log
    )


async def load_while_cutting(base: str, workshop_id: int, seconds: float) -> StormFigures:
    figures = StormFigures()
    child_month = months_ago(4).strftime("%Y-%m")
    storm = asyncio.create_task(cut_connections(URL, seconds=seconds, every=0.3, figures=figures))
    first = 0
    while not storm.done():
        await burst(
            base,
            workshop_id=workshop_id,
            families=range(first, first + ROUND),
            page_loads=ROUND,
            child_month=child_month,
            figures=figures,
        )
        first += ROUND
    await storm
    return figures


async def main(seconds: float) -> int:
    recreate_database()
    data_dir = Path(tempfile.mkdtemp(prefix="storm-"))
    secret = secrets.token_urlsafe(40)
    env = {**os.environ, "DATA_DIR": str(data_dir), "DATABASE_URL": URL, "SECRET_KEY": secret}
    migrate(env)
    settings = load_settings(env)
    await db.connect(settings)
    workshop = await make_workshop(capacity=120)
    smtp = SmtpServer(free_port())
    smtp.start()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    worker_env = {
        **env,
        "DATABASE_URL": named_url(URL),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "SMTP_SECURITY": "none",
    }
    log_path = data_dir / "storm.log"
    with log_path.open("ab") as log:
        server = start_storm_server(
            database_url=URL, data_dir=data_dir, secret_key=secret, port=port, log=log
        )
        worker = start_worker(worker_env, log)
        try:
            await until_healthy(base)
            started = time.monotonic()
            figures = await load_while_cutting(base, workshop.id, seconds)
            took = time.monotonic() - started
            try:
                recovered_in: float | None = await until_healthy(base, seconds=30)
            except AssertionError:  # hung: what the storm did before workshops/kernel/db.py's fix
                recovered_in = None
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                if not await OutboxMessage.exclude(status=MailStatus.SENT).exists():
                    break
                await asyncio.sleep(1)
        finally:
            for process in (server, worker):
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=60)
            smtp.stop()
    registered = {str(email) for email in await Registration.all().values_list("email", flat=True)}
    received = Counter(smtp.inbox.message_ids())
    recipients = Counter(str(mail["To"]) for mail in smtp.inbox.received)
    lost = {email for email in figures.saved if email not in registered}
    unmailed = {email for email in registered if recipients[email] == 0}
    duplicates = sum(count - 1 for count in received.values())
    unsent = await OutboxMessage.exclude(status=MailStatus.SENT).count()
    await db.disconnect()
    tracebacks = log_path.read_text(errors="replace").count("Traceback")

    print(f"Orage de {seconds:.0f} s ({took:.0f} s de charge) : {figures.line()}")
    print(f"500 : {figures.statuses[500]} ; sans réponse : {figures.hung}")
    print(f"familles « enregistrées » : {len(figures.saved)} ; perdues : {len(lost)}")
    print(f"inscriptions en base : {len(registered)} ; sans courriel reçu : {len(unmailed)}")
    print(f"courriels reçus : {sum(received.values())} ; en double : {duplicates}")
    print(f"courriels non envoyés à la fin : {unsent} ; tracebacks au journal : {tracebacks}")
    if recovered_in is None:
        print("/healthz : toujours pas 200 30 s après l'orage (processus bloqué)")
    else:
        print(f"/healthz à nouveau 200 après {recovered_in:.1f} s")
    healthy = recovered_in is not None and not (
        figures.hung or figures.statuses[500] or lost or unmailed
    )
    return 0 if healthy else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--secondes", type=float, default=28.0)
    sys.exit(asyncio.run(main(parser.parse_args().secondes)))

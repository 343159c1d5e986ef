"""PostgreSQL restarted under load: the application answers again by itself, in French meanwhile.

Run it with `.venv/bin/python benchmarks/faults/postgres_restart.py` on a machine whose PostgreSQL
(127.0.0.1:5432, user `postgres`) may be restarted: it restarts the machine's cluster with
`pg_ctlcluster`, which disturbs anything else using it, so it is a script run by hand and not a
test. It serves the application (uvicorn, 2 workers) on the database `ws_restart`, keeps 10
clients asking for the catalogue and a workshop page, restarts PostgreSQL, and prints a verdict:
- no request hangs (each answered within 10 s);
- while the database is away, every answer is a 200 or a French error page (500 or 503);
- within 30 s after the restart, the application answers 200 again with nobody touching it.
Exit code 0 when all three hold, 1 otherwise.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.load import PG, cli, free_port

DATABASE = "ws_restart"
CLIENTS = 10
HANG = 10.0
RECOVERY = 30.0
FRENCH = ("Service momentanément indisponible", "Erreur du serveur")


@dataclass
class Watch:
    statuses: Counter[str] = field(default_factory=Counter)
    hangs: int = 0
    not_french: list[str] = field(default_factory=list)
    last_failure: float = 0.0
    first_ok_after_restart: float | None = None


def recreate_database() -> None:
    for sql in (f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", f"CREATE DATABASE {DATABASE}"):
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True, timeout=60
        )


def restart_postgres() -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        timeout=120,
    )


async def keep_asking(base: str, watch: Watch, stop: float, restarted: list[float]) -> None:
    async with httpx.AsyncClient(timeout=HANG) as client:
        paths = ["/", "/ateliers/1"]
        number = 0
        while time.monotonic() < stop:
            number += 1
            try:
                response = await client.get(base + paths[number % 2])
            except httpx.TimeoutException:
                watch.hangs += 1
                watch.statuses["sans réponse"] += 1
                continue
            except httpx.HTTPError as error:
                watch.statuses[type(error).__name__] += 1
                watch.last_failure = time.monotonic()
                await asyncio.sleep(0.05)
                continue
            watch.statuses[str(response.status_code)] += 1
            if response.status_code == 200:
                if restarted and watch.first_ok_after_restart is None:
                    watch.first_ok_after_restart = time.monotonic()
            else:
                watch.last_failure = time.monotonic()
                if not any(text in response.text for text in FRENCH):
                    watch.not_french.append(f"{response.status_code}: {response.text[:200]}")
            await asyncio.sleep(0.02)


async def watch_a_restart(base: str) -> tuple[Watch, float]:
    """Clients asking all along; PostgreSQL restarted after 5 s; until recovery (or 30 s)."""
    watch = Watch()
    restarted: list[float] = []
    stop = time.monotonic() + 5 + 120 + RECOVERY
    clients = [
        asyncio.create_task(keep_asking(base, watch, stop, restarted)) for _ in range(CLIENTS)
    ]
    await asyncio.sleep(5)
    began = time.monotonic()
    await asyncio.to_thread(restart_postgres)
    restarted.append(time.monotonic())
    print(f"PostgreSQL redémarré en {restarted[0] - began:.1f} s")
    for _ in range(int(RECOVERY / 0.2)):
        if watch.first_ok_after_restart is not None:
            break
        await asyncio.sleep(0.2)
    await asyncio.sleep(3)  # some answers after recovery, to see they stay good
    for task in clients:
        task.cancel()
    await asyncio.gather(*clients, return_exceptions=True)
    return watch, restarted[0]


def serve(env: dict[str, str], port: int, log: IO[str]) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "uvicorn", "workshops.app:create_app", "--factory"]
    args += ["--host", "127.0.0.1", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the application did not start")


def main() -> int:
    recreate_database()
    data_dir = Path(tempfile.mkdtemp(prefix="ws-restart-"))
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DATABASE}",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATA_DIR": str(data_dir),
        "BASE_URL": f"http://127.0.0.1:{port}",
    }
    cli(env, "migrate")
    cli(env, "demo")
    with (data_dir / "server.log").open("w") as log:
        server = serve(env, port, log)
        try:
            watch, restarted = asyncio.run(watch_a_restart(f"http://127.0.0.1:{port}"))
        finally:
            server.terminate()
            server.wait(timeout=30)
    recovered = watch.first_ok_after_restart
    print(f"Réponses : {dict(watch.statuses)}")
    print(f"Requêtes restées sans réponse plus de {HANG:.0f} s : {watch.hangs}")
    print(f"Pages d'erreur non françaises : {len(watch.not_french)} {watch.not_french[:3]}")
    if recovered is not None:
        print(f"Première réponse 200 après le redémarrage : {recovered - restarted:.1f} s")
    healthy = recovered is not None and watch.last_failure < recovered + 3
    verdict = watch.hangs == 0 and not watch.not_french and healthy
    print("VERDICT : " + ("RÉUSSI" if verdict else "ÉCHEC"))
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())

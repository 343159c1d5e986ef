"""The whole Département's year beside the previous one, as served: `GET /pro/bilans` over HTTP.

Run after `benchmarks/evaluation_dataset.py --scale 1`, with the same DATABASE_URL (or DATA_DIR):
`.venv/bin/python -m benchmarks.evaluation_served`. It adds a coordinator of the data set's PMI,
serves the application with `workshops serve` (no worker in the process, so that nothing computes
behind the measurement), signs in, and prints, for the calendar year 2024 with 2023:
- cold: no kept figures (the first reader after a deployment): both years are computed;
- kept: the median of 5 pages once the figures are kept (goal: under 1 s);
- after a late change: an attendance mark of 2024 changed, so 2024 is stale and 2023 still kept;
  then the same page once the worker has computed 2024 again (`refresh_kept_figures`);
- the cost of the triggers on writes: the median time of one attendance update (each forgets
  the kept figures it can move), with kept figures present.
Not a test.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from workshops.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from workshops.accounts.passwords import hash_password
from workshops.evaluation.figures import refresh_kept_figures
from workshops.kernel import db
from workshops.kernel.clock import utc_now
from workshops.kernel.settings import load_settings

EMAIL = "coordination@bench.example"
PASSWORD = "banc-d-essai-evaluation"
PAGE = "/pro/bilans?portee=tout&annee=2024"
RUNS = 5
ROOT = Path(__file__).resolve().parent.parent


async def _coordinator() -> None:
    pmi = await Organisation.get(kind=OrganisationKind.PMI)
    user = await User.get_or_none(email=EMAIL)
    if user is None:
        user = await User.create(email=EMAIL, full_name="Coordination", password_hash="")
    await User.filter(id=user.id).update(password_hash=hash_password(PASSWORD))
    await Membership.get_or_create(user_id=user.id, organisation_id=pmi.id, role=Role.COORDINATOR)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _timed(work: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    await work()
    return round(time.perf_counter() - started, 3)


async def _median(work: Callable[[], Awaitable[Any]]) -> float:
    return round(statistics.median([await _timed(work) for _run in range(RUNS)]), 3)


async def _page(client: httpx.AsyncClient) -> None:
    response = await client.get(PAGE)
    assert response.status_code == 200, response.status_code
    assert "Taux de remplissage" in response.text


async def _late_change() -> None:
    """One attendance mark of 2024 changed, as a facilitator correcting a sheet would."""
    [row] = await db.fetch(
        "SELECT a.id, a.status FROM attendance a JOIN workshop_session s ON s.id = a.session_id "
        "WHERE s.starts_at >= '2024-06-01' AND s.starts_at < '2024-07-01' ORDER BY a.id LIMIT 1",
        [],
    )
    other = "absent" if row["status"] != "absent" else "present"
    await db.execute("UPDATE attendance SET status = ? WHERE id = ?", [other, row["id"]])


async def _write_cost() -> float:
    """The median time of one attendance update (in its own transaction), triggers included."""
    rows = await db.fetch("SELECT id, status FROM attendance ORDER BY id DESC LIMIT 50", [])
    durations = []
    for row in rows:
        started = time.perf_counter()
        await db.execute(
            "UPDATE attendance SET status = ? WHERE id = ?", [row["status"], row["id"]]
        )
        durations.append(time.perf_counter() - started)
    return round(statistics.median(durations) * 1000, 2)


async def main() -> None:
    settings = load_settings()
    await db.connect(settings)
    await _coordinator()
    await db.execute("DELETE FROM evaluation_kept", [])
    port = _free_port()
    env = {**os.environ, "RUN_WORKER_IN_PROCESS": "0"}
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "workshops.cli", "serve", "--port", str(port),
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for _attempt in range(100):
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)
            login = await client.post("/pro/connexion", data={"email": EMAIL, "password": PASSWORD})
            assert login.status_code == 303, login.status_code
            results = {
                "database": "postgresql" if settings.is_postgres else "sqlite",
                "cold_s": await _timed(lambda: _page(client)),
                "kept_s": await _median(lambda: _page(client)),
            }
            await _late_change()
            results["after_late_change_s"] = await _timed(lambda: _page(client))
            await _late_change()
            results["worker_refresh_s"] = await _timed(lambda: refresh_kept_figures(utc_now()))
            results["after_worker_s"] = await _median(lambda: _page(client))
            results["attendance_update_ms"] = await _write_cost()
        print(json.dumps(results, indent=2))
    finally:
        server.terminate()
        await asyncio.wait_for(server.wait(), timeout=30)
        await db.disconnect()


if __name__ == "__main__":
    asyncio.run(main())

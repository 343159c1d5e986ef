"""A storm of cut database connections during a burst of sign-ups and page loads.

One `workshops serve` process on PostgreSQL, its connections named (`application_name`) so that
a second connection can cut them, and only them, with `pg_terminate_backend` every `every`
seconds for `seconds`, while families sign up and others read pages. Used by the fault test
(`test_connection_storm.py`, a short storm) and by `benchmarks/faults/storm.py` (a long one).
What is measured: whether each request was answered in time (a hang is a request without an
answer within `REQUEST_TIMEOUT`), with which status, and, after the storm, whether every family
told "saved" is in the database with one e-mail and whether the process answers again by itself.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlencode

import asyncpg
import httpx

from tests.faults.processes import start_web

APPLICATION_NAME = "workshops-storm"
REQUEST_TIMEOUT = 15.0
CLIENTS = 8
# Small, so that connections leaked by the storm would soon leave none.
POOL_SIZE = 2


@dataclass
class StormFigures:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    hung: int = 0
    cuts: int = 0
    slowest: float = 0.0
    # Families whose sign-up was answered with the page of a saved registration.
    saved: set[str] = field(default_factory=set)
    refused: list[str] = field(default_factory=list)

    def line(self) -> str:
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        return (
            f"{self.requests} requêtes ({statuses}), {self.hung} sans réponse, "
            f"{self.cuts} connexions coupées, la plus lente {self.slowest:.1f} s"
        )


def start_storm_server(
    *, database_url: str, data_dir: Path, secret_key: str, port: int, log: BinaryIO
) -> subprocess.Popen[bytes]:
    """The web process the storm cuts: its connections named, its pool small."""
    return start_web(
        database_url=named_url(database_url),
        data_dir=data_dir,
        secret_key=secret_key,
        port=port,
        log=log,
        DATABASE_POOL_SIZE=str(POOL_SIZE),
        DATABASE_ACQUIRE_TIMEOUT="3",
    )


def named_url(database_url: str) -> str:
    """The database URL with the storm's application name, so that only its server is cut."""
    separator = "&" if "?" in database_url else "?"
    return database_url + separator + urlencode({"application_name": APPLICATION_NAME})


async def cut_connections(
    database_url: str, *, seconds: float, every: float, figures: StormFigures
) -> None:
    """`pg_terminate_backend` on every connection of the storm's server, again and again."""
    killer = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            cut = await killer.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = $1",
                APPLICATION_NAME,
            )
            figures.cuts += int(cut)
            await asyncio.sleep(every)
    finally:
        await killer.close()


async def server_connections(database_url: str) -> dict[str, int]:
    """The storm server's connections by state (idle, active, idle in transaction...)."""
    reader = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        rows = await reader.fetch(
            "SELECT coalesce(state, '?') AS state, count(*) AS n FROM pg_stat_activity"
            " WHERE application_name = $1 GROUP BY 1",
            APPLICATION_NAME,
        )
    finally:
        await reader.close()
    return {row["state"]: row["n"] for row in rows}


def sign_up_form(number: int, child_month: str) -> dict[str, str]:
    return {
        "parent_name": f"Famille d'orage {number}",
        "email": f"orage{number}@exemple.fr",
        "commune": "Haguenau",
        "adults": "1",
        "child_1_kind": "born",
        "child_1_month": child_month,
        "first_time": "oui",
        "heard_from": "pmi",
        "reminders": "oui",
    }


async def burst(
    base: str,
    *,
    workshop_id: int,
    families: range,
    page_loads: int,
    child_month: str,
    figures: StormFigures,
) -> None:
    """Sign-ups of `families` and `page_loads` page reads, by CLIENTS clients at once."""
    work: list[tuple[str, int]] = [("famille", n) for n in families]
    work += [("page", n) for n in range(page_loads)]
    work.sort(key=lambda item: item[1])  # sign-ups and reads interleaved
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(
        timeout=REQUEST_TIMEOUT, headers={"Origin": base}, limits=limits
    ) as client:

        async def one(kind: str, number: int) -> None:
            started = time.monotonic()
            try:
                if kind == "famille":
                    answer = await client.post(
                        f"{base}/ateliers/{workshop_id}/inscription",
                        data=sign_up_form(number, child_month),
                    )
                else:
                    path = "/" if number % 2 else f"/ateliers/{workshop_id}"
                    answer = await client.get(base + path)
            except httpx.TimeoutException:
                figures.hung += 1
                return
            finally:
                figures.requests += 1
                figures.slowest = max(figures.slowest, time.monotonic() - started)
            figures.statuses[answer.status_code] += 1
            if kind == "famille" and answer.status_code == 200 and "Merci" in answer.text:
                figures.saved.add(f"orage{number}@exemple.fr")
            elif kind == "famille":
                figures.refused.append(f"orage{number}@exemple.fr")

        queue = list(work)

        async def client_loop() -> None:
            while queue:
                await one(*queue.pop(0))

        await asyncio.gather(*(client_loop() for _ in range(CLIENTS)))

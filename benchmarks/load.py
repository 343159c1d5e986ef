"""The catalogue and the sign-up under load, on PostgreSQL with four uvicorn workers.

Run it with `.venv/bin/python -m benchmarks.load [seconds] [--rafales N] [--only catalogue|rafale]
[--socket]` (PostgreSQL on 127.0.0.1:5432, user `postgres`; with `--socket` the application and
the ceiling reach it by its Unix socket in /var/run/postgresql). It (re)creates the database
`ws_load`, migrates it, loads the demo and 200 more published workshops, analyses it, then
serves on loopback ports:
- the application: `uvicorn --workers 4 workshops.app:create_app`;
- the ceiling: `benchmarks/ceiling_app.py` (the catalogue's own statements through asyncpg), also
  4 workers.
It prints, for each, the requests per second and the p50/p99 latency of `GET /` under 50
concurrent clients for a bounded time (and the application again with every page rendered anew);
then N bursts of 1,000 simultaneous sign-ups, each for a workshop of 12 places (answers by status,
sign-ups per second, processor shares, what the database holds); and the memory (RSS) of each
application worker. The client is `benchmarks/rawhttp.py`. Not a test: figures, with the goals
beside them. Everything it starts, it stops.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

from benchmarks import rawhttp

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432"
# The same server through its Unix socket (`--socket`): no loopback TCP on the way.
PG_SOCKET = "postgres://postgres@/{database}?host=/var/run/postgresql"
DATABASE = "ws_load"
CLIENTS = 50
EXTRA_WORKSHOPS = 200
BURST = 1000
BURST_PLACES = 12
POSITION = re.compile(r"liste d'attente, en position (\d+)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def recreate_database() -> None:
    admin = await asyncpg.connect(f"{PG}/postgres")
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {DATABASE}")
    finally:
        await admin.close()


def cli(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "workshops.cli", *args],
        env=env,
        check=True,
        timeout=300,
        capture_output=True,
    )


async def add_workshops(env: dict[str, str], bursts: int) -> list[int]:
    """Published workshops enough to fill several catalogue pages, and the burst's workshop
    (12 places, no age or commune rule). Returns the burst workshop's id."""
    from workshops.accounts.models import Organisation, User
    from workshops.kernel import db
    from workshops.kernel.settings import load_settings
    from workshops.planning.models import Session, Theme, Workshop, WorkshopStatus
    from workshops.rooms.models import BookingStatus, Room, RoomBooking

    settings = load_settings(env)
    await db.connect(settings)
    try:
        pmi = await Organisation.get(kind="pmi")
        author = await User.get(email="puericultrice@demo.ateliers.example")
        themes = list(await Theme.all())
        rooms = list(await Room.all())
        start = datetime.now(UTC).replace(hour=17, minute=0, second=0, microsecond=0)
        burst_ids = []
        for number in range(EXTRA_WORKSHOPS + bursts):
            theme = themes[number % len(themes)]
            is_burst = number >= EXTRA_WORKSHOPS
            workshop = await Workshop.create(
                organisation_id=pmi.id,
                theme_id=theme.id,
                title="Atelier de la rafale" if is_burst else f"{theme.name} – groupe {number}",
                description=theme.description,
                capacity=BURST_PLACES if is_burst else 8,
                prenatal=False if is_burst else theme.prenatal,
                min_age_months=None if is_burst else theme.min_age_months,
                max_age_months=None if is_burst else theme.max_age_months,
                status=WorkshopStatus.PUBLISHED,
                created_by_id=author.id,
            )
            if is_burst:
                burst_ids.append(workshop.id)
            for week in range(2):
                starts_at = start + timedelta(days=14 + number // len(rooms) + 200 * week)
                booking = await RoomBooking.create(
                    room_id=rooms[number % len(rooms)].id,
                    requested_by_id=author.id,
                    organisation_id=pmi.id,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=90),
                    status=BookingStatus.CONFIRMED,
                    decided_at=datetime.now(UTC),
                )
                await Session.create(
                    workshop_id=workshop.id,
                    booking_id=booking.id,
                    starts_at=booking.starts_at,
                    ends_at=booking.ends_at,
                )
        return burst_ids
    finally:
        await db.disconnect()


@contextmanager
def serve(target: str, port: int, env: dict[str, str], log: Path) -> Iterator[int]:
    """uvicorn with 4 workers on a loopback port; yields the master's pid, stops it after."""
    args = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port)]
    args += ["--workers", "4", "--log-level", "warning"]
    if target.endswith("create_app"):
        args.append("--factory")
    with log.open("w") as out:
        process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
            else:
                raise RuntimeError(f"{target} did not start: {log.read_text()}")
            yield process.pid
        finally:
            process.terminate()
            process.wait(timeout=30)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def line(self, name: str) -> str:
        cuts = statistics.quantiles(self.latencies, n=100)
        rate = len(self.latencies) / self.seconds
        return (
            f"{name:<22} {rate:8.0f} req/s   p50 {cuts[49] * 1000:6.1f} ms   "
            f"p99 {cuts[98] * 1000:6.1f} ms   "
            f"({len(self.latencies)} requests, {dict(self.statuses)})"
        )


async def hammer(port: int, seconds: float, *, fresh: bool = False) -> Run:
    """CLIENTS clients, each on its own kept-alive connection asking for the catalogue's first
    page again as soon as answered, until the deadline. `fresh`: each address differs by a
    parameter the catalogue ignores, so that no page written before is sent again."""
    run = Run()
    deadline = time.monotonic() + seconds
    numbers = itertools.count()

    async def one_client() -> None:
        connection = rawhttp.Connection("127.0.0.1", port)
        try:
            while time.monotonic() < deadline:
                began = time.perf_counter()
                answer = await connection.get(f"/?n={next(numbers)}" if fresh else "/")
                run.latencies.append(time.perf_counter() - began)
                run.statuses[answer.status] += 1
        finally:
            await connection.close()

    began = time.monotonic()
    await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
    run.seconds = time.monotonic() - began
    return run


def sign_up_form(number: int) -> dict[str, str]:
    born = datetime.now(UTC).date().replace(day=1) - timedelta(days=100)
    return {
        "parent_name": f"Parent {number}",
        "email": f"rafale{number}@exemple.fr",
        "commune": "Haguenau",
        "adults": "1",
        "child_1_kind": "born",
        "child_1_month": born.strftime("%Y-%m"),
        "first_time": "oui",
        "heard_from": "pmi",
    }


def cpu_times() -> tuple[float, float]:
    """Busy and total processor time of the machine so far (all cores, in clock ticks)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def process_ticks(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


def postgres_pids() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


async def burst(port: int, workshop_id: int, workers: list[int]) -> None:
    """BURST families sending the form at the same instant, each on a connection of its own."""
    path = f"/ateliers/{workshop_id}/inscription"
    forms = [sign_up_form(number) for number in range(BURST)]
    database_pids = postgres_pids()
    busy_before, total_before = cpu_times()
    app_before, pg_before = process_ticks(workers), process_ticks(database_pids)
    began = time.monotonic()
    answers = await asyncio.gather(
        *(
            # Each family from an address of its own, as uvicorn reads it behind a proxy.
            rawhttp.post_once(
                "127.0.0.1", port, path, form, {"X-Forwarded-For": f"10.0.{n // 250}.{n % 250}"}
            )
            for n, form in enumerate(forms)
        ),
        return_exceptions=True,
    )
    seconds = time.monotonic() - began
    busy_after, total_after = cpu_times()
    cores = os.cpu_count() or 1
    app_share = (process_ticks(workers) - app_before) / (total_after - total_before) * cores
    pg_share = (process_ticks(postgres_pids()) - pg_before) / (total_after - total_before) * cores
    statuses = Counter(a.status if isinstance(a, rawhttp.Answer) else repr(a) for a in answers)
    texts = [a.body for a in answers if isinstance(a, rawhttp.Answer)]
    confirmed_pages = sum("est confirmée" in text for text in texts)
    positions = sorted(int(m.group(1)) for text in texts if (m := POSITION.search(text)))
    print(
        f"\nRafale de {BURST} inscriptions pour {BURST_PLACES} places : {seconds:.2f} s, "
        f"{BURST / seconds:.0f} inscriptions/s (objectif >= 300)"
    )
    print(f"  réponses : {dict(statuses)}")
    print(
        f"  processeurs occupés : {(busy_after - busy_before) / (total_after - total_before):.0%}"
        f" de {cores} cœurs (workers de l'application {app_share:.2f} cœur,"
        f" PostgreSQL {pg_share:.2f} cœur, le reste : client de charge et système)"
    )
    print(
        f"  pages « confirmée » : {confirmed_pages} ; positions d'attente annoncées : "
        f"{len(positions)}, de 1 à {BURST - BURST_PLACES} sans trou ni doublon : "
        f"{positions == list(range(1, BURST - BURST_PLACES + 1))}"
    )
    database = await asyncpg.connect(f"{PG}/{DATABASE}")
    try:
        counts = dict(
            await database.fetch(
                "SELECT status, count(*) FROM registration WHERE workshop_id = $1 GROUP BY status",
                workshop_id,
            )
        )
        taken = await database.fetchval(
            "SELECT places_taken FROM workshop WHERE id = $1", workshop_id
        )
    finally:
        await database.close()
    print(
        f"  base : {counts}, places prises {taken} "
        f"(objectif : {BURST_PLACES} confirmées, {BURST - BURST_PLACES} en attente)"
    )


def print_memory(label: str, master: int) -> None:
    workers = children(master)
    figures = ", ".join(f"{rss_mib(pid):.0f}" for pid in workers)
    print(f"  RSS des workers ({label}) : {figures} Mio")


async def analyse() -> None:
    """Statistics for the planner, as autovacuum would have gathered them on a live database:
    without them PostgreSQL plans the freshly loaded tables as empty (the ceiling's query then
    takes 30 ms instead of 2)."""
    database = await asyncpg.connect(f"{PG}/{DATABASE}")
    try:
        await database.execute("ANALYZE")
    finally:
        await database.close()


async def main(seconds: float, parts: set[str], bursts: int, socket: bool) -> None:
    await recreate_database()
    data_dir = Path(tempfile.mkdtemp(prefix="ws-load-"))
    app_port, ceiling_port = free_port(), free_port()
    env = {
        **os.environ,
        "DATABASE_URL": PG_SOCKET.format(database=DATABASE) if socket else f"{PG}/{DATABASE}",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATA_DIR": str(data_dir),
        "BASE_URL": f"http://127.0.0.1:{app_port}",
        "PYTHONPATH": str(ROOT),
    }
    cli(env, "migrate")
    cli(env, "demo")
    burst_ids = await add_workshops(env, bursts)
    await analyse()
    print(
        f"Machine : {os.cpu_count()} cœurs ; base {DATABASE} : démo + {EXTRA_WORKSHOPS} ateliers,"
        f" jointe par {'le socket Unix' if socket else 'TCP (127.0.0.1)'}"
    )
    with (
        serve("workshops.app:create_app", app_port, env, data_dir / "app.log") as master,
        serve("benchmarks.ceiling_app:app", ceiling_port, env, data_dir / "ceiling.log"),
    ):
        await hammer(ceiling_port, 2)
        await hammer(app_port, 2)
        print_memory("au repos, après chauffe", master)
        if "catalogue" in parts:
            await measure_catalogue(app_port, ceiling_port, master, seconds)
        if "rafale" in parts:
            for burst_id in burst_ids:
                await burst(app_port, burst_id, children(master))
            print_memory("après la rafale", master)


async def measure_catalogue(app_port: int, ceiling_port: int, master: int, seconds: float) -> None:
    ceiling = await hammer(ceiling_port, seconds)
    load = asyncio.create_task(hammer(app_port, seconds))
    peak: dict[int, float] = {}
    while not load.done():
        for pid in children(master):
            peak[pid] = max(peak.get(pid, 0.0), rss_mib(pid))
        await asyncio.sleep(0.5)
    catalogue = load.result()
    rendered = await hammer(app_port, seconds, fresh=True)
    print(f"\nCatalogue GET / sous {CLIENTS} clients, {seconds:.0f} s chacun :")
    print(ceiling.line("plafond (asyncpg)"))
    print(catalogue.line("application"))
    print(rendered.line("appli., tout réécrit"))
    p99 = statistics.quantiles(catalogue.latencies, n=100)[98] * 1000
    print(
        f"  part du plafond : {catalogue.rate / ceiling.rate:.0%} (objectif >= 60 %) ;"
        f" p99 {p99:.0f} ms (objectif < 100 ms)"
    )
    print(
        "  part du plafond quand chaque page est réécrite par les gabarits : "
        f"{rendered.rate / ceiling.rate:.0%}"
    )
    print(
        "  RSS maximal des workers pendant la charge : "
        + ", ".join(f"{v:.0f}" for v in peak.values())
        + " Mio"
    )


if __name__ == "__main__":
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("seconds", nargs="?", type=float, default=20.0)
    options.add_argument(
        "--only", choices=["catalogue", "rafale"], help="one of the two measures only"
    )
    options.add_argument(
        "--rafales", type=int, default=1, help="how many bursts, each on a workshop of its own"
    )
    options.add_argument(
        "--socket",
        action="store_true",
        help="the application and the ceiling reach PostgreSQL by its Unix socket, not TCP",
    )
    arguments = options.parse_args()
    chosen = {arguments.only} if arguments.only else {"catalogue", "rafale"}
    asyncio.run(main(arguments.seconds, chosen, arguments.rafales, arguments.socket))

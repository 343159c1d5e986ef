"""Where the processor time of one sign-up goes: the application called in ASGI, no server.

Run `.venv/bin/python -m benchmarks.profile_signup [count] [--sans-profil] [--socket]` after
`benchmarks.load` has made the database `ws_load` (PostgreSQL on 127.0.0.1:5432, or by its Unix
socket with `--socket`). It empties the registrations of one of its burst workshops (12
places), sends `count` sign-ups one after the other straight to the ASGI application (no HTTP
server, no client: only the application's own work and its SQL round trips), prints the time
per sign-up and the processor time of the application and of PostgreSQL, then sends as many
again under cProfile and prints the functions that cost most. Not a test: figures.
"""

from __future__ import annotations

import asyncio
import cProfile
import os
import pstats
import secrets
import sys
import tempfile
import time
from typing import Any
from urllib.parse import urlencode

import asyncpg

from benchmarks.load import (
    DATABASE,
    PG,
    PG_SOCKET,
    postgres_pids,
    process_ticks,
    sign_up_form,
)


async def reset_workshop() -> int:
    """A burst workshop of `ws_load`, emptied: no registration, no place taken, no e-mail."""
    database = await asyncpg.connect(f"{PG}/{DATABASE}")
    try:
        workshop_id: int = await database.fetchval(
            "SELECT id FROM workshop WHERE title = 'Atelier de la rafale' ORDER BY id LIMIT 1"
        )
        await database.execute("DELETE FROM registration WHERE workshop_id = $1", workshop_id)
        await database.execute("UPDATE workshop SET places_taken = 0 WHERE id = $1", workshop_id)
        await database.execute("DELETE FROM outbox_message")
        await database.execute("DELETE FROM signup_attempt")
        await database.execute("VACUUM ANALYZE registration")
    finally:
        await database.close()
    return workshop_id


async def post(app: Any, path: str, form: dict[str, str], address: str) -> int:
    """One POST through the ASGI interface, as uvicorn would send it."""
    body = urlencode(form).encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": (address, 40000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def main(count: int, profiled: bool, socket: bool) -> None:
    from workshops.app import create_app
    from workshops.kernel import db
    from workshops.kernel.settings import load_settings

    os.environ.update(
        {
            "DATABASE_URL": PG_SOCKET.format(database=DATABASE) if socket else f"{PG}/{DATABASE}",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DATA_DIR": tempfile.mkdtemp(prefix="ws-profile-"),
            "BASE_URL": "http://127.0.0.1:8000",
        }
    )
    settings = load_settings()
    app = create_app(settings)
    workshop_id = await reset_workshop()
    path = f"/ateliers/{workshop_id}/inscription"
    await db.connect(settings)
    try:
        for number in range(20):  # warm-up: templates compiled, pool filled
            await post(app, path, sign_up_form(100_000 + number), f"10.9.0.{number}")
        database_before = process_ticks(postgres_pids())
        began, processor = time.perf_counter(), time.process_time()
        statuses = [
            await post(app, path, sign_up_form(n), f"10.1.{n // 250}.{n % 250}")
            for n in range(count)
        ]
        seconds = time.perf_counter() - began
        processor = time.process_time() - processor
        database = (process_ticks(postgres_pids()) - database_before) / os.sysconf("SC_CLK_TCK")
        print(
            f"{count} inscriptions une à une : {seconds / count * 1000:.2f} ms chacune, "
            f"dont {processor / count * 1000:.2f} ms de processeur de l'application "
            f"et {database / count * 1000:.2f} ms de PostgreSQL"
        )
        print(f"  statuts : { {s: statuses.count(s) for s in set(statuses)} }")
        if not profiled:
            return
        profile = cProfile.Profile()
        profile.enable()
        for n in range(count, 2 * count):
            await post(app, path, sign_up_form(n), f"10.2.{n // 250}.{n % 250}")
        profile.disable()
        stats = pstats.Stats(profile, stream=sys.stdout)
        stats.sort_stats("tottime").print_stats(35)
        stats.sort_stats("cumulative").print_stats(60)
    finally:
        await db.disconnect()


if __name__ == "__main__":
    numbers = [int(arg) for arg in sys.argv[1:] if arg.isdigit()]
    count = numbers[0] if numbers else 300
    asyncio.run(main(count, "--sans-profil" not in sys.argv, "--socket" in sys.argv))

"""Whether a sign-up's timing tells a new address from a known one (DESIGN rule 7).

Run `.venv/bin/python -m benchmarks.signup_enumeration [rounds]` (SQLite in a temporary folder,
or PostgreSQL with `DATABASE_URL=postgres://...` on an empty database). Through the ASGI
application, as a stranger would post the form, it alternates sign-ups with a fresh address and
with an address already registered to the workshop, on a workshop with places (the answer is a
place / the link again, with the sessions' calendar) and on a full one (the waiting list / the
link again), and prints the median and quartiles of each path in milliseconds. Not a test:
figures, reported in RESULTS.md.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time

import httpx

from tests.planning.factories import make_workshop
from tests.signup.helpers import family
from workshops.app import create_app
from workshops.kernel import db
from workshops.kernel.settings import Settings, load_settings
from workshops.signup.registering import register_family

KNOWN = "deja-inscrite@exemple.fr"


def _form(email: str) -> dict[str, str]:
    return {
        "parent_name": "Léa Martin",
        "email": email,
        "commune": "Haguenau",
        "adults": "1",
        "child_1_kind": "born",
        "child_1_month": family().children[0].month.strftime("%Y-%m"),
        "first_time": "oui",
        "heard_from": "pmi",
        "reminders": "oui",
    }


async def _timed(client: httpx.AsyncClient, path: str, email: str) -> float:
    started = time.perf_counter()
    answer = await client.post(path, data=_form(email))
    elapsed = time.perf_counter() - started
    assert answer.status_code == 200, answer.text
    return elapsed * 1000


def _summary(name: str, times: list[float]) -> str:
    first, median, third = statistics.quantiles(times, n=4)
    return f"{name:<34} median {median:6.2f} ms   quartiles {first:6.2f} – {third:6.2f} ms"


async def _measure(settings: Settings, rounds: int) -> None:
    roomy = await make_workshop(capacity=30_000, sessions=4, title="Atelier avec places")
    full = await make_workshop(capacity=1, sessions=4, title="Atelier complet")
    await register_family(settings=settings, workshop_id=full.id, family=family())
    for workshop in (roomy, full):
        await register_family(settings=settings, workshop_id=workshop.id, family=family(KNOWN))
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
        for workshop, new_name, known_name in (
            (roomy, "new address (place)", "known address (confirmed)"),
            (full, "new address (waiting list)", "known address (waiting)"),
        ):
            path = f"/ateliers/{workshop.id}/inscription"
            for number in range(20):  # warm up: templates, statements, caches
                await _timed(client, path, f"echauffement{workshop.id}-{number}@exemple.fr")
                await _timed(client, path, KNOWN)
            new, known = [], []
            for number in range(rounds):
                new.append(await _timed(client, path, f"n{workshop.id}-{number}@exemple.fr"))
                known.append(await _timed(client, path, KNOWN))
            print(_summary(new_name, new))
            print(_summary(known_name, known))
            print(
                f"{'difference of medians':<34} "
                f"{statistics.median(known) - statistics.median(new):+6.2f} ms"
            )


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {
            "DATA_DIR": folder,
            "SECRET_KEY": "banc-d-essai-" + "x" * 40,
            "SIGNUP_MAX_PER_IP_PER_HOUR": "1000000",
        }
        if os.environ.get("DATABASE_URL"):
            env["DATABASE_URL"] = os.environ["DATABASE_URL"]
        settings = load_settings(env)
        await db.migrate(settings)
        await db.connect(settings)
        try:
            await _measure(settings, rounds)
        finally:
            await db.disconnect()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 300))

"""Faults: PostgreSQL cuts the web process's connections again and again during a burst.

Nothing restarts: the same process must answer every request within seconds (the 503 page while
it cannot reach the database), never a 500; every family told its sign-up was saved is in the
database with exactly one e-mail; a family that got the 503 page and tries again is registered
once; afterwards the process answers by itself, its connections idle (none left leaked in a
transaction) and as many requests at once as its pool holds. Before the fix, such a storm left
the process hung for good (`workshops/kernel/db.py`, `ReleasingTransactionContext`).
"""

from __future__ import annotations

import asyncio
import signal
from collections import Counter

import httpx
import pytest

from tests.conftest import TEST_DATABASE_URL
from tests.faults.processes import until_healthy
from tests.faults.storm import (
    StormFigures,
    burst,
    cut_connections,
    server_connections,
    sign_up_form,
    start_storm_server,
)
from tests.mail.smtp import free_port
from tests.planning.factories import make_workshop
from tests.signup.helpers import months_ago
from workshops.kernel.settings import Settings
from workshops.mail.models import OutboxMessage
from workshops.planning.models import Workshop
from workshops.signup.models import Registration

FAMILIES = 60
CAPACITY = 25


@pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="pg_terminate_backend: a storm on the PostgreSQL server only"
)
async def test_a_storm_of_cut_connections_hangs_nothing_loses_nothing_and_passes(
    database: Settings,
) -> None:
    workshop = await make_workshop(capacity=CAPACITY)
    child_month = months_ago(4).strftime("%Y-%m")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    figures = StormFigures()
    log_path = database.data_dir / "storm.log"
    with log_path.open("ab") as log:
        server = start_storm_server(
            database_url=database.database_url,
            data_dir=database.data_dir,
            secret_key=database.secret_key,
            port=port,
            log=log,
        )
        try:
            await until_healthy(base)
            await asyncio.gather(
                cut_connections(database.database_url, seconds=6, every=0.3, figures=figures),
                burst(
                    base,
                    workshop_id=workshop.id,
                    families=range(FAMILIES),
                    page_loads=FAMILIES,
                    child_month=child_month,
                    figures=figures,
                ),
            )
            recovered_in = await until_healthy(base, seconds=10)
            retried = await _families_try_again(base, workshop.id, figures, child_month)
            at_once = await _as_many_at_once_as_the_pool(base)
            connections = await server_connections(database.database_url)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=40)
    log_text = log_path.read_text(errors="replace")

    assert figures.cuts > 0 and figures.hung == 0, figures.line()
    assert figures.statuses[500] == 0, log_text[-3000:]
    assert set(figures.statuses) <= {200, 503}, figures.line()
    assert recovered_in < 10
    assert set(retried.values()) == {200}, retried
    assert at_once == [200] * 5
    assert connections.get("idle in transaction", 0) == 0, connections

    emails = await Registration.filter(workshop_id=workshop.id).values_list("email", flat=True)
    registered = Counter(str(email) for email in emails)
    families = {f"orage{number}@exemple.fr" for number in range(FAMILIES)}
    assert registered == Counter(families)  # the saved ones, and the retried ones once
    mailed = Counter(
        str(to) for to in await OutboxMessage.all().values_list("recipient", flat=True)
    )
    assert figures.saved and all(mailed[email] == 1 for email in figures.saved), mailed
    assert (await Workshop.get(id=workshop.id)).places_taken <= CAPACITY
    assert "Traceback" not in log_text


async def _families_try_again(
    base: str, workshop_id: int, figures: StormFigures, child_month: str
) -> dict[str, int]:
    """Every family not told "saved" sends its form again, once the storm is over."""
    answers = {}
    async with httpx.AsyncClient(timeout=15, headers={"Origin": base}) as client:
        for email in figures.refused:
            number = int(email.removeprefix("orage").partition("@")[0])
            answer = await client.post(
                f"{base}/ateliers/{workshop_id}/inscription", data=sign_up_form(number, child_month)
            )
            answers[email] = answer.status_code
    return answers


async def _as_many_at_once_as_the_pool(base: str) -> list[int]:
    """Five slow-ish pages at once: a slot leaked during the storm would leave one waiting."""
    async with httpx.AsyncClient(timeout=15) as client:
        answers = await asyncio.gather(*(client.get(base + "/") for _ in range(5)))
    return [answer.status_code for answer in answers]

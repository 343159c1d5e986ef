"""Rule 1: a workshop never has more confirmed places than its capacity, whatever the concurrency.

Places are taken by one conditional UPDATE (`places_taken + n <= capacity`), never by reading the
count and writing it back; a commune's quota is taken the same way on its own row. Every change
to a workshop's places first takes the workshop's lock (`lock_workshop`) so that sign-ups,
cancellations and promotions of one workshop follow each other: the order of registration ids
is then the order in which they were committed, which is the order of the waiting list.
The lock is the workshop's row (`workshops.kernel.db.lock_row`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from weakref import WeakValueDictionary

from workshops.kernel.db import execute
from workshops.planning import EligibleCommune, is_commune

_turns: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()


@asynccontextmanager
async def workshop_turn(workshop_id: int) -> AsyncIterator[None]:
    """Wait, in this process, for the other sign-ups of the workshop before opening a
    transaction: they then queue without each holding a database connection while the
    workshop's lock is busy, and the process's other requests still find connections. Only
    an order of arrival inside one process; `lock_workshop` remains the rule for all of them."""
    turn = _turns.get(workshop_id)
    if turn is None:
        turn = _turns[workshop_id] = asyncio.Lock()
    async with turn:
        yield


async def take_places(*, workshop_id: int, places: int, commune: EligibleCommune | None) -> bool:
    """Take `places` of the workshop (and of the commune's quota): True if both had room."""
    if commune is not None:
        took_quota = await execute(
            'UPDATE "workshop_commune" SET "places_taken" = "places_taken" + ? '
            'WHERE "id" = ? AND ("quota" IS NULL OR "places_taken" + ? <= "quota")',
            [places, commune.id, places],
        )
        if not took_quota:
            return False
    took = await execute(
        'UPDATE "workshop" SET "places_taken" = "places_taken" + ? '
        'WHERE "id" = ? AND "places_taken" + ? <= "capacity"',
        [places, workshop_id, places],
    )
    if not took and commune is not None:
        await _release_quota(commune_id=commune.id, places=places)
    return bool(took)


async def release_places(*, workshop_id: int, places: int, commune: EligibleCommune | None) -> None:
    """Give back places of a confirmed registration that is cancelled."""
    await execute(
        'UPDATE "workshop" SET "places_taken" = "places_taken" - ? WHERE "id" = ?',
        [places, workshop_id],
    )
    if commune is not None:
        await _release_quota(commune_id=commune.id, places=places)


async def _release_quota(*, commune_id: int, places: int) -> None:
    await execute(
        'UPDATE "workshop_commune" SET "places_taken" = "places_taken" - ? WHERE "id" = ?',
        [places, commune_id],
    )


async def set_capacity(*, workshop_id: int, capacity: int) -> bool:
    """Change the capacity, never below the places already confirmed: True if it changed."""
    return bool(
        await execute(
            'UPDATE "workshop" SET "capacity" = ? WHERE "id" = ? AND "places_taken" <= ?',
            [capacity, workshop_id, capacity],
        )
    )


async def commune_of(*, workshop_id: int, code: str, name: str) -> EligibleCommune | None:
    """The eligible-commune row of the family's commune for this workshop, if it lists it."""
    for row in await EligibleCommune.filter(workshop_id=workshop_id):
        if is_commune(row, code=code, name=name):
            return row
    return None

"""The room lock: a second transaction on the same room waits for the first to end."""

from __future__ import annotations

import asyncio

from tests.rooms.factories import make_room
from workshops.kernel.db import transaction
from workshops.kernel.settings import Settings
from workshops.rooms.locking import lock_room


async def test_a_second_transaction_on_the_same_room_waits_for_the_first(
    database: Settings,
) -> None:
    room = await make_room()
    steps: list[str] = []

    async def first() -> None:
        async with transaction():
            await lock_room(room.id)
            steps.append("first holds the room")
            await asyncio.sleep(0.2)
            steps.append("first commits")

    async def second() -> None:
        await asyncio.sleep(0.05)
        async with transaction():
            await lock_room(room.id)
            steps.append("second holds the room")

    await asyncio.gather(first(), second())
    assert steps == ["first holds the room", "first commits", "second holds the room"]

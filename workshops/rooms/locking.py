"""The one lock of the rooms package: one room at a time for whatever must not overlap.

Decisions on requests (rule 3: confirming checks for an overlap, then writes; declining must not
undo a confirmation made meanwhile) and new weekly windows read and then write; two of them for
the same room must not run side by side. PostgreSQL: a row lock on the room.
SQLite: `select_for_update` does nothing there, so a write opens the transaction's write lock at
once, as `BEGIN IMMEDIATE` would; another writer, in this process or another, then waits for the
commit before it reads anything.
"""

from __future__ import annotations

from tortoise import connections

from workshops.rooms.models import Room


async def lock_room(room_id: int) -> None:
    """Hold `room_id` until the surrounding transaction ends; call it first in the transaction."""
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        await Room.select_for_update().filter(id=room_id).only("id")
    else:
        await connection.execute_query('UPDATE "room" SET "id" = "id" WHERE "id" = ?', [room_id])

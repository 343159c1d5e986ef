"""The one lock of the rooms package: one room at a time for whatever must not overlap.

Decisions on requests (rule 3: confirming checks for an overlap, then writes; declining must not
undo a confirmation made meanwhile) and new weekly windows read and then write; two of them for
the same room must not run side by side: they hold the room's row (`workshops.kernel.db.lock_row`).
"""

from __future__ import annotations

from workshops.kernel.db import lock_row


async def lock_room(room_id: int) -> None:
    """Hold `room_id` until the surrounding transaction ends; call it first in the transaction."""
    await lock_row("room", room_id)

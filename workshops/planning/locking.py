"""The workshop's lock: every change to a workshop's places or sessions takes it first.

Sign-ups, cancellations, promotions and the planning changes families feel follow each other,
one workshop at a time (`workshops.signup.capacity` says why). The lock is the workshop's row
(`workshops.kernel.db.lock_row`).
"""

from __future__ import annotations

from workshops.kernel.db import lock_row


async def lock_workshop(workshop_id: int) -> None:
    """Hold the workshop until the surrounding transaction ends; call it first."""
    await lock_row("workshop", workshop_id)

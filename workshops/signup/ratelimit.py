"""The per-address limit on public sign-ups, counted in the database (several web processes).

The address itself is not kept: only a SHA-256 of it, and only for the hour the limit looks at
(the worker deletes older attempts).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from workshops.db import fetch
from workshops.settings import Settings
from workshops.signup.models import SignupAttempt

WINDOW = timedelta(hours=1)


def _key(address: str) -> str:
    return hashlib.sha256(f"signup:{address}".encode()).hexdigest()


async def allow_signup_attempt(*, settings: Settings, address: str, now: datetime) -> bool:
    """Count this attempt; False when the address made too many in the last hour.

    One statement: the attempt is stored only if the address is under the limit. Attempts older
    than the hour are deleted by the worker (`forget_old_signup_attempts`)."""
    key = _key(address)
    # (Written as WITH ... INSERT ... RETURNING: Tortoise reads PostgreSQL's "INSERT 0 1" status
    # of a bare INSERT as no row inserted.)
    stored = await fetch(
        "WITH recent AS (SELECT count(*) AS n FROM signup_attempt"
        " WHERE key = ? AND created_at >= ?)"
        " INSERT INTO signup_attempt (key, created_at) SELECT ?, ? FROM recent WHERE n < ?"
        " RETURNING id",
        [key, now - WINDOW, key, now, settings.signup_max_per_ip_per_hour],
    )
    return bool(stored)


async def forget_old_signup_attempts(now: datetime) -> None:
    await SignupAttempt.filter(created_at__lt=now - WINDOW).delete()

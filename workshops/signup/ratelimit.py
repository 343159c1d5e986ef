"""The per-address limit on public sign-ups, counted in the database (several web processes).

The address itself is not kept: only a SHA-256 of it, and only for the hour the limit looks at
(the worker deletes older attempts).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from workshops.kernel.db import LimitReached, take_slots
from workshops.kernel.settings import Settings
from workshops.signup.models import SignupAttempt

WINDOW = timedelta(hours=1)


def _key(address: str) -> str:
    return hashlib.sha256(f"signup:{address}".encode()).hexdigest()


async def allow_signup_attempt(*, settings: Settings, address: str, now: datetime) -> bool:
    """Count this attempt; False when the address made too many in the last hour.

    The attempt takes its slot (`take_slots`: the key locked, the row written, then counted)
    before the sign-up is looked at, so simultaneous attempts from one address cannot pass the
    limit together. Attempts older than the hour are deleted by the worker
    (`forget_old_signup_attempts`)."""
    try:
        await take_slots(
            SignupAttempt,
            {_key(address): settings.signup_max_per_ip_per_hour},
            since=now - WINDOW,
            now=now,
        )
    except LimitReached:
        return False
    return True


async def forget_old_signup_attempts(now: datetime) -> None:
    await SignupAttempt.filter(created_at__lt=now - WINDOW).delete()

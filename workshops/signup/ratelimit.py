"""The per-address limit on public sign-ups, counted in the database (several web processes).

The address itself is not kept: only a SHA-256 of it, and only for the hour the limit looks at.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from workshops.settings import Settings
from workshops.signup.models import SignupAttempt

WINDOW = timedelta(hours=1)


def _key(address: str) -> str:
    return hashlib.sha256(f"signup:{address}".encode()).hexdigest()


async def allow_signup_attempt(*, settings: Settings, address: str, now: datetime) -> bool:
    """Count this attempt; False when the address made too many in the last hour."""
    key = _key(address)
    await SignupAttempt.filter(created_at__lt=now - WINDOW).delete()
    recent = await SignupAttempt.filter(key=key, created_at__gte=now - WINDOW).count()
    if recent >= settings.signup_max_per_ip_per_hour:
        return False
    await SignupAttempt.create(key=key)
    return True

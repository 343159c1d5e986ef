"""Server-side staff sessions: one row per login, named by the signed cookie (DESIGN section 2).

The cookie carries only a random secret; the row (found by the secret's SHA-256) says whose
session it is, since when, and when it was last used. So a session can be ended from the
server: logging out ends the row, and a copy of the cookie taken before opens nothing.

Rules decided here:
- a session ends after `SESSION_IDLE_HOURS` without a request; `last_seen_at` is written at most
  once a minute, so a busy page does not write on every request;
- logout ends this session; « Se déconnecter partout » ends all of the person's sessions;
- a password change ends the person's other sessions (the one that changed it stays open); a
  password reset by e-mail and a removal from an organisation end them all;
- the rows decide; the account's `session_version` is still raised by a password change or reset
  (an account-wide counter `load_staff` can check) but no longer stored in the cookie;
- ended and idle sessions are deleted by the worker (`forget_ended_sessions`).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from workshops.accounts.models import StaffSession, User
from workshops.kernel.clock import utc_now
from workshops.kernel.settings import Settings

TOUCH_EVERY = timedelta(minutes=1)
USER_AGENT_LENGTH = 200


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _idle_limit(settings: Settings) -> timedelta:
    return timedelta(hours=settings.session_idle_hours)


async def open_session(*, user: User, user_agent: str) -> str:
    """A new session of `user`; its secret, for the cookie (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = utc_now()
    await StaffSession.create(
        user_id=user.id,
        token_hash=_token_hash(token),
        user_agent=user_agent[:USER_AGENT_LENGTH],
        created_at=now,
        last_seen_at=now,
    )
    return token


async def find_session(token: str, *, settings: Settings) -> StaffSession | None:
    """The open session this secret names, touched as used; None if unknown, ended or idle."""
    if not token or len(token) > 100:
        return None
    now = utc_now()
    session = await StaffSession.get_or_none(
        token_hash=_token_hash(token),
        ended_at=None,
        last_seen_at__gt=now - _idle_limit(settings),
    )
    if session is not None and now - session.last_seen_at >= TOUCH_EVERY:
        await StaffSession.filter(id=session.id).update(last_seen_at=now)
        session.last_seen_at = now
    return session


async def end_session(token: str) -> None:
    await StaffSession.filter(token_hash=_token_hash(token), ended_at=None).update(
        ended_at=utc_now()
    )


async def end_sessions_of(user_id: int, *, keep_session_id: int | None = None) -> int:
    """End every open session of this person (but `keep_session_id`); how many were open."""
    sessions = StaffSession.filter(user_id=user_id, ended_at=None)
    if keep_session_id is not None:
        sessions = sessions.exclude(id=keep_session_id)
    return await sessions.update(ended_at=utc_now())


async def open_sessions_of(user_id: int, *, settings: Settings) -> list[StaffSession]:
    """The person's sessions still open, most recently used first: what the profile lists."""
    return list(
        await StaffSession.filter(
            user_id=user_id,
            ended_at=None,
            last_seen_at__gt=utc_now() - _idle_limit(settings),
        ).order_by("-last_seen_at")
    )


async def forget_ended_sessions(settings: Settings, *, now: datetime | None = None) -> None:
    """Worker job: ended sessions and those idle past the limit are deleted."""
    now = now or utc_now()
    await StaffSession.filter(ended_at__not_isnull=True).delete()
    await StaffSession.filter(last_seen_at__lte=now - _idle_limit(settings)).delete()

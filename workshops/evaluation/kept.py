"""Figures of finished periods, computed once and kept until their data changes.

The whole Département's year beside the previous one takes seconds to compute at full scale, and
both years are usually over: their figures only move when someone changes their data (a late
attendance mark, an erasure, the yearly anonymisation, a cancellation entered afterwards). So
the figures of a frame (scope, time zone, period) are kept once it is *settled*: its period has
ended and every session of its workshops, and every session that started in it, has ended, so
the moment `now` no longer decides whether a session is held or planned. From then on only a
change to the data can move them, and the database itself forgets them on each such change, in
the transaction of the change (`forgetting`).

Keeping never keeps figures that a change has overtaken:
1. the frame's row gets a fresh token, written and committed under the exclusive advisory lock
   that every change's trigger takes shared (PostgreSQL): changes made before are committed and
   visible to the computation, changes made after find the token and empty it;
2. the figures are computed, and the frame checked settled again;
3. they are kept only if the row still carries the token (`UPDATE ... WHERE token = ?`).
A row whose token a change has emptied is stale; the worker computes again the stale rows that
someone asked for lately (`refresh_stale`), so that the next reader finds them ready.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from workshops.evaluation.forgetting import LOCK
from workshops.evaluation.models import KeptFigures
from workshops.evaluation.scope import Frame, Period, Scope, ScopeKind
from workshops.kernel.clock import utc_now
from workshops.kernel.db import execute, fetch, is_postgres, transaction

Figures = dict[str, Any]
Compute = Callable[[Frame], Awaitable[Figures]]

# Stale rows asked for within this time are computed again by the worker; older ones wait for
# their next reader.
REFRESH_ASKED_WITHIN = timedelta(days=30)
# Rows computed again per pass of the worker (each can take seconds at Département scale).
REFRESH_PER_PASS = 4
# A reader marks the row asked again at most this often (a write per read would cost more than
# the read).
_ASKED_EVERY = timedelta(days=1)

# The last end of the sessions of the workshops that have a session starting in the period:
# a superset of the sessions an evaluation of the period reads.
_LAST_END = (
    "SELECT MAX(o.ends_at) AS last_end FROM workshop_session s "
    "JOIN workshop_session o ON o.workshop_id = s.workshop_id "
    "WHERE s.starts_at >= ? AND s.starts_at < ?"
)


def describe(frame: Frame) -> dict[str, Any]:
    """The frame as JSON: what its figures depend on (not `now`, once settled)."""
    scope = frame.scope
    organisations = None if scope.organisations is None else sorted(scope.organisations)
    return {
        "kind": scope.kind.value,
        "convention_id": scope.convention_id,
        "partner_id": scope.partner_id,
        "commune": scope.commune,
        "organisations": organisations,
        "zone": frame.zone.key,
        "first_day": frame.period.first_day.isoformat(),
        "last_day": frame.period.last_day.isoformat(),
        "label": frame.period.label,
    }


def frame_key(frame: Frame) -> str:
    """One row per frame: a digest of what the figures depend on (the label is only a name)."""
    described = {name: value for name, value in describe(frame).items() if name != "label"}
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def rebuild(described: dict[str, Any], *, now: datetime) -> Frame:
    """The frame `describe` wrote, as of `now`."""
    organisations = described["organisations"]
    scope = Scope(
        ScopeKind(described["kind"]),
        convention_id=described["convention_id"],
        partner_id=described["partner_id"],
        commune=described["commune"],
        organisations=None if organisations is None else frozenset(organisations),
    )
    period = Period(
        date.fromisoformat(described["first_day"]),
        date.fromisoformat(described["last_day"]),
        described["label"],
    )
    return Frame(period=period, scope=scope, zone=ZoneInfo(described["zone"]), now=now)


async def settled(frame: Frame) -> bool:
    """Whether time can no longer move the frame's figures (see the module's docstring)."""
    start, end = frame.period.bounds(frame.zone)
    if end > frame.now:
        return False
    [row] = await fetch(_LAST_END, [start, end])
    last_end = row["last_end"]
    if last_end is None:
        return True
    if isinstance(last_end, str):  # SQLite gives the text Tortoise wrote
        last_end = datetime.fromisoformat(last_end)
    return bool(last_end <= frame.now)


async def figures_of(frame: Frame, compute: Compute) -> Figures:
    """The frame's figures: kept ones when they are, else computed (and kept when settled)."""
    if not await settled(frame):
        return await compute(frame)
    key = frame_key(frame)
    row = await KeptFigures.filter(key=key).first()
    if row is not None and row.token and row.figures is not None:
        if row.asked_at < frame.now - _ASKED_EVERY:
            await KeptFigures.filter(id=row.id).update(asked_at=frame.now)
        return row.figures
    return await _compute_and_keep(frame, compute, key)


async def _compute_and_keep(
    frame: Frame, compute: Compute, key: str, *, asked: bool = True
) -> Figures:
    token = secrets.token_hex(16)
    await _claim(frame, key, token, asked=asked)
    figures = await compute(frame)
    if await settled(frame):
        await KeptFigures.filter(key=key, token=token).update(figures=figures, kept_at=utc_now())
    else:  # a session was added to the frame's workshops, in the future, while computing
        await KeptFigures.filter(key=key, token=token).delete()
    return figures


async def _claim(frame: Frame, key: str, token: str, *, asked: bool) -> None:
    """Write the computation's token on the frame's row (step 1 of the module's docstring);
    a reader's computation marks the row asked, the worker's does not."""
    async with transaction():
        if is_postgres():
            await execute(f"SELECT pg_advisory_xact_lock({LOCK})", [])
        marked, marked_params = ("asked_at = ?, ", [frame.now]) if asked else ("", [])
        claimed = await execute(
            f"UPDATE evaluation_kept SET {marked}token = ?, figures = NULL WHERE key = ?",
            [*marked_params, token, key],
        )
        if not claimed:
            end = frame.period.bounds(frame.zone)[1]
            await KeptFigures.create(
                key=key, frame=describe(frame), ends_at=end, token=token, asked_at=frame.now
            )


async def compute_ahead(frame: Frame, compute: Compute) -> Figures:
    """Compute and keep a settled frame nobody has asked for yet (`warming`)."""
    return await _compute_and_keep(frame, compute, frame_key(frame), asked=False)


async def refresh_stale(compute: Compute, *, now: datetime, limit: int = REFRESH_PER_PASS) -> int:
    """Compute again the stale rows asked for lately, most recently asked first; how many."""
    rows = (
        await KeptFigures.filter(token="", asked_at__gte=now - REFRESH_ASKED_WITHIN)
        .order_by("-asked_at")
        .limit(limit)
    )
    for row in rows:
        frame = rebuild(row.frame, now=now)
        if await settled(frame):
            await _compute_and_keep(frame, compute, row.key, asked=False)
        else:  # the period's workshops go on again: its figures are computed when asked
            await KeptFigures.filter(id=row.id, token="").delete()
    return len(rows)

"""Kept figures computed before anyone asks: the finished years the evaluation pages open on.

`kept` keeps a year's figures once someone has asked for them, so the first reader of a year
waits for the computation (seconds for the whole Département). The worker computes ahead the
frames the pages are most likely asked for, once they are settled: every convention's last two
convention years (its page shows a year beside the one before), and, for every coordinator's
set of PMI organisations, the whole territory's last two calendar years (the overview page).
A frame already kept, or stale (`kept.refresh_stale` computes those), is left alone.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from workshops.accounts import Membership, Role
from workshops.evaluation import kept
from workshops.evaluation.models import KeptFigures
from workshops.evaluation.scope import (
    Frame,
    Scope,
    ScopeKind,
    calendar_year,
    convention_scope,
    convention_year,
)
from workshops.partners import Convention

# Frames computed ahead per pass of the worker.
WARM_PER_PASS = 2


async def wanted_frames(*, zone: ZoneInfo, now: datetime) -> list[Frame]:
    """The frames of the pages' finished years (settled or not), most recent first."""
    this_year = now.astimezone(zone).year
    frames = []
    for years_ago in (1, 2):
        year = this_year - years_ago
        for convention in await Convention.all().order_by("id"):
            if convention.starts_on.year <= year:
                period = convention_year(convention.starts_on, year)
                scope = convention_scope(convention.id, convention.pmi_id)
                frames.append(Frame(period=period, scope=scope, zone=zone, now=now))
        for organisations in await _coordinator_sets():
            scope = Scope(ScopeKind.ALL, organisations=organisations)
            frames.append(Frame(period=calendar_year(year), scope=scope, zone=zone, now=now))
    return frames


async def _coordinator_sets() -> list[frozenset[int]]:
    """The PMI organisations each coordinator evaluates together (their overview's scope)."""
    memberships = await Membership.filter(role=Role.COORDINATOR).values_list(
        "user_id", "organisation_id"
    )
    by_user: dict[int, set[int]] = {}
    for user_id, organisation_id in memberships:
        by_user.setdefault(user_id, set()).add(organisation_id)
    return sorted({frozenset(ids) for ids in by_user.values()}, key=sorted)


async def warm(compute: kept.Compute, *, zone: ZoneInfo, now: datetime) -> int:
    """Compute ahead up to `WARM_PER_PASS` settled frames that have no row yet; how many."""
    frames = await wanted_frames(zone=zone, now=now)
    keys = [kept.frame_key(frame) for frame in frames]
    known = {row.key for row in await KeptFigures.filter(key__in=keys).only("id", "key")}
    done = 0
    for frame in frames:
        key = kept.frame_key(frame)
        if key in known or not await kept.settled(frame):
            continue
        known.add(key)
        await kept.compute_ahead(frame, compute)
        done += 1
        if done == WARM_PER_PASS:
            break
    return done

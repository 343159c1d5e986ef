"""A published workshop becomes done once its last planned session has ended (a worker job)."""

from __future__ import annotations

from datetime import datetime

from workshops.kernel.clock import utc_now
from workshops.kernel.settings import Settings
from workshops.planning.models import Session, Workshop, WorkshopStatus


async def close_finished_workshops(settings: Settings) -> None:
    """The worker job."""
    await mark_finished_workshops(now=utc_now())


async def mark_finished_workshops(*, now: datetime) -> int:
    """Mark done every published workshop with sessions, none of them still to end."""
    published = {w.id for w in await Workshop.filter(status=WorkshopStatus.PUBLISHED).only("id")}
    if not published:
        return 0
    planned = await Session.filter(workshop_id__in=list(published), cancelled_at__isnull=True).only(
        "id", "workshop_id", "ends_at"
    )
    with_sessions = {s.workshop_id for s in planned}
    still_running = {s.workshop_id for s in planned if s.ends_at > now}
    finished = list(with_sessions - still_running)
    if not finished:
        return 0
    changed: int = await Workshop.filter(id__in=finished, status=WorkshopStatus.PUBLISHED).update(
        status=WorkshopStatus.DONE
    )
    return changed

"""Where the feeds' events come from: one provider per feed, filled by the domain packages.

Sessions come from `workshops.planning` (UID `session-<id>`, SEQUENCE from the row, raised when a
session or its workshop is cancelled). Room bookings come from `workshops.rooms.calendar_events`:
confirmed bookings, and cancelled ones as STATUS:CANCELLED so that subscribed calendars drop them.

Feeds keep history. A subscribed calendar deletes what leaves the feed, and keeps showing as
planned what it last read: so a session once shown stays in the feed, planned, finished or
cancelled (STATUS:CANCELLED, with the SEQUENCE its cancellation raised), whether the session or its
whole workshop was cancelled, or the workshop is done. The window is the same for every feed and
every state: sessions that ended less than `HISTORY` ago (a year: the span of a convention and of
its evaluation), and every later one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from workshops import rooms
from workshops.audit import AuditEvent
from workshops.kernel.clock import utc_now
from workshops.kernel.ics import CalendarEvent
from workshops.kernel.settings import Settings
from workshops.planning import Session, WorkshopStatus, session_event, unconfirmed_workshop_ids

_LOADED = ("workshop", "booking", "booking__room", "booking__room__site")
HISTORY = timedelta(days=365)
# The workshops whose sessions families have seen: open now, done, or cancelled after publication.
_ONCE_PUBLISHED = (WorkshopStatus.PUBLISHED, WorkshopStatus.DONE, WorkshopStatus.CANCELLED)
# Written by `planning.plans.publish_workshop`: a cancelled workshop was shown to families only
# if it was published first (a cancelled draft never was).
PUBLISHED_ACTION = "workshop.published"


def _in_window(now: datetime | None) -> datetime:
    """The end after which a session is in the feeds."""
    return (now or utc_now()) - HISTORY


async def _published_before(workshop_ids: Iterable[int]) -> set[int]:
    """Among these workshops, those that were published at some point."""
    ids = [str(workshop_id) for workshop_id in workshop_ids]
    if not ids:
        return set()
    events = await AuditEvent.filter(
        action=PUBLISHED_ACTION, object_type="workshop", object_id__in=ids
    ).values_list("object_id", flat=True)
    return {int(str(object_id)) for object_id in events}


async def _shown_to_families(sessions: list[Session]) -> set[int]:
    """The workshops of these sessions that the public feed shows: published with every planned
    room confirmed (as their page), done, or cancelled after being published."""
    by_status: dict[WorkshopStatus, set[int]] = {status: set() for status in _ONCE_PUBLISHED}
    for session in sessions:
        by_status[session.workshop.status].add(session.workshop_id)
    published = by_status[WorkshopStatus.PUBLISHED]
    open_now = published - await unconfirmed_workshop_ids(published)
    cancelled = await _published_before(by_status[WorkshopStatus.CANCELLED])
    return open_now | by_status[WorkshopStatus.DONE] | cancelled


async def published_sessions(
    *, settings: Settings, centre_id: int | None = None, now: datetime | None = None
) -> list[CalendarEvent]:
    """Sessions families have seen, all or those held at one centre, in the window: planned,
    finished or cancelled (STATUS:CANCELLED), see the module's docstring."""
    query = Session.filter(workshop__status__in=_ONCE_PUBLISHED, ends_at__gte=_in_window(now))
    if centre_id is not None:
        query = query.filter(booking__room__site__organisation_id=centre_id)
    sessions = list(await query.prefetch_related(*_LOADED))
    shown = await _shown_to_families(sessions)
    return [
        session_event(session, session.workshop, settings=settings)
        for session in sessions
        if session.workshop_id in shown
    ]


async def facilitator_sessions(
    *, settings: Settings, user_id: int, now: datetime | None = None
) -> list[CalendarEvent]:
    """Sessions of the workshops this facilitator leads in the window (drafts included: they
    plan them; cancelled and finished ones too)."""
    sessions = await Session.filter(
        workshop__facilitators__user_id=user_id, ends_at__gte=_in_window(now)
    ).prefetch_related(*_LOADED)
    return [session_event(session, session.workshop, settings=settings) for session in sessions]


async def facilitator_bookings(*, user_id: int, settings: Settings) -> list[CalendarEvent]:
    """The rooms this facilitator asked for and the centre confirmed (or later cancelled)."""
    return await rooms.requester_events(user_id=user_id, settings=settings)


async def organisation_bookings(*, organisation_id: int, settings: Settings) -> list[CalendarEvent]:
    """Bookings of this organisation: in its rooms for a centre, asked by it for a PMI service."""
    return await rooms.centre_or_requester_events(
        organisation_id=organisation_id, settings=settings
    )


async def room_bookings(*, room_id: int, settings: Settings) -> list[CalendarEvent]:
    """Bookings of one room, whoever asked for them."""
    return await rooms.room_events(room_id=room_id, settings=settings)

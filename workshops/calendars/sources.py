"""Where the feeds' events come from: one provider per feed, filled by the domain packages.

Sessions come from `workshops.planning` (UID `session-<id>`, SEQUENCE from the row, raised when a
session or its workshop is cancelled). Room bookings come from `workshops.rooms.calendar_events`:
confirmed bookings, and cancelled ones as STATUS:CANCELLED so that subscribed calendars drop them.
"""

from __future__ import annotations

from workshops.calendars.builder import CalendarEvent
from workshops.planning.models import Session, WorkshopStatus
from workshops.planning.schedule import session_event, unconfirmed_workshop_ids
from workshops.rooms import calendar_events
from workshops.settings import Settings

_LOADED = ("workshop", "booking", "booking__room", "booking__room__site")


async def published_sessions(
    *, settings: Settings, centre_id: int | None = None
) -> list[CalendarEvent]:
    """Sessions of published workshops whose planned sessions all have confirmed rooms, all or
    those held at one centre; cancelled sessions stay in the feed as STATUS:CANCELLED."""
    query = Session.filter(workshop__status=WorkshopStatus.PUBLISHED)
    if centre_id is not None:
        query = query.filter(booking__room__site__organisation_id=centre_id)
    sessions = list(await query.prefetch_related(*_LOADED))
    hidden = await unconfirmed_workshop_ids({session.workshop_id for session in sessions})
    return [
        session_event(session, session.workshop, settings=settings)
        for session in sessions
        if session.workshop_id not in hidden
    ]


async def facilitator_sessions(*, settings: Settings, user_id: int) -> list[CalendarEvent]:
    """Sessions of the workshops this facilitator leads (drafts included: they plan them)."""
    sessions = await Session.filter(workshop__facilitators__user_id=user_id).prefetch_related(
        *_LOADED
    )
    return [session_event(session, session.workshop, settings=settings) for session in sessions]


async def facilitator_bookings(*, user_id: int, settings: Settings) -> list[CalendarEvent]:
    """The rooms this facilitator asked for and the centre confirmed (or later cancelled)."""
    return await calendar_events.requester_events(user_id=user_id, settings=settings)


async def organisation_bookings(*, organisation_id: int, settings: Settings) -> list[CalendarEvent]:
    """Bookings of this organisation: in its rooms for a centre, asked by it for a PMI service."""
    return await calendar_events.centre_or_requester_events(
        organisation_id=organisation_id, settings=settings
    )


async def room_bookings(*, room_id: int, settings: Settings) -> list[CalendarEvent]:
    """Bookings of one room, whoever asked for them."""
    return await calendar_events.room_events(room_id=room_id, settings=settings)

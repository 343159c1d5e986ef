"""Where the feeds' events come from: one provider per feed, filled by the domain packages.

Room bookings come from `workshops.rooms.calendar_events`: confirmed bookings, and cancelled ones
as STATUS:CANCELLED so that subscribed calendars drop them. Workshop sessions do not exist yet:
their providers answer with no event and are the one place the sign-up and planning issues fill
in (query their models, turn each session into a `CalendarEvent` with a UID from `make_uid` and
the SEQUENCE of the row, and return them).
"""

from __future__ import annotations

from workshops.calendars.builder import CalendarEvent
from workshops.rooms import calendar_events
from workshops.settings import Settings


async def published_sessions(*, centre_id: int | None = None) -> list[CalendarEvent]:
    """Sessions of published workshops, all or those held at one centre; public feed.

    To be filled by the sign-up issue (published workshops whose sessions have confirmed rooms).
    """
    return []


async def facilitator_sessions(*, user_id: int) -> list[CalendarEvent]:
    """Sessions this facilitator leads; to be filled by the sign-up and planning issues."""
    return []


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

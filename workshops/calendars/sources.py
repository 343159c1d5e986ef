"""Where the feeds' events come from: one provider per feed, filled by the domain packages.

Sessions and room bookings do not exist yet. Each provider below answers with no event for now and
is the one place the sign-up and planning issues fill in: query their models, turn each session or
booking into a `CalendarEvent` (UID from `make_uid`, SEQUENCE from the row), and return them.
"""

from __future__ import annotations

from workshops.calendars.builder import CalendarEvent


async def published_sessions(*, centre_id: int | None = None) -> list[CalendarEvent]:
    """Sessions of published workshops, all or those held at one centre; public feed.

    To be filled by the sign-up issue (published workshops whose sessions have confirmed rooms).
    """
    return []


async def facilitator_sessions(*, user_id: int) -> list[CalendarEvent]:
    """Sessions this facilitator leads; to be filled by the planning issue."""
    return []


async def organisation_bookings(*, organisation_id: int) -> list[CalendarEvent]:
    """Room bookings of this organisation (asked by it, or in its rooms); by the rooms issue."""
    return []

"""iCalendar files: one builder (`CalendarEvent` -> RFC 5545) for feeds and e-mail attachments."""

from __future__ import annotations

from workshops.calendars.feeds import feed_url, profile_feeds, room_feed

__all__ = [
    "feed_url",
    "profile_feeds",
    "room_feed",
]

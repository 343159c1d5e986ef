"""iCalendar files: one builder (`CalendarEvent` -> RFC 5545) for feeds and e-mail attachments."""

from workshops.kernel.ics import CalendarEvent as CalendarEvent
from workshops.kernel.ics import build_attachment as build_attachment
from workshops.kernel.ics import build_feed as build_feed
from workshops.kernel.ics import build_invitation as build_invitation
from workshops.kernel.ics import make_uid as make_uid

"""iCalendar files: one builder (`CalendarEvent` -> RFC 5545) for feeds and e-mail attachments."""

from workshops.calendars.builder import CalendarEvent as CalendarEvent
from workshops.calendars.builder import build_attachment as build_attachment
from workshops.calendars.builder import build_feed as build_feed
from workshops.calendars.builder import build_invitation as build_invitation
from workshops.calendars.builder import make_uid as make_uid

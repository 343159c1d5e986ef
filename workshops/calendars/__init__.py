"""iCalendar files: one builder (`CalendarEvent` -> RFC 5545) for feeds and e-mail attachments."""

from workshops.calendars.builder import CalendarEvent as CalendarEvent
from workshops.calendars.builder import build_attachment as build_attachment
from workshops.calendars.builder import build_attachment_of_many as build_attachment_of_many
from workshops.calendars.builder import build_feed as build_feed
from workshops.calendars.builder import make_uid as make_uid

"""The platform's one clock: every "now" and "today" of the application is read here.

Keeping a single reading point is what lets the suite run on any day of the year: the tests pin
the whole process to a chosen instant (`tests/clock.py`, with time-machine, which also moves
Tortoise's `auto_now` fields and the signed cookies' timestamps, so that they agree with this
clock), and CI replays the date-sensitive tests on awkward days (1 and 24 December, 29 February,
the daylight-saving Sundays, the last day of a convention year).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utc_now() -> datetime:
    """The current instant, aware, in UTC: what the database stores (DESIGN rule 5)."""
    return datetime.now(UTC)


def local_now(zone: ZoneInfo) -> datetime:
    """The current wall-clock time in the platform's time zone."""
    return utc_now().astimezone(zone)


def local_today(zone: ZoneInfo) -> date:
    """Today in the platform's time zone: what "a date in the past" is measured against."""
    return local_now(zone).date()

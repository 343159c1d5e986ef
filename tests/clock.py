"""The suite's clock: the instant the whole test process (and the servers it starts) believes it is.

`TEST_NOW` (an ISO date, or a date and time with its UTC offset) pins it: the process travels
there with time-machine, and time goes on ticking from it, so that timeouts and the event loop
behave as usual. Without it the suite runs at the real time. `.ci/run` replays the date-sensitive
part of the suite on awkward days this way; a test that fails only on one of them depended on
the calendar, not on the rule it checks.
"""

from __future__ import annotations

import calendar
import os
import sys
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine

PROJECT_ROOT = Path(__file__).resolve().parents[1]

PARIS = ZoneInfo("Europe/Paris")
# A date alone means that day at this local time: mid-morning, when the staff work.
DEFAULT_LOCAL_TIME = time(9, 30)


def pinned_instant(text: str) -> datetime:
    """`2026-12-24` or `2027-03-28T01:30+01:00` as an aware instant."""
    if "T" in text:
        instant = datetime.fromisoformat(text)
        return instant if instant.tzinfo else instant.replace(tzinfo=PARIS)
    return datetime.combine(date.fromisoformat(text), DEFAULT_LOCAL_TIME, tzinfo=PARIS)


def pin_from_environment() -> time_machine.travel | None:
    """Start travelling to `TEST_NOW` when it is set; the caller keeps the traveller."""
    text = os.environ.get("TEST_NOW", "").strip()
    if not text:
        return None
    traveller = time_machine.travel(pinned_instant(text), tick=True)
    traveller.start()
    return traveller


def workshops_command(*args: str) -> list[str]:
    """`workshops ARGS` in a subprocess on the suite's clock; run it from `PROJECT_ROOT`."""
    return [sys.executable, "-m", "tests.pinned_cli", *args]


def _last_sunday(year: int, month: int) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def _next(today: date, make: Callable[[int], date | None]) -> date:
    """The first day from `today` on that `make` gives for its year (None: none that year)."""
    for year in range(today.year, today.year + 9):
        day = make(year)
        if day is not None and day >= today:
            return day
    raise ValueError("no such day within eight years")


def _leap_day(year: int) -> date | None:
    return date(year, 2, 29) if calendar.isleap(year) else None


def awkward_days(today: date) -> list[date]:
    """The days CI replays the date-sensitive tests on, the next of each from `today`: the start
    of December (the demo's Christmas closure ahead), Christmas Eve (inside it), a leap day, both
    daylight-saving Sundays, and 31 August (the last day of a convention year)."""
    return [
        _next(today, lambda year: date(year, 12, 1)),
        _next(today, lambda year: date(year, 12, 24)),
        _next(today, _leap_day),
        _next(today, lambda year: _last_sunday(year, 3)),
        _next(today, lambda year: _last_sunday(year, 10)),
        _next(today, lambda year: date(year, 8, 31)),
    ]


def awkward_instants(today: date) -> list[str]:
    """`awkward_days` as `TEST_NOW` values; the daylight-saving Sundays a quarter of an hour
    before the change, so that the run crosses it (02:00 becomes 03:00 in March, 03:00 becomes
    02:00 in October)."""
    days = [day.isoformat() for day in awkward_days(today)]
    days[3] += "T01:45+01:00"
    days[4] += "T02:45+02:00"
    return days


if __name__ == "__main__":
    print(" ".join(awkward_instants(datetime.now(PARIS).date())))

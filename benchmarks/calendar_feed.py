"""How long building a calendar feed of 5,000 events takes (target: well under one second).

Run it with `.venv/bin/python benchmarks/calendar_feed.py [number of events]`. It prints:
- cold: every event written for the first time (the per-event cache empty);
- warm: the same feed again, 1% of the events changed (a calendar program polling the feed);
- icalendar alone: the same events through `Calendar.to_ical()`, for comparison;
and checks that the feed parses back with the right number of events. Not a test.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import icalendar

from workshops.kernel.ics import (
    CalendarEvent,
    _event_text,
    build_feed,
    event_component,
    make_uid,
)

ZONE = "Europe/Paris"


def make_events(count: int) -> list[CalendarEvent]:
    first = datetime(2026, 1, 5, 8, 30, tzinfo=UTC)
    return [
        CalendarEvent(
            uid=make_uid("session", number, base_url="https://ateliers.example"),
            sequence=number % 3,
            start=first + timedelta(hours=5 * number),
            end=first + timedelta(hours=5 * number, minutes=90),
            summary=f"Massage bébé – cycle {number // 4 + 1}, séance {number % 4 + 1}",
            updated_at=datetime(2025, 12, 1, tzinfo=UTC),
            location="Centre socio-culturel Robert Schuman, 1 rue de la Gare, 67500 Haguenau",
            description=(
                "Un temps d'échange et de massage pour les bébés de 0 à 6 mois, avec une "
                "puéricultrice de la PMI. Apportez une serviette et un coussin."
            ),
            url=f"https://ateliers.example/ateliers/{number // 4 + 1}",
            cancelled=number % 50 == 0,
        )
        for number in range(count)
    ]


def timed(build: Callable[[], bytes], runs: int) -> tuple[float, bytes]:
    durations, body = [], b""
    for _run in range(runs):
        started = time.perf_counter()
        body = build()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations), body


def main(count: int) -> None:
    events = make_events(count)

    def cold() -> bytes:
        _event_text.cache_clear()
        return build_feed(events, name="Ateliers", zone=ZONE)

    cold_time, feed = timed(cold, runs=5)
    build_feed(events, name="Ateliers", zone=ZONE)
    rounds = iter(range(1, 100))

    def warm() -> bytes:
        # Each run, a new 1% of the events has changed since the previous poll.
        shift = next(rounds)
        changed = [
            replace(event, sequence=event.sequence + shift) if index % 100 == shift else event
            for index, event in enumerate(events)
        ]
        return build_feed(changed, name="Ateliers", zone=ZONE)

    warm_time, _ = timed(warm, runs=5)

    def icalendar_alone() -> bytes:
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//benchmark//FR")
        calendar.add("version", "2.0")
        for event in events:
            calendar.add_component(event_component(event, ZONE))
        body: bytes = calendar.to_ical()
        return body

    reference_time, _ = timed(icalendar_alone, runs=3)
    parsed = icalendar.Calendar.from_ical(feed)
    assert len(parsed.events) == count, "the feed does not read back"

    print(f"Flux de {count} événements ({len(feed) / 1024:.0f} Kio), médiane de plusieurs essais :")
    print(f"  à froid (aucun événement en cache)     : {cold_time * 1000:7.1f} ms")
    print(f"  à chaud (1 % des événements modifiés)  : {warm_time * 1000:7.1f} ms")
    print(f"  icalendar seul (Calendar.to_ical)      : {reference_time * 1000:7.1f} ms")
    print(f"  objectif : bien moins d'une seconde -> {'atteint' if cold_time < 1 else 'MANQUÉ'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)

"""The iCalendar builder, read back by icalendar and by an independent parser (vobject)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from workshops.kernel.ics import (
    CalendarEvent,
    _event_text,
    build_attachment,
    build_feed,
    build_invitation,
    event_component,
    make_uid,
)

PARIS = ZoneInfo("Europe/Paris")
ZONE = "Europe/Paris"
# 2026: summer time starts on Sunday 29 March and ends on Sunday 25 October.
AROUND_CLOCK_CHANGES = [(3, 28), (3, 30), (10, 24), (10, 26)]


def _start(event: icalendar.Event) -> datetime:
    start = event.start
    assert isinstance(start, datetime)
    return start


def session_at(year: int, month: int, day: int, hour: int = 10, **changes: object) -> CalendarEvent:
    start = datetime(year, month, day, hour, tzinfo=PARIS).astimezone(UTC)
    event = CalendarEvent(
        uid=make_uid("session", day * 100 + month, base_url="https://ateliers.example"),
        sequence=0,
        start=start,
        end=start + timedelta(minutes=90),
        summary="Massage bébé, séance découverte",
        updated_at=datetime(2026, 1, 15, 8, 30, tzinfo=UTC),
        location="Centre socio-culturel Robert Schuman; salle 2, Haguenau",
        description="Apportez une serviette et un coussin.\nPoussettes : local au rez-de-chaussée.",
        url="https://ateliers.example/ateliers/12",
    )
    return replace(event, **changes)  # type: ignore[arg-type]


def test_a_feed_parses_back_with_icalendar_with_every_field() -> None:
    event = session_at(2026, 5, 16)
    calendar = icalendar.Calendar.from_ical(build_feed([event], name="Ateliers", zone=ZONE))

    [parsed] = calendar.events
    assert str(parsed["UID"]) == "session-1605@ateliers.example"
    assert parsed["SEQUENCE"] == 0
    assert parsed.start == datetime(2026, 5, 16, 10, tzinfo=PARIS)
    assert parsed.end == datetime(2026, 5, 16, 11, 30, tzinfo=PARIS)
    assert str(parsed["SUMMARY"]) == "Massage bébé, séance découverte"
    assert str(parsed["LOCATION"]) == "Centre socio-culturel Robert Schuman; salle 2, Haguenau"
    assert str(parsed["DESCRIPTION"]).endswith("Poussettes : local au rez-de-chaussée.")
    assert str(parsed["URL"]) == "https://ateliers.example/ateliers/12"
    assert str(parsed["STATUS"]) == "CONFIRMED"
    assert [tz.tz_name for tz in calendar.timezones] == [ZONE]
    assert str(calendar["X-WR-CALNAME"]) == "Ateliers"


@pytest.mark.parametrize(("month", "day"), AROUND_CLOCK_CHANGES)
def test_a_ten_oclock_session_reads_ten_oclock_around_each_clock_change(
    month: int, day: int
) -> None:
    feed = build_feed([session_at(2026, month, day)], name="Ateliers", zone=ZONE)

    [by_icalendar] = icalendar.Calendar.from_ical(feed).events
    assert _start(by_icalendar).astimezone(PARIS).hour == 10
    assert f"DTSTART;TZID=Europe/Paris:2026{month:02d}{day:02d}T100000" in feed.decode()

    # vobject computes the offset from the VTIMEZONE written in the file, not from its own data.
    by_vobject = vobject.readOne(feed.decode()).vevent.dtstart.value
    assert type(by_vobject.tzinfo).__name__ == "_tzicalvtz"
    assert by_vobject.hour == 10
    assert by_vobject.astimezone(PARIS).hour == 10
    expected_utc_hour = 8 if (month, day) in [(3, 30), (10, 24)] else 9
    assert by_vobject.astimezone(UTC).hour == expected_utc_hour


def test_the_timezone_covers_only_the_years_of_the_events() -> None:
    feed = build_feed(
        [session_at(2026, 3, 28), session_at(2027, 10, 30)], name="Ateliers", zone=ZONE
    )
    [timezone] = icalendar.Calendar.from_ical(feed).timezones
    starts = sorted(sub.DTSTART.year for sub in timezone.subcomponents)
    assert starts[0] == 2026
    assert starts[-1] <= 2028
    assert len(feed) < 3000


def test_a_cancelled_session_keeps_its_uid_with_a_higher_sequence() -> None:
    planned = session_at(2026, 6, 6)
    cancelled = replace(planned, sequence=planned.sequence + 1, cancelled=True)

    before = icalendar.Calendar.from_ical(build_feed([planned], name="A", zone=ZONE)).events[0]
    after = icalendar.Calendar.from_ical(build_feed([cancelled], name="A", zone=ZONE)).events[0]

    assert str(after["UID"]) == str(before["UID"])
    assert after.sequence > before.sequence
    assert str(after["STATUS"]) == "CANCELLED"
    assert (
        vobject.readOne(build_feed([cancelled], name="A", zone=ZONE).decode()).vevent.status.value
        == "CANCELLED"
    )


def test_the_fast_writer_matches_icalendar_byte_for_byte() -> None:
    events = [
        session_at(2026, 3, 28),
        session_at(2026, 10, 26, cancelled=True, sequence=3),
        session_at(2026, 7, 4, location="", description="", url=""),
        session_at(2026, 9, 12, summary="Éveil musical : « chanter avec bébé » \\ " * 4),
        session_at(2026, 9, 19, description="é" * 200 + ";,\\\nfin"),
    ]
    for event in events:
        assert _event_text(event, ZONE) == event_component(event, ZONE).to_ical()


def test_two_independent_parsers_read_a_large_feed_alike() -> None:
    events = [session_at(2026, 1 + n % 12, 1 + n % 28, hour=9 + n % 8) for n in range(200)]
    events = [replace(event, uid=f"session-{n}@ateliers.example") for n, event in enumerate(events)]
    feed = build_feed(events, name="Ateliers", zone=ZONE)

    by_icalendar = {
        str(e["UID"]): _start(e).astimezone(UTC) for e in icalendar.Calendar.from_ical(feed).events
    }
    by_vobject = {
        e.uid.value: e.dtstart.value.astimezone(UTC)
        for e in vobject.readOne(feed.decode()).vevent_list
    }
    assert by_icalendar == by_vobject == {event.uid: event.start for event in events}


def test_an_attachment_asks_calendars_to_add_or_cancel_the_event() -> None:
    options = {
        "zone": ZONE,
        "organizer_email": "ne-pas-repondre@ateliers.example",
        "organizer_name": "Ateliers parents-enfants",
        "attendee": "famille@exemple.fr",
    }
    event = session_at(2026, 4, 11)
    request = icalendar.Calendar.from_ical(build_attachment(event, **options))
    cancel = icalendar.Calendar.from_ical(
        build_attachment(replace(event, sequence=1, cancelled=True), **options)
    )

    assert str(request["METHOD"]) == "REQUEST"
    assert str(cancel["METHOD"]) == "CANCEL"
    assert str(request.events[0]["ORGANIZER"]) == "mailto:ne-pas-repondre@ateliers.example"
    assert str(request.events[0]["ATTENDEE"]) == "mailto:famille@exemple.fr"
    assert str(cancel.events[0]["STATUS"]) == "CANCELLED"
    assert cancel.events[0]["SEQUENCE"] == 1


INVITATION = {
    "zone": ZONE,
    "organizer_email": "ne-pas-repondre@ateliers.example",
    "organizer_name": "Centre Robert Schuman",
    "attendee": "sophie.keller@exemple.fr",
}


def test_the_dates_of_a_weekly_series_travel_in_one_invitation_with_one_event_each() -> None:
    dates = [session_at(2026, 3, 24), session_at(2026, 3, 31), session_at(2026, 3, 17)]

    calendar = icalendar.Calendar.from_ical(build_invitation(dates, **INVITATION))

    assert str(calendar["METHOD"]) == "REQUEST"
    assert [_start(event).day for event in calendar.events] == [17, 24, 31]
    assert [_start(event).hour for event in calendar.events] == [10, 10, 10]  # across the change
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Paris"]
    assert all(
        str(event["ATTENDEE"]) == "mailto:sophie.keller@exemple.fr" for event in calendar.events
    )


def test_an_invitation_with_one_cancelled_date_is_a_request_that_says_so() -> None:
    kept, cancelled = session_at(2026, 3, 24), session_at(2026, 3, 31, cancelled=True)

    calendar = icalendar.Calendar.from_ical(build_invitation([kept, cancelled], **INVITATION))
    assert calendar["METHOD"] == "REQUEST"
    assert [str(event["STATUS"]) for event in calendar.events] == ["CONFIRMED", "CANCELLED"]
    all_cancelled = build_invitation([cancelled], **INVITATION)
    assert icalendar.Calendar.from_ical(all_cancelled)["METHOD"] == "CANCEL"
    with pytest.raises(ValueError):
        build_invitation([], **INVITATION)


def test_an_empty_feed_is_still_a_valid_calendar() -> None:
    feed = build_feed([], name="Ateliers", zone=ZONE)
    calendar = icalendar.Calendar.from_ical(feed)
    assert calendar.events == []
    assert vobject.readOne(feed.decode()).name == "VCALENDAR"


def test_an_event_without_time_zone_or_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        session_at(2026, 5, 2, start=datetime(2026, 5, 2, 10))
    event = session_at(2026, 5, 2)
    with pytest.raises(ValueError):
        replace(event, end=event.start)
    with pytest.raises(ValueError):
        replace(event, url="https://x.example/\r\nSTATUS:CANCELLED")

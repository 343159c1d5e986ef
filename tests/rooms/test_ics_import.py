"""Closures read from a calendar file: whole days, future only, anything malformed refused."""

from __future__ import annotations

from datetime import date

import pytest

from tests.rooms.factories import ZONE
from workshops.kernel.validation import Invalid
from workshops.rooms.ics_import import dump_drafts, load_drafts, parse_closures

TODAY = date(2026, 11, 2)
HOLIDAYS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Education//FR\r\n"
    "BEGIN:VEVENT\r\nUID:noel-2026\r\nDTSTART;VALUE=DATE:20261219\r\n"
    "DTEND;VALUE=DATE:20270104\r\nSUMMARY:Vacances de Noël\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:toussaint-2026\r\nDTSTART;VALUE=DATE:20261017\r\n"
    "DTEND;VALUE=DATE:20261102\r\nSUMMARY:Vacances de la Toussaint\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:travaux\r\nDTSTART;TZID=Europe/Paris:20270210T080000\r\n"
    "DTEND;TZID=Europe/Paris:20270212T180000\r\nSUMMARY:Travaux peinture\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
).encode()


def test_a_calendar_file_gives_whole_day_closures_that_are_not_over() -> None:
    drafts = parse_closures(HOLIDAYS, zone=ZONE, today=TODAY)
    assert [(d.reason, d.starts_on, d.ends_on) for d in drafts] == [
        ("Vacances de Noël", date(2026, 12, 19), date(2027, 1, 3)),
        ("Travaux peinture", date(2027, 2, 10), date(2027, 2, 12)),
    ]
    assert load_drafts(dump_drafts(drafts)) == drafts


@pytest.mark.parametrize(
    "content",
    [
        b"ceci n'est pas un calendrier",
        b"\xff\xfe\x00garbage",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:demain\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261219\r\nEND:VEVENT\r\n",
        b"",
    ],
)
def test_a_malformed_calendar_file_is_refused_in_french(content: bytes) -> None:
    with pytest.raises(Invalid) as refused:
        parse_closures(content, zone=ZONE, today=TODAY)
    message = refused.value.errors["file"]
    assert any(word in message for word in ("calendrier", "date lisible", "fichier .ics"))


def test_a_tampered_preview_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        load_drafts('[["2026-13-01", "2026-12-02", "x", ""]]')
    assert "envoyez le fichier à nouveau" in refused.value.errors["file"]

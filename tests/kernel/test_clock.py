"""The one clock: the application reads the time nowhere else, and reads it in Paris."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import time_machine

from tests.clock import PARIS, awkward_days, awkward_instants, pinned_instant
from workshops.kernel.clock import local_now, local_today, utc_now

PACKAGE = Path(__file__).resolve().parents[2] / "workshops"
CLOCK = PACKAGE / "kernel" / "clock.py"
# What reads the machine's time directly: `datetime.now()`, `date.today()`, `time.time()`...
DIRECT_READS = {("datetime", "now"), ("datetime", "utcnow"), ("date", "today"), ("time", "time")}


def _direct_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and (node.func.value.id, node.func.attr) in DIRECT_READS
        ):
            found.append(f"{path}:{node.lineno}")
    return found


def test_no_module_but_the_clock_reads_the_time_of_the_machine() -> None:
    modules = [path for path in PACKAGE.rglob("*.py") if path != CLOCK]
    assert [read for path in modules for read in _direct_reads(path)] == []


def test_the_contract_finds_a_direct_read(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text("from datetime import date\nTODAY = date.today()\n", encoding="utf-8")
    assert len(_direct_reads(module)) == 1


def test_today_is_the_day_in_paris_not_in_utc() -> None:
    with time_machine.travel(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), tick=False):
        assert utc_now().date() == date(2026, 12, 31)
        assert local_today(PARIS) == date(2027, 1, 1)
        assert local_now(PARIS).hour == 0


def test_a_pinned_date_alone_is_that_morning_in_paris() -> None:
    assert pinned_instant("2027-03-28") == datetime(2027, 3, 28, 9, 30, tzinfo=PARIS)
    assert pinned_instant("2027-03-28T01:30+01:00").astimezone(UTC).hour == 0


def test_ci_replays_the_next_awkward_days() -> None:
    assert awkward_days(date(2026, 12, 1)) == [
        date(2026, 12, 1),
        date(2026, 12, 24),
        date(2028, 2, 29),
        date(2027, 3, 28),
        date(2027, 10, 31),
        date(2027, 8, 31),
    ]
    assert awkward_days(date(2027, 3, 29))[3] == date(2028, 3, 26)


def test_the_daylight_saving_sundays_are_replayed_just_before_the_change() -> None:
    march, october = awkward_instants(date(2026, 12, 1))[3:5]
    assert (march, october) == ("2027-03-28T01:45+01:00", "2027-10-31T02:45+02:00")
    assert pinned_instant(march).astimezone(UTC).hour == 0
    assert pinned_instant(october).astimezone(UTC).hour == 0

"""What an evaluation covers: a period of days and a scope of rooms.

A workshop belongs to the period in which its first session starts, so a cycle that straddles two
periods is counted once. The scope is a set of rooms (a convention's rooms, a partner's rooms, the
rooms of a commune, or all), written as one SQL condition on a room id column.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from workshops.partners.terms import add_months


class ScopeKind(StrEnum):
    CONVENTION = "convention"
    PARTNER = "partner"
    COMMUNE = "commune"
    ALL = "all"


@dataclass(frozen=True)
class Period:
    """Days from `first_day` to `last_day`, both included, in local time."""

    first_day: date
    last_day: date
    label: str

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The UTC instants of the first day's local midnight and the day after the last."""
        start = datetime.combine(self.first_day, time(), zone).astimezone(UTC)
        end = datetime.combine(self.last_day + timedelta(days=1), time(), zone).astimezone(UTC)
        return start, end

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def previous(self) -> Period:
        """The period of the same length just before, by whole years."""
        first = add_months(self.first_day, -12)
        last = self.first_day - timedelta(days=1)
        return Period(first, last, _previous_label(self.label, first, last))


def calendar_year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), str(year))


def convention_year(starts_on: date, year: int) -> Period:
    """The convention year that begins in `year` on the anniversary of `starts_on`."""
    first = add_months(starts_on, 12 * (year - starts_on.year))
    last = add_months(first, 12) - timedelta(days=1)
    return Period(first, last, f"{first:%d/%m/%Y} – {last:%d/%m/%Y}")


def _previous_label(label: str, first: date, last: date) -> str:
    if label.isdigit():
        return str(int(label) - 1)
    return f"{first:%d/%m/%Y} – {last:%d/%m/%Y}"


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    convention_id: int | None = None
    partner_id: int | None = None
    commune: str = ""

    def rooms(self, column: str) -> tuple[str, list[Any]]:
        """A SQL condition keeping `column` (a room id) in the scope, and its parameters."""
        if self.kind is ScopeKind.CONVENTION:
            sql = f"{column} IN (SELECT room_id FROM convention_room WHERE convention_id = ?)"
            return sql, [self.convention_id]
        if self.kind is ScopeKind.PARTNER:
            sql = (
                f"{column} IN (SELECT r.id FROM room r JOIN site t ON t.id = r.site_id "
                "WHERE t.organisation_id = ?)"
            )
            return sql, [self.partner_id]
        if self.kind is ScopeKind.COMMUNE:
            sql = (
                f"{column} IN (SELECT r.id FROM room r JOIN site t ON t.id = r.site_id "
                "WHERE lower(t.commune) = lower(?))"
            )
            return sql, [self.commune]
        return "1 = 1", []


@dataclass(frozen=True)
class Frame:
    """A period and a scope, with the moment "now" that separates held from planned sessions."""

    period: Period
    scope: Scope
    zone: ZoneInfo
    now: datetime
    # The temporary table holding `find_workshops()`'s rows, once `service` has filled it.
    table: str = ""

    def workshops(self) -> tuple[str, list[Any]]:
        """A subquery of the workshops (id, first_start) whose first session is in the period:
        the temporary table when there is one, otherwise `find_workshops()` itself."""
        if self.table:
            return f"SELECT workshop_id, first_start FROM {self.table}", []
        return self.find_workshops()

    def find_workshops(self) -> tuple[str, list[Any]]:
        """The query of the workshops (id, first_start) whose first session is in the period.

        Sessions are found by the start-time index, and a workshop with an earlier session is
        left out, so a cycle across two periods counts in the first. Drafts never reached
        families, so they are not counted as planned.
        """
        rooms, params = self.scope.rooms("b.room_id")
        start, end = self.period.bounds(self.zone)
        sql = (
            "SELECT s.workshop_id AS workshop_id, MIN(s.starts_at) AS first_start "
            "FROM workshop_session s JOIN room_booking b ON b.id = s.booking_id "
            "JOIN workshop w ON w.id = s.workshop_id "
            f"WHERE s.starts_at >= ? AND s.starts_at < ? AND w.status <> 'draft' AND {rooms} "
            "AND NOT EXISTS (SELECT 1 FROM workshop_session e "
            "WHERE e.workshop_id = s.workshop_id AND e.starts_at < ?) "
            "GROUP BY s.workshop_id"
        )
        return sql, [start, end, *params, start]

    def before(self) -> Frame:
        return Frame(self.period.previous(), self.scope, self.zone, self.now)

"""What an evaluation covers: a period of days, a scope of rooms, and whose work it counts.

A workshop belongs to the period in which its first session starts, so a cycle that straddles two
periods is counted once. The scope is a set of rooms (a convention's rooms, a partner's rooms, the
rooms of a commune, or all), written as one SQL condition on a room id column.

Who sees what (DESIGN section 1: every staff page checks the role and the organisation). An
evaluation counts the work of PMI organisations, and a scope names which (`organisations`):
- a coordinator's cross-partner views (one partner, one commune, "tout") count only the workshops
  of the PMI organisations in which they are coordinator, the room requests those PMIs made, and
  the hours offered in the rooms of those PMIs' conventions: another PMI's workshops, families,
  cancellations and staff (the cancellations table names who cancelled) never reach their page,
  CSV, XLSX or open data, whatever the rooms the two PMIs share;
- a convention's evaluation (its PMI's coordinators and its partner's centre managers, the two
  parties that co-sign it) counts the work of the convention's PMI in the convention's rooms: a
  centre manager sees their own conventions only (`guards`), and in them the PMI staff who
  cancelled, never another PMI's;
- `organisations=None` counts everything on the platform: only the server's command line
  (`workshops report`) and the tests ask for it; the platform administrator manages organisations
  and users and holds no evaluation permission.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from workshops.evaluation.communes import commune_key, sites_with_keys
from workshops.kernel.communes import by_code
from workshops.partners import add_months


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


def _among(column: str, ids: frozenset[int]) -> tuple[str, list[Any]]:
    if not ids:
        return "1 = 0", []
    return f"{column} IN ({', '.join('?' * len(ids))})", sorted(ids)


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    convention_id: int | None = None
    partner_id: int | None = None
    # The commune's INSEE code when chosen from the official list, else its name as typed.
    commune: str = ""
    # The PMI organisations whose work is counted; None for the whole platform (see above).
    organisations: frozenset[int] | None = None

    def run_by(self, column: str) -> tuple[str, list[Any]]:
        """A SQL condition keeping `column` (the organisation of a workshop or of a room
        request) among the counted PMI organisations."""
        if self.organisations is None:
            return "1 = 1", []
        return _among(column, self.organisations)

    def offered_rooms(self, column: str) -> tuple[str, list[Any]]:
        """The scope's rooms that a counted PMI holds by a convention (for the hours offered):
        on the whole platform too, a room under no convention offers no hours to count."""
        rooms, params = self.rooms(column)
        pmis, pmi_params = self.run_by("c.pmi_id")
        sql = (
            f"{rooms} AND {column} IN (SELECT cr.room_id FROM convention_room cr "
            f"JOIN convention c ON c.id = cr.convention_id WHERE {pmis})"
        )
        return sql, [*params, *pmi_params]

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
            return self._commune_rooms(column)
        return "1 = 1", []

    def _commune_rooms(self, column: str) -> tuple[str, list[Any]]:
        """The rooms of the sites of the commune: `commune` is an INSEE code of the official
        list (a site with that code, or with no code and the commune's name typed in any
        case, accents or hyphens), or a name kept as typed (a site with that name, normalised)."""
        listed = by_code(self.commune) if len(self.commune) == 5 else None
        sites = f"SELECT r.id FROM room r JOIN ({sites_with_keys()}) t ON t.id = r.site_id"
        if listed is None:
            return f"{column} IN ({sites} WHERE t.commune_key = ?)", [commune_key(self.commune)]
        sql = (
            f"{column} IN ({sites} WHERE t.commune_code = ? "
            "OR (t.commune_code = '' AND t.commune_key = ?))"
        )
        return sql, [listed.code, commune_key(listed.name)]


def convention_scope(convention_id: int, pmi_id: int) -> Scope:
    """A convention's evaluation: the work of its PMI in its rooms."""
    return Scope(
        ScopeKind.CONVENTION, convention_id=convention_id, organisations=frozenset({pmi_id})
    )


@dataclass(frozen=True)
class Frame:
    """A period and a scope, with the moment "now" that separates held from planned sessions."""

    period: Period
    scope: Scope
    zone: ZoneInfo
    now: datetime
    # The temporary table holding `find_workshops()`'s rows, once `service` has filled it.
    table: str = ""

    @property
    def communes(self) -> str:
        """The temporary table of the normalised communes (`communes.create_commune_keys`)."""
        return f"{self.table}_communes"

    def workshops(self) -> tuple[str, list[Any]]:
        """A subquery of the workshops (id, first_start, status) whose first session is in the
        period: the temporary table when there is one, otherwise `find_workshops()` itself."""
        if self.table:
            return f"SELECT workshop_id, first_start, status FROM {self.table}", []
        return self.find_workshops()

    def find_workshops(self) -> tuple[str, list[Any]]:
        """The query of the workshops (id, first_start, status) whose first session is in the
        period.

        Sessions are found by the start-time index, and a workshop with an earlier session is
        left out, so a cycle across two periods counts in the first. Drafts never reached
        families, so they are not counted as planned.
        """
        rooms, params = self.scope.rooms("b.room_id")
        run_by, run_params = self.scope.run_by("w.organisation_id")
        start, end = self.period.bounds(self.zone)
        sql = (
            "SELECT s.workshop_id AS workshop_id, MIN(s.starts_at) AS first_start, "
            "MIN(w.status) AS status "
            "FROM workshop_session s JOIN room_booking b ON b.id = s.booking_id "
            "JOIN workshop w ON w.id = s.workshop_id "
            f"WHERE s.starts_at >= ? AND s.starts_at < ? AND w.status <> 'draft' AND {rooms} "
            f"AND {run_by} AND NOT EXISTS (SELECT 1 FROM workshop_session e "
            "WHERE e.workshop_id = s.workshop_id AND e.starts_at < ?) "
            "GROUP BY s.workshop_id"
        )
        return sql, [start, end, *params, *run_params, start]

    def before(self) -> Frame:
        return Frame(self.period.previous(), self.scope, self.zone, self.now)

"""The public catalogue: upcoming workshops families can see, filtered, and one workshop's page.

Visible means published, with every planned session in a confirmed room booking (DESIGN section 2)
and the first session still to come. Which workshops match, in which order and how many, is one SQL
statement with the filters as conditions, which also reads what the cards of the page show and the
sites of their sessions. Plain rows, no models: the catalogue is the most read page of the
platform, and `benchmarks/load.py` measures it against a bare asyncpg page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from workshops.accounts import OrganisationKind, User
from workshops.kernel.db import fetch, read_datetime
from workshops.planning import WorkshopStatus

EXPECTING = "attente"


@dataclass(frozen=True)
class CatalogueFilter:
    commune: str = ""
    centre_id: int | None = None
    theme_id: int | None = None
    # A child's age in months, or None; `expecting` for future parents.
    age_months: int | None = None
    expecting: bool = False
    starts_from: date | None = None
    starts_until: date | None = None
    with_places: bool = False


@dataclass(frozen=True)
class Place:
    """A site where some session of a listed workshop happens."""

    name: str
    commune: str


@dataclass(frozen=True)
class Listing:
    """A workshop as the catalogue card shows it: plain values read in the page's statement."""

    id: int
    title: str
    theme: str
    capacity: int
    places_taken: int
    prenatal: bool
    min_age_months: int | None
    max_age_months: int | None
    first_start: datetime
    session_count: int
    sites: tuple[Place, ...] = ()

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.places_taken)


# Visible upcoming workshops (DESIGN section 2): published, every planned session in a confirmed
# booking, the first one still to come. One grouping of the published workshops with their planned
# sessions; the filters add conditions on the workshop (`WHERE`) and on its first session
# (`HAVING`).
_MATCHING = """
    FROM workshop w
    JOIN theme t ON t.id = w.theme_id
    JOIN workshop_session s ON s.workshop_id = w.id
    JOIN room_booking b ON b.id = s.booking_id
    WHERE w.status = ? AND s.cancelled_at IS NULL{where}
    GROUP BY w.id, t.name
    HAVING min(CASE WHEN b.status = 'confirmed' THEN 1 ELSE 0 END) = 1
       AND min(s.starts_at) > ?{having}"""

# One page in one round trip: the page's workshops with the total of every page (the window
# count is taken after the grouping, before the limit), each joined to the sites of its planned
# sessions.
PAGE_STATEMENT = (
    """
WITH page AS (
    SELECT w.id, w.title, t.name AS theme, w.capacity, w.places_taken, w.prenatal,
           w.min_age_months, w.max_age_months, min(s.starts_at) AS first_start,
           count(*) AS session_count, count(*) OVER () AS total"""
    + _MATCHING
    + """
    ORDER BY first_start, w.id LIMIT ? OFFSET ?
), page_sites AS (
    SELECT DISTINCT s.workshop_id, si.id AS site_id, si.name AS site_name,
           si.commune AS site_commune
    FROM workshop_session s
    JOIN room_booking b ON b.id = s.booking_id
    JOIN room r ON r.id = b.room_id
    JOIN site si ON si.id = r.site_id
    WHERE s.cancelled_at IS NULL AND s.workshop_id IN (SELECT id FROM page)
)
SELECT page.*, page_sites.site_name, page_sites.site_commune
FROM page LEFT JOIN page_sites ON page_sites.workshop_id = page.id
ORDER BY page.first_start, page.id, page_sites.site_name, page_sites.site_id"""
)
COUNT_STATEMENT = "SELECT count(*) AS total FROM (SELECT w.id" + _MATCHING + ") matching"

# A session of the workshop, still planned, in a site matching the condition that follows.
_SOME_SITE = """ AND EXISTS (
    SELECT 1 FROM workshop_session s2
    JOIN room_booking b2 ON b2.id = s2.booking_id
    JOIN room r2 ON r2.id = b2.room_id
    JOIN site si2 ON si2.id = r2.site_id
    WHERE s2.workshop_id = w.id AND s2.cancelled_at IS NULL AND """


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True)
class _Conditions:
    """What `wanted` adds to the visible workshops: on the workshop, then on its first start."""

    where: str
    where_params: list[Any]
    having: str
    having_params: list[Any]

    def statement(self, template: str) -> str:
        return template.format(where=self.where, having=self.having)

    def params(self, now: datetime) -> list[Any]:
        return [WorkshopStatus.PUBLISHED.value, *self.where_params, now, *self.having_params]


def _conditions(wanted: CatalogueFilter, zone: ZoneInfo) -> _Conditions:
    where, where_params = "", list[Any]()
    if wanted.theme_id is not None:
        where += " AND w.theme_id = ?"
        where_params.append(wanted.theme_id)
    if wanted.expecting:
        where += " AND w.prenatal"
    elif wanted.age_months is not None:
        where += (
            " AND NOT w.prenatal AND coalesce(w.min_age_months, 0) <= ?"
            " AND coalesce(w.max_age_months, 10000) >= ?"
        )
        where_params += [wanted.age_months, wanted.age_months]
    if wanted.with_places:
        where += " AND w.places_taken < w.capacity"
    if wanted.commune:
        where += _SOME_SITE + "si2.commune = ?)"
        where_params.append(wanted.commune)
    if wanted.centre_id is not None:
        where += _SOME_SITE + "si2.organisation_id = ?)"
        where_params.append(wanted.centre_id)
    # Dates are the first session's day where the families live.
    having, having_params = "", list[Any]()
    if wanted.starts_from is not None:
        having += " AND min(s.starts_at) >= ?"
        having_params.append(_local_midnight(wanted.starts_from, zone))
    if wanted.starts_until is not None:
        having += " AND min(s.starts_at) < ?"
        having_params.append(_local_midnight(wanted.starts_until + timedelta(days=1), zone))
    return _Conditions(where, where_params, having, having_params)


def _listings(rows: list[dict[str, Any]]) -> list[Listing]:
    """The cards of one page from its rows (one per workshop and site), in their order."""
    sites: dict[int, list[Place]] = {}
    firsts: list[dict[str, Any]] = []
    for row in rows:
        if row["id"] not in sites:
            sites[row["id"]] = []
            firsts.append(row)
        if row["site_name"] is not None:
            sites[row["id"]].append(Place(row["site_name"], row["site_commune"]))
    return [
        Listing(
            id=row["id"],
            title=row["title"],
            theme=row["theme"],
            capacity=row["capacity"],
            places_taken=row["places_taken"],
            prenatal=bool(row["prenatal"]),
            min_age_months=row["min_age_months"],
            max_age_months=row["max_age_months"],
            first_start=read_datetime(row["first_start"]),
            session_count=row["session_count"],
            sites=tuple(sites[row["id"]]),
        )
        for row in firsts
    ]


@dataclass(frozen=True)
class CataloguePage:
    """One page of the catalogue as read: how many workshops match, and the page's rows."""

    total: int
    # The rows' values, in order: everything the cards are written from (a key for pages
    # written before, see `catalogue_views.WrittenPages`).
    values: tuple[tuple[Any, ...], ...]
    rows: list[dict[str, Any]] = field(compare=False, hash=False, repr=False)

    def listings(self) -> list[Listing]:
        return _listings(self.rows)


async def upcoming_page(
    *, wanted: CatalogueFilter, now: datetime, zone: ZoneInfo, offset: int = 0, limit: int = 10
) -> CataloguePage:
    """How many visible upcoming workshops match `wanted`, and those of the page from `offset`,
    soonest first."""
    conditions = _conditions(wanted, zone)
    params = conditions.params(now)
    rows = await fetch(conditions.statement(PAGE_STATEMENT), [*params, limit, offset])
    if rows:
        total = int(rows[0]["total"])
    elif offset:
        # A page past the end: the count alone.
        total = int((await fetch(conditions.statement(COUNT_STATEMENT), params))[0]["total"])
    else:
        total = 0
    return CataloguePage(total, tuple(tuple(row.values()) for row in rows), rows)


@dataclass(frozen=True)
class FilterChoices:
    """The options of the catalogue's filter form, as (value, label) pairs."""

    themes: tuple[tuple[str, str], ...]
    communes: tuple[tuple[str, str], ...]
    centres: tuple[tuple[str, str], ...]


CHOICES_STATEMENT = """
SELECT 't' AS kind, id, name FROM theme
UNION ALL SELECT 'o', id, name FROM organisation WHERE kind = ?
UNION ALL SELECT DISTINCT 'c', 0, commune FROM site
ORDER BY 1, 3, 2"""


async def filter_choices() -> FilterChoices:
    """Themes, centres and communes with a site, by name, in one round trip."""
    found: dict[str, list[tuple[str, str]]] = {"t": [], "o": [], "c": []}
    for row in await fetch(CHOICES_STATEMENT, [OrganisationKind.CENTRE.value]):
        value = row["name"] if row["kind"] == "c" else str(row["id"])
        found[row["kind"]].append((value, row["name"]))
    return FilterChoices(
        themes=tuple(found["t"]), communes=tuple(found["c"]), centres=tuple(found["o"])
    )


async def facilitators_of(workshop_id: int) -> list[User]:
    return list(await User.filter(facilitations__workshop_id=workshop_id).order_by("id"))

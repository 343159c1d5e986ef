"""The public catalogue: upcoming workshops families can see, filtered, and one workshop's page.

Visible means published, with every planned session in a confirmed room booking (DESIGN section 2)
and the first session still to come. Which workshops match is decided on plain rows (the theme in
SQL; age, places, commune, centre and dates on the values of the workshops and their sessions); only
the workshops of the page shown are then loaded as models with their rooms and sites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from workshops.accounts.models import Organisation, OrganisationKind, User
from workshops.planning.models import Session, Theme, Workshop, WorkshopStatus
from workshops.rooms.models import BookingStatus, Site

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


@dataclass
class Listing:
    """A workshop as the catalogue shows it, with its planned sessions (room, site loaded)."""

    workshop: Workshop
    sessions: list[Session] = field(default_factory=list)

    @property
    def first_start(self) -> datetime:
        return self.sessions[0].starts_at

    @property
    def sites(self) -> list[Site]:
        return list({s.booking.room.site.id: s.booking.room.site for s in self.sessions}.values())


@dataclass(frozen=True)
class _Candidate:
    """What deciding visibility needs of a workshop and its planned sessions, and nothing more:
    plain rows, so that a catalogue of hundreds of workshops loads as models only its page."""

    workshop_id: int
    first_start: datetime
    all_confirmed: bool
    communes: frozenset[str]
    centre_ids: frozenset[int]


def _age_fits(row: dict[str, Any], wanted: CatalogueFilter) -> bool:
    if wanted.expecting:
        return bool(row["prenatal"])
    if wanted.age_months is None:
        return True
    if row["prenatal"]:
        return False
    low = row["min_age_months"] if row["min_age_months"] is not None else 0
    high = row["max_age_months"] if row["max_age_months"] is not None else 10_000
    return bool(low <= wanted.age_months <= high)


def _sessions_fit(candidate: _Candidate, wanted: CatalogueFilter, first_day: date) -> bool:
    if wanted.starts_from and first_day < wanted.starts_from:
        return False
    if wanted.starts_until and first_day > wanted.starts_until:
        return False
    if wanted.commune and wanted.commune not in candidate.communes:
        return False
    return wanted.centre_id is None or wanted.centre_id in candidate.centre_ids


async def _candidates(wanted: CatalogueFilter) -> list[_Candidate]:
    """Published workshops matching theme, age and places, with their sessions summed up: two
    queries of plain values."""
    query = Workshop.filter(status=WorkshopStatus.PUBLISHED)
    if wanted.theme_id is not None:
        query = query.filter(theme_id=wanted.theme_id)
    rows = await query.values(
        "id", "prenatal", "min_age_months", "max_age_months", "capacity", "places_taken"
    )
    ids = [
        row["id"]
        for row in rows
        if _age_fits(row, wanted)
        and (not wanted.with_places or row["capacity"] - row["places_taken"] > 0)
    ]
    sessions = await (
        Session.filter(workshop_id__in=ids, cancelled_at__isnull=True)
        .order_by("starts_at", "id")
        .values(
            "workshop_id",
            "starts_at",
            status="booking__status",
            commune="booking__room__site__commune",
            centre_id="booking__room__site__organisation_id",
        )
    )
    planned: dict[int, list[dict[str, Any]]] = {}
    for session in sessions:
        planned.setdefault(session["workshop_id"], []).append(session)
    return [
        _Candidate(
            workshop_id=workshop_id,
            first_start=rows[0]["starts_at"],
            all_confirmed=all(row["status"] == BookingStatus.CONFIRMED for row in rows),
            communes=frozenset(row["commune"] for row in rows),
            centre_ids=frozenset(row["centre_id"] for row in rows),
        )
        for workshop_id, rows in planned.items()
    ]


async def _listings(workshop_ids: list[int]) -> list[Listing]:
    """The workshops of one page, in the given order, with their sessions, rooms and sites."""
    workshops = {
        w.id: w for w in await Workshop.filter(id__in=workshop_ids).prefetch_related("theme")
    }
    listings = {i: Listing(workshop=workshops[i]) for i in workshop_ids}
    sessions = await (
        Session.filter(workshop_id__in=workshop_ids, cancelled_at__isnull=True)
        .order_by("starts_at")
        .prefetch_related("booking", "booking__room", "booking__room__site")
    )
    for session in sessions:
        listings[session.workshop_id].sessions.append(session)
    return list(listings.values())


async def upcoming_listings(
    *, wanted: CatalogueFilter, now: datetime, zone: ZoneInfo, offset: int = 0, limit: int = 10
) -> tuple[int, list[Listing]]:
    """How many visible upcoming workshops match `wanted`, and those of the page from `offset`,
    soonest first."""
    found = [
        candidate
        for candidate in await _candidates(wanted)
        if candidate.first_start > now
        and candidate.all_confirmed
        and _sessions_fit(candidate, wanted, candidate.first_start.astimezone(zone).date())
    ]
    found.sort(key=lambda candidate: (candidate.first_start, candidate.workshop_id))
    page = [candidate.workshop_id for candidate in found[offset : offset + limit]]
    return len(found), await _listings(page)


async def filter_choices() -> tuple[list[Theme], list[str], list[Organisation]]:
    """Themes, communes with a site, and centres, for the catalogue's filter form."""
    themes = list(await Theme.all().order_by("name"))
    communes = sorted({site.commune for site in await Site.all().only("id", "commune")})
    centres = list(await Organisation.filter(kind=OrganisationKind.CENTRE).order_by("name"))
    return themes, communes, centres


async def facilitators_of(workshop_id: int) -> list[User]:
    return list(await User.filter(facilitations__workshop_id=workshop_id).order_by("id"))

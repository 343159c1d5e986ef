"""The public catalogue: upcoming workshops families can see, filtered, and one workshop's page.

Visible means published, with every planned session in a confirmed room booking (DESIGN section 2)
and the first session still to come. Filters apply to the workshop (theme, age) in SQL and to its
sessions (commune, centre, dates) on the sessions loaded for the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
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


def _age_fits(workshop: Workshop, wanted: CatalogueFilter) -> bool:
    if wanted.expecting:
        return workshop.prenatal
    if wanted.age_months is None:
        return True
    if workshop.prenatal:
        return False
    low = workshop.min_age_months if workshop.min_age_months is not None else 0
    high = workshop.max_age_months if workshop.max_age_months is not None else 10_000
    return low <= wanted.age_months <= high


def _sessions_fit(listing: Listing, wanted: CatalogueFilter, zone_day: date) -> bool:
    first_day = zone_day
    if wanted.starts_from and first_day < wanted.starts_from:
        return False
    if wanted.starts_until and first_day > wanted.starts_until:
        return False
    sites = listing.sites
    if wanted.commune and not any(s.commune == wanted.commune for s in sites):
        return False
    return wanted.centre_id is None or any(s.organisation_id == wanted.centre_id for s in sites)


async def upcoming_listings(
    *, wanted: CatalogueFilter, now: datetime, zone: ZoneInfo
) -> list[Listing]:
    """Every visible upcoming workshop matching `wanted`, soonest first."""
    query = Workshop.filter(status=WorkshopStatus.PUBLISHED).prefetch_related("theme")
    if wanted.theme_id is not None:
        query = query.filter(theme_id=wanted.theme_id)
    workshops = {w.id: w for w in await query if _age_fits(w, wanted)}
    if wanted.with_places:
        workshops = {i: w for i, w in workshops.items() if w.places_left > 0}
    listings = {i: Listing(workshop=w) for i, w in workshops.items()}
    sessions = await (
        Session.filter(workshop_id__in=list(workshops), cancelled_at__isnull=True)
        .order_by("starts_at")
        .prefetch_related("booking", "booking__room", "booking__room__site")
    )
    for session in sessions:
        listings[session.workshop_id].sessions.append(session)
    found = []
    for listing in listings.values():
        planned = listing.sessions
        if not planned or planned[0].starts_at <= now:
            continue
        if any(s.booking.status != BookingStatus.CONFIRMED for s in planned):
            continue
        first_day = planned[0].starts_at.astimezone(zone).date()
        if _sessions_fit(listing, wanted, first_day):
            found.append(listing)
    return sorted(found, key=lambda listing: (listing.first_start, listing.workshop.id))


async def filter_choices() -> tuple[list[Theme], list[str], list[Organisation]]:
    """Themes, communes with a site, and centres, for the catalogue's filter form."""
    themes = list(await Theme.all().order_by("name"))
    communes = sorted({site.commune for site in await Site.all().only("id", "commune")})
    centres = list(await Organisation.filter(kind=OrganisationKind.CENTRE).order_by("name"))
    return themes, communes, centres


async def facilitators_of(workshop_id: int) -> list[User]:
    return list(await User.filter(facilitations__workshop_id=workshop_id).order_by("id"))

"""Demo data around the founding case: the Bas-Rhin PMI (Nord) and two partner centres.

The Centre Socio-Culturel Robert Schuman in Haguenau lends two rooms, offered every week of the
school year and closed for the Christmas holidays: a facilitator can ask for a weekly series there
and the centre's manager confirm it in one action. Both rooms are covered by a signed partnership
convention with the founding clauses, in force since 1 September 2025. Published workshops fill
the catalogue, some of them full with a waiting list (`workshops.signup.demo`), and a baby-massage
cycle held in spring 2026, attendance marked and one session cancelled, gives the convention year
2025-2026 figures to evaluate and sign.

Safe to run twice: every record is looked up by its natural key before being created.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from workshops.accounts import Membership, Organisation, OrganisationKind, Role, User, hash_password
from workshops.kernel.clock import local_today
from workshops.kernel.db import transaction
from workshops.partners import Convention, ConventionRoom, model_clauses
from workshops.rooms import Availability, Closure, Equipment, Room, RoomBooking, Site, local_instant
from workshops.signup import load_demo_workshops, site_commune

DEMO_PASSWORD = "ateliers-demo-2026"
PMI_NORD = "Département du Bas-Rhin – PMI, Unité territoriale Nord"
CSC_SCHUMAN = "Centre Socio-Culturel Robert Schuman"
SCHWEIGHOUSE = "Espace familles de Schweighouse-sur-Moder"
CAF = "Caisse d'allocations familiales du Bas-Rhin"
CONVENTION_START = date(2025, 9, 1)
CONVENTION_SIGNED = date(2025, 7, 1)

ORGANISATIONS = [
    (
        PMI_NORD,
        OrganisationKind.PMI,
        "Haguenau",
        "pmi-nord@demo.ateliers.example",
        "03 68 33 80 00",
    ),
    (
        CSC_SCHUMAN,
        OrganisationKind.CENTRE,
        "Haguenau",
        "accueil@csc-schuman.example",
        "03 88 93 00 00",
    ),
    (
        SCHWEIGHOUSE,
        OrganisationKind.CENTRE,
        "Schweighouse-sur-Moder",
        "familles@schweighouse.example",
        "03 88 72 00 00",
    ),
    (CAF, OrganisationKind.FUNDER, "Strasbourg", "partenaires@caf67.example", ""),
]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    profession: str
    organisation: str
    role: Role


ACCOUNTS = [
    DemoAccount(
        "admin@demo.ateliers.example", "Alice Admin", "Administratrice", PMI_NORD, Role.ADMIN
    ),
    DemoAccount(
        "coordinatrice@demo.ateliers.example",
        "Claire Martin",
        "Coordinatrice PMI",
        PMI_NORD,
        Role.COORDINATOR,
    ),
    DemoAccount(
        "puericultrice@demo.ateliers.example",
        "Sophie Keller",
        "Puéricultrice",
        PMI_NORD,
        Role.FACILITATOR,
    ),
    DemoAccount(
        "sage-femme@demo.ateliers.example", "Nadia Benali", "Sage-femme", PMI_NORD, Role.FACILITATOR
    ),
    DemoAccount(
        "csc-schuman@demo.ateliers.example",
        "Marc Weber",
        "Directeur du centre",
        CSC_SCHUMAN,
        Role.CENTRE_MANAGER,
    ),
    DemoAccount(
        "schweighouse@demo.ateliers.example",
        "Julie Meyer",
        "Responsable familles",
        SCHWEIGHOUSE,
        Role.CENTRE_MANAGER,
    ),
]


@dataclass(frozen=True)
class DemoRoom:
    centre: str
    site: str
    name: str
    capacity: int
    surface_m2: int
    equipment: tuple[Equipment, ...]
    hourly_value: str
    # Weekly offers: (weekday, start, end) in minutes after local midnight, Monday = 0.
    windows: tuple[tuple[int, int, int], ...]


SITES = {
    (CSC_SCHUMAN, "Centre Robert Schuman"): (
        "5 rue du Maréchal Joffre",
        "67500",
        "Haguenau",
        "Local à poussettes au rez-de-chaussée, ascenseur jusqu'au premier étage.",
    ),
    (SCHWEIGHOUSE, "Espace familles"): (
        "12 rue de la Gare",
        "67590",
        "Schweighouse-sur-Moder",
        "Entrée de plain-pied par la cour ; stationnement des poussettes sous le préau.",
    ),
}

ROOMS = [
    DemoRoom(
        CSC_SCHUMAN,
        "Centre Robert Schuman",
        "Salle petite enfance",
        15,
        45,
        (Equipment.MATS, Equipment.CHANGING_TABLE, Equipment.SINK),
        "25.00",
        ((1, 9 * 60, 12 * 60), (3, 14 * 60, 17 * 60)),
    ),
    DemoRoom(
        CSC_SCHUMAN,
        "Centre Robert Schuman",
        "Salle polyvalente",
        30,
        90,
        (Equipment.FURNITURE, Equipment.SINK),
        "35.00",
        ((2, 9 * 60, 12 * 60), (4, 9 * 60, 12 * 60)),
    ),
    DemoRoom(
        SCHWEIGHOUSE,
        "Espace familles",
        "Salle d'éveil",
        12,
        40,
        (Equipment.MATS, Equipment.CHANGING_TABLE),
        "20.00",
        ((0, 9 * 60, 11 * 60 + 30),),
    ),
]


def christmas_holidays(year: int) -> tuple[date, date]:
    """The demo centre's closure for the Christmas of `year`, first and last day."""
    return date(year, 12, 19), date(year + 1, 1, 4)


def _school_year_start(today: date) -> date:
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


def _site_commune_code(postcode: str, commune: str) -> str:
    """The INSEE code of a demo site's commune, as `workshops communes` would find it."""
    found = site_commune(postcode, commune)
    return found.code if found else ""


async def _load_rooms(today: date, zone: ZoneInfo) -> None:
    """The premises of both centres, their weekly offers, and the Christmas holidays."""
    first_day = _school_year_start(today)
    # From the convention's start at the latest: its first year, whose spring cycle the demo
    # holds, keeps the hours its rooms were offered whatever year the demo is loaded in.
    offered_from = min(date(first_day.year - 1, 9, 1), CONVENTION_START)
    last_day = date(first_day.year + 2, 8, 31)
    for (centre_name, site_name), (address, postcode, commune, access) in SITES.items():
        centre = await Organisation.get(name=centre_name)
        site, _ = await Site.get_or_create(
            organisation_id=centre.id,
            name=site_name,
            defaults={
                "address": address,
                "postcode": postcode,
                "commune": commune,
                "commune_code": _site_commune_code(postcode, commune),
                "access_notes": access,
            },
        )
        if centre_name == CSC_SCHUMAN:
            for year in (first_day.year, first_day.year + 1):
                starts_on, ends_on = christmas_holidays(year)
                await Closure.get_or_create(
                    site_id=site.id,
                    reason="Vacances de Noël",
                    starts_on=starts_on,
                    defaults={"ends_on": ends_on},
                )
    for demo in ROOMS:
        centre = await Organisation.get(name=demo.centre)
        site = await Site.get(organisation_id=centre.id, name=demo.site)
        room, _ = await Room.get_or_create(
            site_id=site.id,
            name=demo.name,
            defaults={
                "capacity": demo.capacity,
                "surface_m2": demo.surface_m2,
                "equipment": [code.value for code in demo.equipment],
                "step_free": True,
                "hourly_value": Decimal(demo.hourly_value),
            },
        )
        for weekday, start, end in demo.windows:
            await Availability.get_or_create(
                room_id=room.id,
                weekday=weekday,
                start_minute=start,
                # Offered since the previous school year, when the demo's past cycle was held.
                defaults={"end_minute": end, "valid_from": offered_from, "valid_until": last_day},
            )
    await _load_pending_request(today, zone)


async def _load_pending_request(today: date, zone: ZoneInfo) -> None:
    """One request waiting in the Haguenau centre's inbox, so the inbox is not empty."""
    midwife = await User.get(email="sage-femme@demo.ateliers.example")
    if await RoomBooking.filter(requested_by_id=midwife.id).exists():
        return
    pmi = await Organisation.get(name=PMI_NORD)
    room = await Room.get(name="Salle polyvalente", site__organisation__name=CSC_SCHUMAN)
    wednesday = today + timedelta(days=(2 - today.weekday()) % 7 + 7)
    await RoomBooking.create(
        room_id=room.id,
        requested_by_id=midwife.id,
        organisation_id=pmi.id,
        starts_at=local_instant(wednesday, 9 * 60 + 30, zone),
        ends_at=local_instant(wednesday, 11 * 60 + 30, zone),
        message="Temps d'échange pour futurs parents : une dizaine de couples attendus.",
    )


async def _load_convention() -> None:
    """The Haguenau convention: signed, active, covering both rooms of the centre."""
    pmi = await Organisation.get(name=PMI_NORD)
    centre = await Organisation.get(name=CSC_SCHUMAN)
    convention, _ = await Convention.get_or_create(
        pmi_id=pmi.id,
        partner_id=centre.id,
        starts_on=CONVENTION_START,
        defaults={
            "signed_on": CONVENTION_SIGNED,
            "clauses": model_clauses(),
        },
    )
    for room in await Room.filter(site__organisation_id=centre.id):
        await ConventionRoom.get_or_create(convention_id=convention.id, room_id=room.id)


async def load_demo(zone: ZoneInfo | None = None) -> list[DemoAccount]:
    """Create what is missing of the demo; return the demo accounts."""
    async with transaction():
        for name, kind, commune, email, phone in ORGANISATIONS:
            territory = "Unité territoriale Nord" if kind is not OrganisationKind.FUNDER else ""
            await Organisation.get_or_create(
                name=name,
                defaults={
                    "kind": kind,
                    "commune": commune,
                    "territory": territory,
                    "contact_email": email,
                    "phone": phone,
                },
            )
        password_hash = hash_password(DEMO_PASSWORD)
        for account in ACCOUNTS:
            user, _ = await User.get_or_create(
                email=account.email,
                defaults={
                    "full_name": account.full_name,
                    "profession": account.profession,
                    "password_hash": password_hash,
                },
            )
            organisation = await Organisation.get(name=account.organisation)
            await Membership.get_or_create(
                user_id=user.id, organisation_id=organisation.id, defaults={"role": account.role}
            )
        zone = zone or ZoneInfo("Europe/Paris")
        today = local_today(zone)
        await _load_rooms(today, zone)
        await _load_convention()
        await load_demo_workshops(pmi_name=PMI_NORD, today=today, zone=zone)
    return ACCOUNTS

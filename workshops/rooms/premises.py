"""Sites and rooms as their centre describes them, and who may see or change them.

Every site belongs to one centre; only the managers of that centre change it (DESIGN section 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal

from tortoise.exceptions import IntegrityError

from workshops.accounts import Organisation, OrganisationKind
from workshops.audit import Actor, record_event
from workshops.kernel.db import transaction
from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid
from workshops.rooms.models import Equipment, Room, Site

EQUIPMENT_CODES = frozenset(e.value for e in Equipment)
EQUIPMENT_LABELS = {
    Equipment.MATS: "Tapis de sol",
    Equipment.CHANGING_TABLE: "Table à langer",
    Equipment.SINK: "Point d'eau",
    Equipment.FURNITURE: "Mobilier prêté par le centre",
}


@dataclass(frozen=True)
class SiteDetails:
    name: str
    address: str
    postcode: str
    commune: str
    access_notes: str = ""
    # INSEE code of the commune chosen from the official list; "" when kept as typed.
    commune_code: str = ""


@dataclass(frozen=True)
class RoomDetails:
    name: str
    capacity: int
    surface_m2: int | None
    equipment: tuple[str, ...]
    step_free: bool
    accessibility_notes: str
    hourly_value: Decimal


def _site_errors(details: SiteDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not details.name:
        errors["name"] = _("Indiquez le nom du lieu.")
    if not details.address:
        errors["address"] = _("Indiquez l'adresse.")
    if not details.commune:
        errors["commune"] = _("Indiquez la commune.")
    return errors


def _room_errors(details: RoomDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not details.name:
        errors["name"] = _("Indiquez le nom de la salle.")
    if not set(details.equipment) <= EQUIPMENT_CODES:
        errors["equipment"] = _("Choisissez les équipements dans la liste.")
    return errors


def choose_centre_message() -> str:
    return _("Choisissez un centre partenaire dont vous gérez les salles.")


async def _centre(organisation_id: int) -> Organisation:
    centre = await Organisation.get_or_none(id=organisation_id, kind=OrganisationKind.CENTRE)
    if centre is None:
        raise Invalid({"organisation": choose_centre_message()})
    return centre


async def save_site(
    *, actor: Actor, organisation_id: int, details: SiteDetails, site: Site | None = None
) -> Site:
    """Create a site of a centre, or update `site`."""
    errors = _site_errors(details)
    if errors:
        raise Invalid(errors)
    centre = await _centre(organisation_id)
    duplicate = Site.filter(organisation_id=centre.id, name=details.name)
    if site is not None:
        duplicate = duplicate.exclude(id=site.id)
    if await duplicate.exists():
        raise Invalid({"name": _("Ce centre a déjà un lieu de ce nom.")})
    try:
        async with transaction():
            if site is None:
                site = await Site.create(organisation_id=centre.id, **asdict(details))
                action, summary = "site.created", f"Lieu créé : {details.name}"
            else:
                site.update_from_dict(asdict(details))
                await site.save()
                action, summary = "site.updated", f"Lieu modifié : {details.name}"
            await record_event(
                actor=actor,
                action=action,
                summary=summary,
                object_type="site",
                object_id=site.id,
                organisation_id=centre.id,
            )
    except IntegrityError:
        raise Invalid({"name": _("Ce centre a déjà un lieu de ce nom.")}) from None
    return site


async def save_room(
    *, actor: Actor, site: Site, details: RoomDetails, room: Room | None = None
) -> Room:
    """Create a room of `site`, or update `room`."""
    errors = _room_errors(details)
    if errors:
        raise Invalid(errors)
    duplicate = Room.filter(site_id=site.id, name=details.name)
    if room is not None:
        duplicate = duplicate.exclude(id=room.id)
    if await duplicate.exists():
        raise Invalid({"name": _("Ce lieu a déjà une salle de ce nom.")})
    values = {**asdict(details), "equipment": list(details.equipment)}
    try:
        async with transaction():
            if room is None:
                room = await Room.create(site_id=site.id, **values)
                action, summary = "room.created", f"Salle créée : {details.name} ({site.name})"
            else:
                room.update_from_dict(values)
                await room.save()
                action, summary = "room.updated", f"Salle modifiée : {details.name} ({site.name})"
            await record_event(
                actor=actor,
                action=action,
                summary=summary,
                object_type="room",
                object_id=room.id,
                organisation_id=site.organisation_id,
            )
    except IntegrityError:
        raise Invalid({"name": _("Ce lieu a déjà une salle de ce nom.")}) from None
    return room


async def get_site(site_id: int) -> Site | None:
    site: Site | None = await Site.get_or_none(id=site_id).prefetch_related("organisation")
    return site


async def get_room(room_id: int) -> Room | None:
    room: Room | None = await Room.get_or_none(id=room_id).prefetch_related(
        "site", "site__organisation"
    )
    return room


async def sites_of(organisation_ids: Sequence[int]) -> list[Site]:
    """The sites of these centres, each with its rooms."""
    sites = await Site.filter(organisation_id__in=list(organisation_ids)).prefetch_related(
        "organisation", "rooms"
    )
    return list(sites)


async def communes_with_rooms() -> list[str]:
    """The communes where some centre lends a room: suggestions for the search form."""
    communes = (
        await Site.filter(rooms__id__isnull=False)
        .order_by("commune")
        .distinct()
        .values_list("commune", flat=True)
    )
    return [str(commune) for commune in communes]


async def rooms_of_site(site: Site) -> list[Room]:
    return list(await Room.filter(site_id=site.id))


def equipment_labels(room: Room) -> list[str]:
    return [_(EQUIPMENT_LABELS[Equipment(c)]) for c in room.equipment if c in EQUIPMENT_CODES]

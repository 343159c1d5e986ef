"""Sites and rooms as a centre describes them: names unique where they must be, all audited."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import make_organisation
from tests.rooms.factories import make_centre, make_person, make_room
from workshops.accounts.models import Role
from workshops.audit.models import AuditEvent
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.rooms.models import Room, Site
from workshops.rooms.premises import (
    RoomDetails,
    SiteDetails,
    equipment_labels,
    save_room,
    save_site,
)

SCHUMAN = SiteDetails(
    name="Centre Robert Schuman",
    address="5 rue du Maréchal Joffre",
    postcode="67500",
    commune="Haguenau",
)


def _room(name: str = "Salle polyvalente", equipment: tuple[str, ...] = ("sink",)) -> RoomDetails:
    return RoomDetails(
        name=name,
        capacity=30,
        surface_m2=90,
        equipment=equipment,
        step_free=True,
        accessibility_notes="Ascenseur",
        hourly_value=Decimal("35.00"),
    )


async def test_a_centre_cannot_have_two_sites_of_the_same_name(database: Settings) -> None:
    centre = await make_centre()
    manager = await make_person(centre, Role.CENTRE_MANAGER)
    site = await save_site(actor=manager.actor, organisation_id=centre.id, details=SCHUMAN)
    with pytest.raises(Invalid) as refused:
        await save_site(actor=manager.actor, organisation_id=centre.id, details=SCHUMAN)
    assert refused.value.errors["name"] == "Ce centre a déjà un lieu de ce nom."
    renamed = await save_site(
        actor=manager.actor,
        organisation_id=centre.id,
        details=SiteDetails("Annexe Schuman", "7 rue Joffre", "67500", "Haguenau"),
        site=site,
    )
    assert (await Site.get(id=site.id)).name == renamed.name == "Annexe Schuman"
    events = await AuditEvent.filter(object_type="site")
    assert sorted(event.action for event in events) == ["site.created", "site.updated"]


async def test_a_site_needs_an_address_and_a_partner_centre(database: Settings) -> None:
    pmi = await make_organisation()
    manager = await make_person(await make_centre(), Role.CENTRE_MANAGER)
    with pytest.raises(Invalid) as refused:
        await save_site(
            actor=manager.actor,
            organisation_id=manager.organisation.id,
            details=SiteDetails("Lieu", "", "", ""),
        )
    assert set(refused.value.errors) == {"address", "commune"}
    with pytest.raises(Invalid) as not_a_centre:
        await save_site(actor=manager.actor, organisation_id=pmi.id, details=SCHUMAN)
    assert "organisation" in not_a_centre.value.errors
    assert await Site.all().count() == 0


async def test_a_room_keeps_its_equipment_and_refuses_unknown_tags(database: Settings) -> None:
    existing = await make_room()
    manager = await make_person(existing.site.organisation, Role.CENTRE_MANAGER)
    room = await save_room(
        actor=manager.actor, site=existing.site, details=_room(equipment=("mats", "sink"))
    )
    assert equipment_labels(room) == ["Tapis de sol", "Point d'eau"]
    with pytest.raises(Invalid) as unknown:
        await save_room(actor=manager.actor, site=existing.site, details=_room("Autre", ("piano",)))
    assert unknown.value.errors["equipment"] == "Choisissez les équipements dans la liste."
    with pytest.raises(Invalid) as duplicate:
        await save_room(actor=manager.actor, site=existing.site, details=_room(existing.name))
    assert duplicate.value.errors["name"] == "Ce lieu a déjà une salle de ce nom."
    assert await Room.filter(site_id=existing.site.id).count() == 2

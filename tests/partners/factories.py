"""Conventions for tests: the founding Bas-Rhin case by default (signed, from 2025-09-01)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tests.factories import make_organisation
from tests.rooms.factories import Person, make_centre, make_person, make_room
from workshops.accounts.models import Organisation, OrganisationKind, Role
from workshops.partners.clauses import model_clauses
from workshops.partners.models import Convention, ConventionRoom
from workshops.rooms.models import Room

FOUNDING_START = date(2025, 9, 1)
FOUNDING_SIGNATURE = date(2025, 6, 15)


@dataclass(frozen=True)
class Partnership:
    """A PMI and a centre with a room, a coordinator and a manager, and their convention."""

    pmi: Organisation
    centre: Organisation
    room: Room
    coordinator: Person
    manager: Person
    convention: Convention


async def make_convention(
    pmi: Organisation,
    partner: Organisation,
    rooms: list[Room] | None = None,
    *,
    starts_on: date = FOUNDING_START,
    signed_on: date | None = FOUNDING_SIGNATURE,
    tacit_renewal: bool = True,
    terminated_on: date | None = None,
) -> Convention:
    convention = await Convention.create(
        pmi_id=pmi.id,
        partner_id=partner.id,
        starts_on=starts_on,
        signed_on=signed_on,
        tacit_renewal=tacit_renewal,
        terminated_on=terminated_on,
        clauses=model_clauses(),
    )
    for room in rooms or []:
        await ConventionRoom.create(convention_id=convention.id, room_id=room.id)
    return await Convention.get(id=convention.id).prefetch_related("pmi", "partner", "documents")


async def make_partnership(
    *, starts_on: date = FOUNDING_START, signed_on: date | None = FOUNDING_SIGNATURE
) -> Partnership:
    pmi = await make_organisation(OrganisationKind.PMI)
    centre = await make_centre()
    room = await make_room(centre)
    convention = await make_convention(
        pmi, centre, [room], starts_on=starts_on, signed_on=signed_on
    )
    return Partnership(
        pmi=pmi,
        centre=centre,
        room=room,
        coordinator=await make_person(pmi, Role.COORDINATOR),
        manager=await make_person(centre, Role.CENTRE_MANAGER),
        convention=convention,
    )

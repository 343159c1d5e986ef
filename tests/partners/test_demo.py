"""The demo's Haguenau convention: signed, in force, covering both rooms of the centre."""

from __future__ import annotations

from datetime import date

from workshops.demo import CSC_SCHUMAN, PMI_NORD, load_demo
from workshops.kernel.settings import Settings
from workshops.partners.conventions import covered_rooms
from workshops.partners.models import Convention, ConventionRoom
from workshops.partners.schedule import status_of
from workshops.partners.terms import ConventionStatus


async def test_the_demo_holds_the_founding_convention_once(database: Settings) -> None:
    await load_demo(database.zone)
    await load_demo(database.zone)

    [convention] = await Convention.all().prefetch_related("pmi", "partner")
    assert (convention.pmi.name, convention.partner.name) == (PMI_NORD, CSC_SCHUMAN)
    assert convention.starts_on == date(2025, 9, 1)
    assert status_of(convention, date(2026, 11, 22)) is ConventionStatus.ACTIVE
    assert "à titre gracieux" in convention.clauses["premises"]
    rooms = await covered_rooms(convention)
    assert sorted(room.name for room in rooms) == ["Salle petite enfance", "Salle polyvalente"]
    assert await ConventionRoom.all().count() == 2

"""The demo fills the catalogue: published workshops in the demo rooms, some full with a list."""

from __future__ import annotations

import httpx

from workshops.demo import load_demo
from workshops.kernel.settings import Settings
from workshops.planning.models import Session, Workshop, WorkshopStatus
from workshops.rooms.models import BookingStatus
from workshops.signup.models import Registration, RegistrationStatus


async def test_the_demo_publishes_workshops_some_full_and_runs_twice(
    client: httpx.AsyncClient, database: Settings
) -> None:
    await load_demo()
    await load_demo()
    workshops = await Workshop.filter(status=WorkshopStatus.PUBLISHED)
    assert len(workshops) == 4
    assert all(
        s.booking.status == BookingStatus.CONFIRMED
        for s in await Session.all().prefetch_related("booking")
    )
    full = [w for w in workshops if w.places_left == 0]
    assert full
    assert await Registration.filter(
        workshop_id=full[0].id, status=RegistrationStatus.WAITLISTED
    ).exists()
    catalogue = await client.get("/")
    assert "4 ateliers à venir" in catalogue.text
    assert "complet – liste d'attente" in catalogue.text

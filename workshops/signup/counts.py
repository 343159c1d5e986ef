"""How full workshops are, for the staff pages: families and places confirmed, families waiting."""

from __future__ import annotations

from workshops.planning import Counts, WorkshopRow
from workshops.signup.models import Registration, RegistrationStatus


async def counts_of(workshop_ids: list[int]) -> dict[int, Counts]:
    counts = {workshop_id: Counts() for workshop_id in workshop_ids}
    for registration in await Registration.filter(
        workshop_id__in=workshop_ids,
        status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED],
    ).only("id", "workshop_id", "status", "places"):
        row = counts[registration.workshop_id]
        if registration.status == RegistrationStatus.CONFIRMED:
            row.confirmed_families += 1
            row.confirmed_places += registration.places
        else:
            row.waiting_families += 1
    return counts


async def with_counts(rows: list[WorkshopRow]) -> list[WorkshopRow]:
    """The rows, each with the counts of its workshop."""
    counts = await counts_of([row.workshop.id for row in rows])
    for row in rows:
        row.counts = counts[row.workshop.id]
    return rows

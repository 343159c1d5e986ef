"""Rule 1 under load: a workshop never confirms more places than it has, on either database."""

from __future__ import annotations

import asyncio

from tests.planning.factories import make_workshop
from tests.signup.helpers import family
from workshops.kernel.settings import Settings
from workshops.planning.models import Workshop
from workshops.signup.models import Registration, RegistrationStatus
from workshops.signup.registering import register_family


async def test_fifty_simultaneous_families_share_six_places_and_wait_in_arrival_order(
    database: Settings,
) -> None:
    workshop = await make_workshop(capacity=6)
    families = [family(f"famille-{number:02d}@exemple.fr") for number in range(50)]

    outcomes = await asyncio.gather(
        *(
            register_family(settings=database, workshop_id=workshop.id, family=one)
            for one in families
        )
    )

    assert all(outcome.created for outcome in outcomes)
    registrations = list(await Registration.filter(workshop_id=workshop.id).order_by("id"))
    statuses = [registration.status for registration in registrations]
    assert statuses.count(RegistrationStatus.CONFIRMED) == 6
    assert statuses.count(RegistrationStatus.WAITLISTED) == 44
    # Arrival order is the order of commit, which the registration id follows: the first six
    # committed hold the places, everybody after them waits.
    assert statuses == [RegistrationStatus.CONFIRMED] * 6 + [RegistrationStatus.WAITLISTED] * 44
    assert (await Workshop.get(id=workshop.id)).places_taken == 6


async def test_a_family_of_twins_takes_two_places_and_the_last_place_cannot_hold_them(
    database: Settings,
) -> None:
    from tests.signup.helpers import months_ago
    from workshops.signup.eligibility import Child

    workshop = await make_workshop(capacity=3)
    first = await register_family(
        settings=database,
        workshop_id=workshop.id,
        family=family(children=[Child(months_ago(3)), Child(months_ago(3))]),
    )
    twins = await register_family(
        settings=database,
        workshop_id=workshop.id,
        family=family(children=[Child(months_ago(5)), Child(months_ago(5))]),
    )
    assert first.confirmed and first.registration.places == 2
    assert not twins.confirmed
    assert (await Workshop.get(id=workshop.id)).places_taken == 2


async def test_when_someone_waits_a_smaller_family_does_not_jump_the_queue(
    database: Settings,
) -> None:
    from tests.signup.helpers import months_ago
    from workshops.signup.eligibility import Child

    workshop = await make_workshop(capacity=3)
    await register_family(
        settings=database,
        workshop_id=workshop.id,
        family=family(children=[Child(months_ago(3)), Child(months_ago(3))]),
    )
    waiting = await register_family(
        settings=database,
        workshop_id=workshop.id,
        family=family(children=[Child(months_ago(5)), Child(months_ago(5))]),
    )
    single = await register_family(settings=database, workshop_id=workshop.id, family=family())
    assert not waiting.confirmed
    assert not single.confirmed


async def test_ten_simultaneous_daix_families_get_exactly_the_daix_quota(
    database: Settings,
) -> None:
    from workshops.planning.models import EligibleCommune

    workshop = await make_workshop(capacity=8, communes=(("Talant", None), ("Daix", 2)))
    outcomes = await asyncio.gather(
        *(
            register_family(
                settings=database, workshop_id=workshop.id, family=family(commune="Daix")
            )
            for _number in range(10)
        )
    )
    assert sum(outcome.confirmed for outcome in outcomes) == 2
    assert (await EligibleCommune.get(workshop_id=workshop.id, commune="Daix")).places_taken == 2
    assert (await Workshop.get(id=workshop.id)).places_taken == 2

"""Rule 2: freed places go to the waiting list in order, at once, with an e-mail each."""

from __future__ import annotations

from datetime import timedelta

from tests.planning.factories import make_workshop
from tests.rooms.factories import make_facilitator
from tests.signup.helpers import family, mails_to
from workshops.kernel.clock import utc_now
from workshops.kernel.settings import Settings
from workshops.signup.cancelling import cancel_by_family
from workshops.signup.models import Registration, RegistrationStatus
from workshops.signup.registering import register_family
from workshops.signup.waitlist import move_from_waitlist, waiting_position
from workshops.signup.workshop_changes import change_capacity


async def _full_workshop_with_list(
    settings: Settings, waiting: int
) -> tuple[int, list[Registration], list[Registration]]:
    workshop = await make_workshop(capacity=3)
    confirmed: list[Registration] = []
    waitlisted: list[Registration] = []
    for _number in range(3 + waiting):
        outcome = await register_family(settings=settings, workshop_id=workshop.id, family=family())
        (confirmed if outcome.confirmed else waitlisted).append(outcome.registration)
    return workshop.id, confirmed, waitlisted


async def test_three_cancellations_promote_the_first_three_of_the_list_each_told_once(
    database: Settings,
) -> None:
    _workshop_id, confirmed, waitlisted = await _full_workshop_with_list(database, waiting=5)
    assert [await waiting_position(r) for r in waitlisted] == [1, 2, 3, 4, 5]

    promoted = []
    for registration in confirmed:
        promoted += await cancel_by_family(settings=database, registration=registration)

    assert [r.id for r in promoted] == [r.id for r in waitlisted[:3]]
    for registration in waitlisted[:3]:
        await registration.refresh_from_db()
        assert registration.status == RegistrationStatus.CONFIRMED
        [mail] = await mails_to(registration.email, "signup_promoted")
        assert "BEGIN:VEVENT" in mail.calendar
    for registration in waitlisted[3:]:
        await registration.refresh_from_db()
        assert registration.status == RegistrationStatus.WAITLISTED
        assert await mails_to(registration.email, "signup_promoted") == []
    assert await waiting_position(waitlisted[3]) == 1


async def test_raising_the_capacity_promotes_the_list(database: Settings) -> None:
    workshop_id, _confirmed, waitlisted = await _full_workshop_with_list(database, waiting=2)
    facilitator = await make_facilitator()
    from workshops.planning.models import Workshop

    workshop = await Workshop.get(id=workshop_id)
    promoted = await change_capacity(
        settings=database, actor=facilitator.actor, workshop=workshop, capacity=4
    )
    assert [r.id for r in promoted] == [waitlisted[0].id]
    assert workshop.places_taken == 4


async def test_nobody_is_promoted_once_the_first_session_has_started(database: Settings) -> None:
    _workshop_id, confirmed, waitlisted = await _full_workshop_with_list(database, waiting=1)
    from workshops.signup.cancelling import cancel_by_staff

    facilitator = await make_facilitator()
    after_start = utc_now() + timedelta(days=10, hours=1)
    promoted = await cancel_by_staff(
        settings=database, actor=facilitator.actor, registration=confirmed[0], now=after_start
    )
    assert promoted == []
    await waitlisted[0].refresh_from_db()
    assert waitlisted[0].status == RegistrationStatus.WAITLISTED


async def test_staff_moves_a_family_from_the_list_by_hand_when_a_place_is_free(
    database: Settings,
) -> None:
    workshop_id, _confirmed, waitlisted = await _full_workshop_with_list(database, waiting=2)
    from workshops.audit.models import AuditEvent
    from workshops.planning.models import Workshop
    from workshops.signup.capacity import set_capacity

    await set_capacity(workshop_id=workshop_id, capacity=4)  # raised without promoting
    facilitator = await make_facilitator()
    second = waitlisted[1]
    await move_from_waitlist(
        settings=database, actor=facilitator.actor, registration=second, now=utc_now()
    )
    assert second.status == RegistrationStatus.CONFIRMED
    assert (await Workshop.get(id=workshop_id)).places_taken == 4
    assert await AuditEvent.filter(action="registration.moved_from_waitlist").count() == 1


async def test_simultaneous_cancellations_and_sign_ups_never_overfill_and_keep_the_order(
    database: Settings,
) -> None:
    import asyncio

    from workshops.planning.models import Workshop

    workshop_id, confirmed, waitlisted = await _full_workshop_with_list(database, waiting=4)
    newcomers = [family(f"nouvelle{number}@exemple.fr") for number in range(5)]
    await asyncio.gather(
        *(cancel_by_family(settings=database, registration=r) for r in confirmed),
        *(
            register_family(settings=database, workshop_id=workshop_id, family=one)
            for one in newcomers
        ),
    )
    workshop = await Workshop.get(id=workshop_id)
    confirmed_now = await Registration.filter(
        workshop_id=workshop_id, status=RegistrationStatus.CONFIRMED
    ).order_by("id")
    assert workshop.places_taken == sum(r.places for r in confirmed_now) == 3
    # The three places freed went to the first three of the list, never to a newcomer.
    assert [r.id for r in confirmed_now] == [r.id for r in waitlisted[:3]]
    for registration in waitlisted[:3]:
        assert len(await mails_to(registration.email, "signup_promoted")) == 1


async def test_a_family_held_back_by_its_commune_quota_is_passed_over_by_the_promotion(
    database: Settings,
) -> None:
    workshop = await make_workshop(capacity=2, communes=(("Talant", None), ("Daix", 1)))

    async def sign_up(commune: str) -> Registration:
        outcome = await register_family(
            settings=database, workshop_id=workshop.id, family=family(commune=commune)
        )
        return outcome.registration

    daix_in, talant_in = await sign_up("Daix"), await sign_up("Talant")
    daix_waiting, talant_waiting = await sign_up("Daix"), await sign_up("Talant")
    assert daix_waiting.status == talant_waiting.status == RegistrationStatus.WAITLISTED

    promoted = await cancel_by_family(settings=database, registration=talant_in)
    assert [r.id for r in promoted] == [talant_waiting.id]
    promoted = await cancel_by_family(settings=database, registration=daix_in)
    assert [r.id for r in promoted] == [daix_waiting.id]

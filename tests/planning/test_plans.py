"""Planning rules: publishing, duplicating onto new dates, cancelling a whole workshop."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.planning.factories import in_days, make_workshop
from tests.rooms.factories import make_room
from tests.signup.helpers import family, mails_to
from workshops.accounts.signin import load_staff
from workshops.audit.events import Actor
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.planning.models import (
    EligibleCommune,
    Facilitation,
    Session,
    Workshop,
    WorkshopStatus,
)
from workshops.planning.plans import duplicate_workshop, publish_workshop
from workshops.rooms.models import BookingStatus, RoomBooking
from workshops.signup.registering import register_family
from workshops.signup.workshop_changes import cancel_workshop


async def _lead(workshop: Workshop) -> Actor:
    [lead] = await Facilitation.filter(workshop_id=workshop.id).prefetch_related("user")
    staff = await load_staff(lead.user.id, lead.user.session_version)
    assert staff is not None
    return Actor(staff=staff)


async def test_cancelling_a_workshop_tells_confirmed_and_waiting_families(
    database: Settings,
) -> None:
    workshop = await make_workshop(capacity=1, sessions=2)
    for email in ("inscrite@exemple.fr", "attente@exemple.fr"):
        await register_family(settings=database, workshop_id=workshop.id, family=family(email))
    await cancel_workshop(
        settings=database, actor=await _lead(workshop), workshop=workshop, message="Grève."
    )
    assert workshop.status == WorkshopStatus.CANCELLED
    for email in ("inscrite@exemple.fr", "attente@exemple.fr"):
        [mail] = await mails_to(email, "session_cancelled")
        assert "METHOD:CANCEL" in mail.calendar
        assert mail.calendar.count("STATUS:CANCELLED") == 2
    assert {s.sequence for s in await Session.filter(workshop_id=workshop.id)} == {1}
    with pytest.raises(Invalid):
        await register_family(settings=database, workshop_id=workshop.id, family=family())


async def test_a_workshop_is_duplicated_onto_new_dates_as_a_draft(database: Settings) -> None:
    workshop = await make_workshop(communes=(("Talant", None), ("Daix", 3)))
    actor = await _lead(workshop)
    assert actor.staff is not None
    start = in_days(40)
    booking = await RoomBooking.create(
        room_id=(await make_room()).id,
        requested_by_id=actor.staff.id,
        organisation_id=workshop.organisation_id,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=BookingStatus.PENDING,
    )
    copy = await duplicate_workshop(actor=actor, workshop=workshop, booking_ids=[booking.id])
    assert copy.status == WorkshopStatus.DRAFT
    assert copy.title == workshop.title
    quotas = [(c.commune, c.quota) for c in await EligibleCommune.filter(workshop_id=copy.id)]
    assert sorted(quotas) == [("Daix", 3), ("Talant", None)]
    with pytest.raises(Invalid) as refused:
        await publish_workshop(actor=actor, workshop=copy)
    assert "salle confirmée" in refused.value.errors["workshop"]


async def test_a_booking_of_another_organisation_cannot_hold_a_session(
    database: Settings,
) -> None:
    workshop = await make_workshop()
    other = await make_workshop()
    foreign_session = await Session.get(workshop_id=other.id)
    with pytest.raises(Invalid) as refused:
        await duplicate_workshop(
            actor=await _lead(workshop), workshop=workshop, booking_ids=[foreign_session.booking_id]
        )
    assert "bookings" in refused.value.errors


async def test_sign_ups_wait_for_the_registration_window(database: Settings) -> None:
    workshop = await make_workshop()
    await Workshop.filter(id=workshop.id).update(registration_opens_at=in_days(2))
    with pytest.raises(Invalid) as refused:
        await register_family(settings=database, workshop_id=workshop.id, family=family())
    assert "pas encore ouvertes" in refused.value.errors["workshop"]


async def test_only_colleagues_of_the_organisation_co_lead_a_workshop(database: Settings) -> None:
    from tests.rooms.factories import make_facilitator
    from workshops.planning.plans import WorkshopPlan, create_workshop

    workshop = await make_workshop()
    actor = await _lead(workshop)
    stranger = await make_facilitator()
    plan = WorkshopPlan(
        theme_id=workshop.theme_id,
        title="Jeux",
        capacity=6,
        facilitator_ids=(stranger.user.id,),
    )
    with pytest.raises(Invalid) as refused:
        await create_workshop(
            actor=actor, organisation_id=workshop.organisation_id, plan=plan, booking_ids=[]
        )
    assert "collègues" in refused.value.errors["facilitators"]

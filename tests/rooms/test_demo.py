"""The demo lets a facilitator ask for a weekly series in Haguenau, confirmed in one action."""

from __future__ import annotations

from datetime import timedelta

from tests.clock import PARIS
from workshops.accounts.models import User
from workshops.accounts.permissions import Staff
from workshops.accounts.signin import load_staff
from workshops.audit.events import Actor
from workshops.demo import CSC_SCHUMAN, load_demo
from workshops.kernel.clock import local_today
from workshops.kernel.settings import Settings
from workshops.mail.models import OutboxMessage
from workshops.rooms.availability import Slot
from workshops.rooms.booking import confirm_booking
from workshops.rooms.models import Availability, BookingStatus, Closure, Room, RoomBooking, Site
from workshops.rooms.requesting import request_booking, requester_organisation


async def _actor(email: str) -> Actor:
    user = await User.get(email=email)
    staff = await load_staff(user.id, user.session_version)
    assert staff is not None
    return Actor(staff=staff)


async def _counts() -> list[int]:
    # The demo workshops' confirmed bookings are counted by the planning demo test.
    pending = await RoomBooking.filter(status=BookingStatus.PENDING).count()
    return [await model.all().count() for model in (Site, Room, Availability, Closure)] + [pending]


async def test_loading_the_demo_twice_adds_nothing(database: Settings) -> None:
    await load_demo(database.zone)
    counts = await _counts()
    await load_demo(database.zone)
    assert counts == await _counts() == [2, 3, 5, 2, 1]


async def test_a_weekly_series_over_christmas_is_asked_and_confirmed_in_one_action(
    database: Settings,
) -> None:
    await load_demo(database.zone)
    room = await Room.get(
        name="Salle petite enfance", site__organisation__name=CSC_SCHUMAN
    ).prefetch_related("site", "site__organisation")
    christmas = await Closure.filter(
        site_id=room.site.id, starts_on__gt=local_today(PARIS) + timedelta(weeks=3)
    ).first()
    assert christmas is not None
    first_tuesday = christmas.starts_on - timedelta(days=(christmas.starts_on.weekday() - 1) % 7)
    first_tuesday -= timedelta(weeks=2)
    facilitator = await _actor("puericultrice@demo.ateliers.example")
    assert isinstance(facilitator.staff, Staff)
    series = await request_booking(
        actor=facilitator,
        room=room,
        slot=Slot(first_tuesday, 9 * 60 + 30, 11 * 60 + 30),
        weeks=8,
        message="Massage bébé, cycle de 8 séances",
        organisation_id=requester_organisation(facilitator.staff),
        settings=database,
    )
    tuesdays = [first_tuesday + timedelta(weeks=n) for n in range(8)]
    open_tuesdays = [d for d in tuesdays if not christmas.starts_on <= d <= christmas.ends_on]
    assert len(open_tuesdays) in (5, 6)  # the Tuesdays of the Christmas holidays are skipped
    assert [b.starts_at.astimezone(database.zone).date() for b in series] == open_tuesdays
    manager = await _actor("csc-schuman@demo.ateliers.example")
    decision = await confirm_booking(
        settings=database, actor=manager, booking=series[0], whole_series=True
    )
    assert len(decision.confirmed) == len(open_tuesdays)
    confirmed = await RoomBooking.filter(
        status=BookingStatus.CONFIRMED, series=series[0].series
    ).count()
    assert confirmed == len(open_tuesdays)
    mails = await OutboxMessage.all().order_by("id")
    assert [(mail.template, mail.recipient) for mail in mails] == [
        ("room_request", "csc-schuman@demo.ateliers.example"),
        ("room_request", "accueil@csc-schuman.example"),
        ("room_decision", "puericultrice@demo.ateliers.example"),
    ]
    assert mails[2].calendar.count("BEGIN:VEVENT") == len(open_tuesdays)

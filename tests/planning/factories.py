"""Workshops for tests: a theme, a published workshop with sessions in confirmed bookings."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.rooms.factories import make_facilitator, make_room
from workshops.accounts.models import Organisation
from workshops.kernel.clock import utc_now
from workshops.kernel.communes import matching
from workshops.planning.models import (
    EligibleCommune,
    Facilitation,
    Session,
    Theme,
    Workshop,
    WorkshopStatus,
)
from workshops.rooms.models import BookingStatus, Room, RoomBooking


async def make_theme(name: str = "Massage bébé", *, prenatal: bool = False) -> Theme:
    theme, _ = await Theme.get_or_create(
        name=name,
        defaults={
            "prenatal": prenatal,
            "min_age_months": None if prenatal else 1,
            "max_age_months": None if prenatal else 9,
            "what_to_bring": "Une serviette et un change.",
        },
    )
    return theme


def in_days(days: float) -> datetime:
    start = utc_now().replace(microsecond=0, second=0) + timedelta(days=days)
    return start


async def make_workshop(
    *,
    capacity: int = 6,
    days_ahead: float = 10,
    sessions: int = 1,
    organisation: Organisation | None = None,
    room: Room | None = None,
    status: WorkshopStatus = WorkshopStatus.PUBLISHED,
    booking_status: BookingStatus = BookingStatus.CONFIRMED,
    prenatal: bool = False,
    min_age_months: int | None = None,
    max_age_months: int | None = None,
    communes: tuple[tuple[str, int | None], ...] = (),
    title: str = "Massage bébé",
) -> Workshop:
    """A workshop whose sessions start `days_ahead` days from now, one week apart."""
    facilitator = await make_facilitator()
    organisation = organisation or facilitator.organisation
    room = room or await make_room()
    workshop = await Workshop.create(
        organisation_id=organisation.id,
        theme_id=(await make_theme()).id,
        title=title,
        description="Un moment de douceur avec votre bébé.",
        capacity=capacity,
        prenatal=prenatal,
        min_age_months=min_age_months,
        max_age_months=max_age_months,
        status=status,
        created_by_id=facilitator.user.id,
    )
    await Facilitation.create(workshop_id=workshop.id, user_id=facilitator.user.id)
    for name, quota in communes:
        # By name, as a facilitator types it; the official list gives the INSEE code.
        found = matching(name)
        code = found[0].code if len(found) == 1 else ""
        await EligibleCommune.create(
            workshop_id=workshop.id, commune=name, commune_code=code, quota=quota
        )
    for number in range(sessions):
        starts_at = in_days(days_ahead + 7 * number)
        booking = await RoomBooking.create(
            room_id=room.id,
            requested_by_id=facilitator.user.id,
            organisation_id=organisation.id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            status=booking_status,
        )
        await Session.create(
            workshop_id=workshop.id,
            booking_id=booking.id,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
        )
    return workshop

"""What the staff planning pages read: workshops by side, bookings free for a session.

A PMI member sees its organisations' workshops in full; a centre manager sees the workshops held
in its rooms with counts only, never the families (DESIGN section 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from workshops.accounts import Membership, Permission, Role, Staff, User
from workshops.planning.models import Session, Theme, Workshop
from workshops.rooms import BookingStatus, RoomBooking


@dataclass
class Counts:
    """How full a workshop is; the registrations are counted by `workshops.signup.counts`."""

    confirmed_families: int = 0
    confirmed_places: int = 0
    waiting_families: int = 0


@dataclass
class WorkshopRow:
    workshop: Workshop
    sessions: list[Session] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    planner: bool = False

    @property
    def room_problem(self) -> bool:
        """A planned session whose room booking is no longer confirmed (cancelled by the centre)."""
        return any(
            s.cancelled_at is None and s.booking.status != BookingStatus.CONFIRMED
            for s in self.sessions
        )


async def visible_to(staff: Staff) -> list[WorkshopRow]:
    """The workshops of the member's PMI organisations, and those held in their centres' rooms."""
    planning = set(staff.organisation_ids(Permission.PLAN_WORKSHOPS))
    centres = staff.organisation_ids(Permission.VIEW_WORKSHOPS_IN_ROOMS)
    in_rooms = await Session.filter(booking__room__site__organisation_id__in=centres).only(
        "id", "workshop_id"
    )
    ids = {s.workshop_id for s in in_rooms}
    workshops = await Workshop.filter(organisation_id__in=planning).only("id")
    ids |= {w.id for w in workshops}
    rows = {
        w.id: WorkshopRow(workshop=w, planner=w.organisation_id in planning)
        for w in await Workshop.filter(id__in=list(ids)).prefetch_related("theme")
    }
    for session in (
        await Session.filter(workshop_id__in=list(rows))
        .order_by("starts_at")
        .prefetch_related("booking", "booking__room", "booking__room__site")
    ):
        rows[session.workshop_id].sessions.append(session)
    return sorted(
        rows.values(),
        key=lambda row: row.sessions[0].starts_at.timestamp() if row.sessions else 0.0,
        reverse=True,
    )


async def upcoming_sessions_of(user_id: int, now: datetime) -> list[Session]:
    """The sessions a facilitator leads from now on, soonest first."""
    return list(
        await Session.filter(
            workshop__facilitators__user_id=user_id, ends_at__gt=now, cancelled_at__isnull=True
        )
        .order_by("starts_at")
        .prefetch_related("workshop", "booking", "booking__room", "booking__room__site")
    )


async def free_bookings(organisation_id: int, now: datetime) -> list[RoomBooking]:
    """Future bookings of this organisation (confirmed or pending) that hold no session yet."""
    used = {
        s.booking_id
        for s in await Session.filter(
            booking__organisation_id=organisation_id, cancelled_at__isnull=True
        ).only("id", "booking_id")
    }
    bookings = await RoomBooking.filter(
        organisation_id=organisation_id,
        status__in=[BookingStatus.CONFIRMED, BookingStatus.PENDING],
        starts_at__gt=now,
    ).prefetch_related("room", "room__site")
    return [booking for booking in bookings if booking.id not in used]


async def colleagues(organisation_id: int) -> list[User]:
    """Facilitators and coordinators of this organisation, who may co-lead a workshop."""
    memberships = await Membership.filter(
        organisation_id=organisation_id,
        role__in=[Role.FACILITATOR, Role.COORDINATOR],
        user__is_active=True,
    ).prefetch_related("user")
    return sorted((m.user for m in memberships), key=lambda user: user.full_name)


async def all_themes() -> list[Theme]:
    return list(await Theme.all().order_by("name"))


async def find_workshop(workshop_id: int) -> Workshop | None:
    """One workshop with its theme, or None."""
    workshop: Workshop | None = await Workshop.get_or_none(id=workshop_id).prefetch_related("theme")
    return workshop


async def find_session(session_id: int) -> Session | None:
    """One session with its workshop and where it is held, or None."""
    session: Session | None = await Session.get_or_none(id=session_id).prefetch_related(
        "workshop", "booking", "booking__room", "booking__room__site"
    )
    return session

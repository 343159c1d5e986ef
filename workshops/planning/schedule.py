"""Reading a workshop's sessions: where and when, whether families may see it, calendar events.

A workshop is visible to families when it is published and every session still planned sits in a
confirmed room booking (DESIGN section 2): `visible_with` says it of sessions already read.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from workshops.accounts.models import Organisation
from workshops.calendars.builder import CalendarEvent, make_uid
from workshops.db import columns_of, fetch, model_from_row
from workshops.planning.models import Session, Workshop, WorkshopStatus
from workshops.rooms.models import BookingStatus, Room, RoomBooking, Site
from workshops.settings import Settings

_SESSIONS = """
SELECT {columns}
FROM workshop_session s
JOIN room_booking b ON b.id = s.booking_id
JOIN room r ON r.id = b.room_id
JOIN site si ON si.id = r.site_id
JOIN organisation o ON o.id = si.organisation_id
WHERE s.workshop_id = ?{planned}
ORDER BY s.starts_at, s.id"""
_SESSION_MODELS = (
    (Session, "s"),
    (RoomBooking, "b"),
    (Room, "r"),
    (Site, "si"),
    (Organisation, "o"),
)


async def sessions_of(workshop_id: int, *, with_cancelled: bool = True) -> list[Session]:
    """The sessions of a workshop in date order, with their room, site and centre loaded.

    One joined statement: the sign-up and every e-mail about a workshop read them, and
    Tortoise's prefetching takes five round trips and a few milliseconds for the same."""
    sql = _SESSIONS.format(
        columns=", ".join(columns_of(model, alias) for model, alias in _SESSION_MODELS),
        planned="" if with_cancelled else " AND s.cancelled_at IS NULL",
    )
    sessions = []
    for row in await fetch(sql, [workshop_id]):
        session = model_from_row(Session, row, "s")
        booking = model_from_row(RoomBooking, row, "b")
        room = model_from_row(Room, row, "r")
        site = model_from_row(Site, row, "si")
        site.organisation = model_from_row(Organisation, row, "o")
        room.site = site
        booking.room = room
        session.booking = booking
        sessions.append(session)
    return sessions


async def first_session_start(workshop_id: int) -> datetime | None:
    session = (
        await Session.filter(workshop_id=workshop_id, cancelled_at__isnull=True)
        .order_by("starts_at")
        .first()
    )
    return session.starts_at if session else None


async def unconfirmed_workshop_ids(workshop_ids: Iterable[int]) -> set[int]:
    """Among these workshops, those with a planned session whose room is not confirmed."""
    ids = list(workshop_ids)
    if not ids:
        return set()
    sessions = await Session.filter(
        workshop_id__in=ids, cancelled_at__isnull=True, booking__status__not=BookingStatus.CONFIRMED
    ).only("id", "workshop_id")
    return {session.workshop_id for session in sessions}


def visible_with(workshop: Workshop, sessions: Iterable[Session]) -> bool:
    """Whether families may see the workshop, given its sessions with their bookings loaded."""
    planned = [session for session in sessions if session.cancelled_at is None]
    return (
        workshop.status == WorkshopStatus.PUBLISHED
        and bool(planned)
        and all(session.booking.status == BookingStatus.CONFIRMED for session in planned)
    )


def place_of(session: Session) -> str:
    room = session.booking.room
    site = room.site
    return f"{room.name}, {site.name}, {site.address}, {site.commune}"


def session_event(
    session: Session, workshop: Workshop, *, settings: Settings, cancelled: bool = False
) -> CalendarEvent:
    """The calendar event of one session; its room, site and workshop must be loaded."""
    return CalendarEvent(
        uid=make_uid("session", session.id, base_url=settings.base_url),
        sequence=session.sequence,
        start=session.starts_at,
        end=session.ends_at,
        summary=workshop.title,
        updated_at=session.updated_at,
        location=place_of(session),
        description=workshop.description[:1000],
        url=f"{settings.base_url}/ateliers/{workshop.id}",
        cancelled=cancelled
        or session.cancelled_at is not None
        or workshop.status == WorkshopStatus.CANCELLED,
    )

"""Reading a workshop's sessions: where and when, whether families may see it, calendar events.

A workshop is visible to families when it is published and every session still planned sits in a
confirmed room booking (DESIGN section 2): `visible_with` says it of sessions already read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache
from typing import Any

from workshops.accounts import Organisation
from workshops.kernel import urls
from workshops.kernel.db import fetch
from workshops.kernel.ics import CalendarEvent, make_uid
from workshops.kernel.rows import columns_of, from_columns, split_row
from workshops.kernel.settings import Settings
from workshops.planning.models import Session, Workshop, WorkshopStatus
from workshops.rooms import BookingStatus, Room, RoomBooking, Site

# A session with its room booking, room, site and centre: the tables of `session_columns()`.
SESSION_JOIN = """workshop_session s
JOIN room_booking b ON b.id = s.booking_id
JOIN room r ON r.id = b.room_id
JOIN site si ON si.id = r.site_id
JOIN organisation o ON o.id = si.organisation_id"""
_SESSION_MODELS = (
    (Session, "s"),
    (RoomBooking, "b"),
    (Room, "r"),
    (Site, "si"),
    (Organisation, "o"),
)


@cache
def session_columns() -> str:
    """The select list of `SESSION_JOIN` (known once Tortoise has set up the models: it adds
    the columns of foreign keys)."""
    return ", ".join(columns_of(model, alias) for model, alias in _SESSION_MODELS)


def session_from_columns(tables: Mapping[str, dict[str, Any]]) -> Session:
    """The session of one row of `session_columns()` split by `split_row`, its room loaded."""
    session = from_columns(Session, tables["s"])
    booking = from_columns(RoomBooking, tables["b"])
    room = from_columns(Room, tables["r"])
    site = from_columns(Site, tables["si"])
    site.organisation = from_columns(Organisation, tables["o"])
    room.site = site
    booking.room = room
    session.booking = booking
    return session


async def sessions_of(workshop_id: int, *, with_cancelled: bool = True) -> list[Session]:
    """The sessions of a workshop in date order, with their room, site and centre loaded.

    One joined statement: the sign-up and every e-mail about a workshop read them, and
    Tortoise's prefetching takes five round trips and a few milliseconds for the same."""
    planned = "" if with_cancelled else " AND s.cancelled_at IS NULL"
    rows = await fetch(
        f"SELECT {session_columns()} FROM {SESSION_JOIN}"
        f" WHERE s.workshop_id = ?{planned} ORDER BY s.starts_at, s.id",
        [workshop_id],
    )
    return [session_from_columns(split_row(row)) for row in rows]


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
        url=urls.absolute(settings.base_url, "signup.workshop", workshop_id=workshop.id),
        cancelled=cancelled
        or session.cancelled_at is not None
        or workshop.status == WorkshopStatus.CANCELLED,
    )

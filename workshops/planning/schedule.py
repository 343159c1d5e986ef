"""Reading a workshop's sessions: where and when, whether families may see it, calendar events.

A workshop is visible to families when it is published and every session still planned sits in a
confirmed room booking (DESIGN section 2); `visible_workshop_ids` says it in one query per rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from workshops.calendars.builder import CalendarEvent, make_uid
from workshops.planning.models import Session, Workshop, WorkshopStatus
from workshops.rooms.models import BookingStatus
from workshops.settings import Settings


async def sessions_of(workshop_id: int, *, with_cancelled: bool = True) -> list[Session]:
    """The sessions of a workshop in date order, with their room, site and centre loaded."""
    query = Session.filter(workshop_id=workshop_id)
    if not with_cancelled:
        query = query.filter(cancelled_at__isnull=True)
    return list(
        await query.order_by("starts_at").prefetch_related(
            "booking", "booking__room", "booking__room__site", "booking__room__site__organisation"
        )
    )


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


async def is_visible(workshop: Workshop) -> bool:
    if workshop.status != WorkshopStatus.PUBLISHED:
        return False
    if not await Session.filter(workshop_id=workshop.id, cancelled_at__isnull=True).exists():
        return False
    return not await unconfirmed_workshop_ids([workshop.id])


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

"""Every e-mail a registration causes, in one place, each with the calendar of its sessions.

Each function is called inside the transaction of the change it tells about (DESIGN section 4),
so a family is e-mailed if and only if the change is committed. Messages holding the secret link
are `sensitive`: their bodies are erased once sent.
"""

from __future__ import annotations

from email.utils import parseaddr
from typing import Any

from workshops.kernel.i18n import format_datetime
from workshops.kernel.ics import build_invitation
from workshops.kernel.settings import Settings
from workshops.mail import ComposedMail, compose_mail, enqueue_composed
from workshops.planning import (
    Session,
    Workshop,
    WorkshopStatus,
    place_of,
    session_event,
    sessions_of,
)
from workshops.signup.links import registration_url
from workshops.signup.models import Registration, RegistrationStatus


def _session_lines(sessions: list[Session], settings: Settings) -> list[str]:
    return [
        f"{format_datetime(session.starts_at, settings.zone)} – {place_of(session)}"
        + (" (annulée)" if session.cancelled_at else "")
        for session in sessions
    ]


def _is_cancelled(session: Session, workshop: Workshop) -> bool:
    return session.cancelled_at is not None or workshop.status == WorkshopStatus.CANCELLED


def _calendar(
    sessions: list[Session],
    workshop: Workshop,
    registration: Registration,
    settings: Settings,
    *,
    cancelled: bool = False,
    only: Session | None = None,
) -> bytes | None:
    chosen = [s for s in sessions if only is None or s.id == only.id]
    if not cancelled:
        # An invitation (METHOD:REQUEST) carries only the sessions still planned: a cancelled
        # one was never in the family's calendar, and several programs add every VEVENT of a
        # REQUEST as planned whatever its STATUS.
        chosen = [s for s in chosen if not _is_cancelled(s, workshop)]
    if not chosen:
        return None
    name, address = parseaddr(settings.mail_from)
    return build_invitation(
        [session_event(s, workshop, settings=settings, cancelled=cancelled) for s in chosen],
        zone=settings.timezone,
        organizer_email=address or "ne-pas-repondre@localhost",
        organizer_name=name or "Ateliers parents-enfants",
        attendee=registration.email,
    )


async def _compose(
    template: str,
    registration: Registration,
    workshop: Workshop,
    settings: Settings,
    *,
    token: str | None = None,
    calendar_cancelled: bool = False,
    with_calendar: bool = True,
    extra: dict[str, object] | None = None,
    only: Session | None = None,
    sessions: list[Session] | None = None,
) -> ComposedMail:
    """The message; `sessions` (all of them, rooms loaded) when the caller has them already."""
    if sessions is None:
        sessions = await sessions_of(workshop.id)
    calendar = (
        _calendar(
            sessions, workshop, registration, settings, cancelled=calendar_cancelled, only=only
        )
        if with_calendar
        else None
    )
    return compose_mail(
        settings=settings,
        to=registration.email,
        template=template,
        context={
            "parent_name": registration.parent_name,
            "workshop_title": workshop.title,
            "sessions": _session_lines(sessions, settings),
            "places": registration.places,
            "link": registration_url(token, settings) if token else "",
            **(extra or {}),
        },
        calendar=calendar,
        sensitive=token is not None,
    )


async def _send(
    template: str,
    registration: Registration,
    workshop: Workshop,
    settings: Settings,
    **options: Any,
) -> None:
    composed = await _compose(template, registration, workshop, settings, **options)
    await enqueue_composed(composed, settings=settings)


async def compose_received(
    registration: Registration,
    workshop: Workshop,
    *,
    token: str,
    settings: Settings,
    sessions: list[Session] | None = None,
) -> ComposedMail:
    """Confirmed: the sessions as a calendar file. Waitlisted: the link, no calendar yet."""
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    return await _compose(
        "signup_confirmed" if confirmed else "signup_waitlisted",
        registration,
        workshop,
        settings,
        token=token,
        with_calendar=confirmed,
        sessions=sessions,
        # Why a waiting family waits: fewer places left than it asks, or families before it.
        extra={"places_left": max(0, workshop.capacity - workshop.places_taken)},
    )


async def registration_received(
    registration: Registration, workshop: Workshop, *, token: str, settings: Settings
) -> None:
    composed = await compose_received(registration, workshop, token=token, settings=settings)
    await enqueue_composed(composed, settings=settings)


async def compose_link_again(
    registration: Registration,
    workshop: Workshop,
    *,
    token: str,
    settings: Settings,
    sessions: list[Session] | None = None,
) -> ComposedMail:
    """The address signed up again: the new link and what holds (confirmed, waiting, cancelled),
    with the sessions' calendar when the place is confirmed, as a new confirmation has it."""
    return await _compose(
        "signup_link",
        registration,
        workshop,
        settings,
        token=token,
        with_calendar=registration.status == RegistrationStatus.CONFIRMED,
        extra={"status": str(registration.status.value)},
        sessions=sessions,
    )


async def promoted(registration: Registration, workshop: Workshop, *, settings: Settings) -> None:
    await _send("signup_promoted", registration, workshop, settings)


async def registration_cancelled(
    registration: Registration,
    workshop: Workshop,
    *,
    settings: Settings,
    was_confirmed: bool,
    place_offered: bool = False,
) -> None:
    """The registration ends: a waiting family is told it left the waiting list; a family that
    had a place is told the place goes to another family only when one was waiting for it."""
    await _send(
        "signup_cancelled",
        registration,
        workshop,
        settings,
        calendar_cancelled=True,
        with_calendar=was_confirmed,
        extra={"was_confirmed": was_confirmed, "place_offered": place_offered},
    )


async def session_line(session: Session, settings: Settings) -> str:
    """One session as the e-mails write it (« jeudi 10 décembre 2026 à 14:00 – Salle … »)."""
    loaded = [s for s in await sessions_of(session.workshop_id) if s.id == session.id]
    return _session_lines(loaded, settings)[0].removesuffix(" (annulée)") if loaded else ""


async def session_cancelled(
    registration: Registration,
    workshop: Workshop,
    *,
    settings: Settings,
    session: Session | None,
    message: str,
) -> None:
    """A session (or, with `session=None`, the whole workshop) is cancelled by the staff; the
    e-mail names the cancelled session before listing them all."""
    await _send(
        "session_cancelled",
        registration,
        workshop,
        settings,
        calendar_cancelled=True,
        only=session,
        extra={
            "message": message,
            "whole_workshop": session is None,
            "cancelled_line": await session_line(session, settings) if session else "",
        },
    )


async def session_moved(
    registration: Registration,
    workshop: Workshop,
    *,
    settings: Settings,
    session: Session,
    moved_from: str,
) -> None:
    """A session moved to another room or time: which one, old → new (`moved_from` is its
    `session_line` before the move), then every session; the updated event (same UID, new
    SEQUENCE)."""
    await _send(
        "session_moved",
        registration,
        workshop,
        settings,
        only=session,
        extra={"moved_from": moved_from, "moved_to": await session_line(session, settings)},
    )


async def reminder(
    registration: Registration, workshop: Workshop, session: Session, *, settings: Settings
) -> None:
    sessions = await sessions_of(workshop.id)
    loaded = [s for s in sessions if s.id == session.id]
    await _send(
        "session_reminder",
        registration,
        workshop,
        settings,
        only=session,
        extra={"session_line": _session_lines(loaded, settings)[0]},
        sessions=sessions,
    )

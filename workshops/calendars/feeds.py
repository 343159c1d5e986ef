"""Calendar feeds: the public one, and the private ones behind a secret, regenerable token.

A private feed belongs to a person (their sessions and the rooms they asked for), an organisation
(its room bookings) or a room (its bookings, managed by the centre that lends it).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from workshops.accounts import (
    Grant,
    Organisation,
    OrganisationKind,
    Permission,
    Staff,
    is_allowed,
    load_staff,
    when_membership_ends,
)
from workshops.audit import Actor, record_event
from workshops.calendars import sources
from workshops.calendars.models import CalendarFeed
from workshops.kernel import urls
from workshops.kernel.db import transaction
from workshops.kernel.ics import build_feed
from workshops.kernel.settings import Settings
from workshops.rooms import Room

# 32 random bytes: 256 bits, well above the 128 the design asks for secret links.
TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{40,64}$")
FEED_KINDS = (OrganisationKind.PMI, OrganisationKind.CENTRE)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def feed_url(feed: CalendarFeed, settings: Settings) -> str:
    return urls.absolute(settings.base_url, "calendars.private_feed", token=feed.token)


async def public_feed(*, settings: Settings, centre: Organisation | None = None) -> bytes:
    events = await sources.published_sessions(
        settings=settings, centre_id=centre.id if centre else None
    )
    name = f"Ateliers parents-enfants – {centre.name}" if centre else "Ateliers parents-enfants"
    return build_feed(events, name=name, zone=settings.timezone)


async def find_centre(centre_id: int) -> Organisation | None:
    return await Organisation.get_or_none(id=centre_id, kind=OrganisationKind.CENTRE)


async def has_feed(organisation_id: int) -> bool:
    """Whether this organisation exists and is of a kind with bookings to show."""
    return await Organisation.filter(id=organisation_id, kind__in=FEED_KINDS).exists()


async def find_feed(token: str) -> CalendarFeed | None:
    """The feed of this token, or None: unknown, malformed, replaced by a newer one, or personal
    and its owner no longer an active member who may plan workshops (their membership and role
    are read again on every fetch, so a removed member's address names nobody's bookings)."""
    if not TOKEN_PATTERN.match(token):
        return None
    feed = await CalendarFeed.get_or_none(token=token).prefetch_related(
        "user", "organisation", "room"
    )
    if feed is not None and feed.user is not None:
        owner = await load_staff(feed.user.id)
        if owner is None or not is_allowed(owner, Permission.PLAN_WORKSHOPS):
            return None
    return feed


async def private_feed(feed: CalendarFeed, *, settings: Settings) -> bytes:
    """The calendar of a secret address: what its owner (person, organisation, room) holds."""
    if feed.user is not None:
        sessions = await sources.facilitator_sessions(settings=settings, user_id=feed.user.id)
        bookings = await sources.facilitator_bookings(user_id=feed.user.id, settings=settings)
        events = [*sessions, *bookings]
        name = f"Mes ateliers – {feed.user.full_name}"
    elif feed.room is not None:
        room = await Room.get(id=feed.room.id).prefetch_related("site")
        events = await sources.room_bookings(room_id=room.id, settings=settings)
        name = f"Réservations – {room.name} ({room.site.name})"
    else:
        assert feed.organisation is not None
        events = await sources.organisation_bookings(
            organisation_id=feed.organisation.id, settings=settings
        )
        name = f"Réservations – {feed.organisation.name}"
    return build_feed(events, name=name, zone=settings.timezone)


@dataclass(frozen=True)
class OrganisationFeed:
    grant: Grant
    feed: CalendarFeed | None
    may_regenerate: bool


@dataclass(frozen=True)
class ProfileFeeds:
    """What the profile page shows: the member's own feed and those of their organisations."""

    personal_allowed: bool
    personal: CalendarFeed | None
    organisations: list[OrganisationFeed]


async def profile_feeds(staff: Staff) -> ProfileFeeds:
    grants = [grant for grant in staff.grants if grant.organisation_kind in FEED_KINDS]
    feeds = await CalendarFeed.filter(organisation_id__in=[g.organisation_id for g in grants])
    by_organisation = {feed.organisation_id: feed for feed in feeds}  # type: ignore[attr-defined]
    return ProfileFeeds(
        personal_allowed=is_allowed(staff, Permission.PLAN_WORKSHOPS),
        personal=await CalendarFeed.get_or_none(user_id=staff.id),
        organisations=[
            OrganisationFeed(
                grant=grant,
                feed=by_organisation.get(grant.organisation_id),
                may_regenerate=is_allowed(
                    staff, Permission.MANAGE_CALENDAR_FEED, grant.organisation_id
                ),
            )
            for grant in grants
        ],
    )


async def _replace_token(**owner: Any) -> CalendarFeed:
    """Give the feed of `owner` (user_id=, organisation_id= or room_id=) a new token."""
    token = new_token()
    updated = await CalendarFeed.filter(**owner).update(token=token)
    if not updated:
        try:
            async with transaction():
                await CalendarFeed.create(token=token, **owner)
        except IntegrityError:  # Created meanwhile by a second click: replace its token.
            await CalendarFeed.filter(**owner).update(token=token)
    return await CalendarFeed.get(**owner)


@when_membership_ends
async def renew_shared_feeds(organisation_id: int) -> None:
    """An organisation's feed and its rooms' feeds are shared by its members: when one leaves,
    their addresses change, so that a copy the departed member kept stops answering (404, like
    an unknown address). The members who stay find the new addresses on their profile and room
    pages."""
    shared = Q(organisation_id=organisation_id) | Q(room__site__organisation_id=organisation_id)
    for feed_id in await CalendarFeed.filter(shared).values_list("id", flat=True):
        await CalendarFeed.filter(id=feed_id).update(token=new_token())


async def regenerate_personal_feed(*, actor: Actor) -> CalendarFeed:
    """A new secret address for the member's own sessions; the old one stops answering."""
    assert actor.staff is not None
    async with transaction():
        feed = await _replace_token(user_id=actor.staff.id)
        await record_event(
            actor=actor,
            action="calendar_feed.renewed",
            summary="Nouvelle adresse d'agenda personnelle",
            object_type="calendar_feed",
            object_id=feed.id,
        )
    return feed


async def regenerate_organisation_feed(*, actor: Actor, organisation_id: int) -> CalendarFeed:
    """A new secret address for an organisation's bookings (the caller checks the permission)."""
    async with transaction():
        feed = await _replace_token(organisation_id=organisation_id)
        await record_event(
            actor=actor,
            action="calendar_feed.renewed",
            summary="Nouvelle adresse d'agenda de la structure",
            object_type="calendar_feed",
            object_id=feed.id,
            organisation_id=organisation_id,
        )
    return feed


async def room_feed(room_id: int) -> CalendarFeed | None:
    """The secret feed of a room's bookings, once its centre has created it."""
    return await CalendarFeed.get_or_none(room_id=room_id)


async def regenerate_room_feed(*, actor: Actor, room: Room) -> CalendarFeed:
    """A new secret address for a room's bookings (the caller checks the centre's permission)."""
    async with transaction():
        feed = await _replace_token(room_id=room.id)
        await record_event(
            actor=actor,
            action="calendar_feed.renewed",
            summary=f"Nouvelle adresse d'agenda de salle : {room.name}",
            object_type="calendar_feed",
            object_id=feed.id,
            organisation_id=room.site.organisation_id,
        )
    return feed

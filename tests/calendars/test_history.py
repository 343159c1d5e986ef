"""Feeds keep history: what families or facilitators once saw stays, finished or cancelled.

A subscribed calendar deletes what leaves a feed and keeps the last version it read: a cancelled
workshop that left the feed would stay planned in every calendar that had it.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
from icalendar import Calendar

from tests.planning.factories import make_workshop
from tests.rooms.factories import make_facilitator
from workshops.audit.models import AuditEvent
from workshops.calendars.feeds import new_token
from workshops.calendars.models import CalendarFeed
from workshops.calendars.sources import HISTORY, PUBLISHED_ACTION, published_sessions
from workshops.kernel.settings import Settings
from workshops.planning.closing import mark_finished_workshops
from workshops.planning.models import Facilitation, Session, Workshop, WorkshopStatus
from workshops.signup.workshop_changes import cancel_workshop

Events = dict[str, tuple[str, int]]


def _events(body: bytes) -> Events:
    """UID -> (STATUS, SEQUENCE) of every event, as a calendar program reads the feed."""
    return {
        str(event["UID"]).split("@")[0]: (str(event["STATUS"]), int(str(event["SEQUENCE"])))
        for event in Calendar.from_ical(body).walk("VEVENT")
    }


async def _published(workshop: Workshop) -> None:
    """What `publish_workshop` records (the factory creates the workshop published)."""
    await AuditEvent.create(
        action=PUBLISHED_ACTION, object_type="workshop", object_id=str(workshop.id)
    )


async def _feeds(client: httpx.AsyncClient, workshop: Workshop) -> dict[str, Events]:
    """The public feed, the feed of the centre holding the sessions and the lead's secret feed."""
    session = (
        await Session.filter(workshop_id=workshop.id)
        .first()
        .prefetch_related("booking__room__site")
    )
    assert session is not None
    [lead] = await Facilitation.filter(workshop_id=workshop.id)
    feed = await CalendarFeed.get_or_none(user_id=lead.user_id) or await CalendarFeed.create(
        token=new_token(), user_id=lead.user_id
    )
    paths = {
        "public": "/ateliers.ics",
        "centre": f"/ateliers.ics?centre={session.booking.room.site.organisation_id}",
        "facilitator": f"/agendas/{feed.token}.ics",
    }
    feeds = {}
    for name, path in paths.items():
        response = await client.get(path)
        assert response.status_code == 200, path
        feeds[name] = _events(response.content)
    return feeds


async def _uids(workshop: Workshop) -> list[str]:
    return [f"session-{s.id}" for s in await Session.filter(workshop_id=workshop.id)]


async def test_a_cancelled_workshop_stays_in_every_feed_as_cancelled_with_a_raised_sequence(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(title="Signes avec bébé", sessions=2)
    await _published(workshop)
    uids = await _uids(workshop)
    before = await _feeds(client, workshop)
    for name, events in before.items():
        assert {uid: events[uid] for uid in uids} == dict.fromkeys(uids, ("CONFIRMED", 0)), name

    facilitator = await make_facilitator()
    await cancel_workshop(
        settings=database, actor=facilitator.actor, workshop=workshop, message="Salle inondée."
    )
    after = await _feeds(client, workshop)
    for name, events in after.items():
        assert {uid: events.get(uid) for uid in uids} == dict.fromkeys(uids, ("CANCELLED", 1)), name


async def test_a_cancelled_draft_never_reaches_the_public_feeds(
    client: httpx.AsyncClient, database: Settings
) -> None:
    """Families never saw it; its facilitator, who planned it, sees it cancelled."""
    workshop = await make_workshop(title="Jamais publié", status=WorkshopStatus.DRAFT)
    facilitator = await make_facilitator()
    await cancel_workshop(
        settings=database, actor=facilitator.actor, workshop=workshop, message="Abandonné."
    )
    [uid] = await _uids(workshop)
    feeds = await _feeds(client, workshop)
    assert uid not in feeds["public"]
    assert uid not in feeds["centre"]
    assert feeds["facilitator"][uid] == ("CANCELLED", 1)


async def test_finished_sessions_stay_in_the_feeds_for_a_year_after_they_ended(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(title="Éveil musical", sessions=2, days_ahead=-20)
    assert await mark_finished_workshops(now=workshop.created_at + timedelta(days=1)) == 1
    assert (await Workshop.get(id=workshop.id)).status == WorkshopStatus.DONE
    uids = await _uids(workshop)
    for name, events in (await _feeds(client, workshop)).items():
        assert {uid: events.get(uid) for uid in uids} == dict.fromkeys(uids, ("CONFIRMED", 0)), name

    last_end = max(s.ends_at for s in await Session.filter(workshop_id=workshop.id))
    within = await published_sessions(settings=database, now=last_end + HISTORY)
    assert len([event for event in within if event.summary == "Éveil musical"]) == 1
    after = await published_sessions(settings=database, now=last_end + HISTORY + timedelta(1))
    assert [event for event in after if event.summary == "Éveil musical"] == []

"""The public feed and the facilitator's feed list sessions with a stable UID per session."""

from __future__ import annotations

import httpx

from tests.planning.factories import make_workshop
from tests.rooms.factories import make_facilitator
from workshops.calendars.sources import facilitator_sessions
from workshops.kernel.settings import Settings
from workshops.planning.models import Facilitation, Session, WorkshopStatus
from workshops.signup.workshop_changes import cancel_session


async def test_the_public_feed_lists_published_sessions_and_their_cancellation(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(title="Portage en écharpe", sessions=2)
    await make_workshop(title="Brouillon", status=WorkshopStatus.DRAFT)
    feed = await client.get("/ateliers.ics")
    assert feed.text.count("BEGIN:VEVENT") == 2
    assert "Portage en écharpe" in feed.text
    assert "Brouillon" not in feed.text
    first = await Session.filter(workshop_id=workshop.id).order_by("starts_at").first()
    assert first is not None
    assert f"UID:session-{first.id}@127.0.0.1" in feed.text

    facilitator = await make_facilitator()
    await cancel_session(
        settings=database, actor=facilitator.actor, session=first, message="Animatrice malade."
    )
    again = await client.get("/ateliers.ics")
    assert "STATUS:CANCELLED" in again.text
    assert "SEQUENCE:1" in again.text


async def test_a_facilitator_feed_lists_the_sessions_they_lead(database: Settings) -> None:
    workshop = await make_workshop(sessions=3)
    [lead] = await Facilitation.filter(workshop_id=workshop.id)
    events = await facilitator_sessions(settings=database, user_id=lead.user_id)
    assert len(events) == 3
    other = await make_facilitator()
    assert await facilitator_sessions(settings=database, user_id=other.user.id) == []

"""The centre's inbox: its own pending requests only, a series as one entry."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.rooms.factories import (
    NOW,
    ask,
    make_centre,
    make_facilitator,
    make_room,
    offer,
    room_with_manager,
)
from workshops.kernel.settings import Settings
from workshops.rooms.inbox import count_pending_requests, pending_requests


async def test_the_inbox_lists_a_series_once_and_only_for_its_centre(database: Settings) -> None:
    room, _manager = await room_with_manager()
    other_room = await make_room(await make_centre(), name="Salle polyvalente")
    await offer(other_room)
    await ask(room, await make_facilitator(), weeks=3)
    await ask(other_room, await make_facilitator())
    [request] = await pending_requests([room.site.organisation_id], now=NOW)
    assert request.is_series and len(request.bookings) == 3
    assert await count_pending_requests([room.site.organisation_id], now=NOW) == 1
    assert await count_pending_requests([], now=NOW) == 0
    long_after = datetime(2027, 6, 1, tzinfo=UTC)
    assert await pending_requests([room.site.organisation_id], now=long_after) == []

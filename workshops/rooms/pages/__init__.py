"""Pages of premises, what centres offer, room requests and week views.

The routes, views, guards and form readers of `workshops.rooms`; `routes` is what the
application mounts (`workshops.app`)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from workshops.accounts import Permission, Staff
from workshops.rooms.inbox import count_pending_requests
from workshops.rooms.pages import bookings, offers, premises, week
from workshops.web.navigation import register_count

routes: list[BaseRoute] = [*premises.routes, *offers.routes, *bookings.routes, *week.routes]


async def _requests_waiting(staff: Staff) -> int:
    """The room requests waiting for the member's centres (the navigation's badge)."""
    return await count_pending_requests(staff.organisation_ids(Permission.DECIDE_ROOM_REQUESTS))


register_count("pending_room_requests", _requests_waiting)

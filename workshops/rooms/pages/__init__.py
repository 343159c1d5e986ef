"""Pages of premises, what centres offer, room requests and week views.

The routes, views, guards and form readers of `workshops.rooms`; `routes` is what the
application mounts (`workshops.app`)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from workshops.rooms.pages import bookings, offers, premises, week

routes: list[BaseRoute] = [*premises.routes, *offers.routes, *bookings.routes, *week.routes]

"""Calendar feeds over HTTP and renewing a secret address.

The routes, views, guards and form readers of `workshops.calendars`; `routes` is what the
application mounts (`workshops.app`)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from workshops.calendars.pages import feeds

routes: list[BaseRoute] = [*feeds.routes]

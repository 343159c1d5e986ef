"""The audit log page for platform administrators.

The routes, views, guards and form readers of `workshops.audit`; `routes` is what the
application mounts (`workshops.app`)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from workshops.audit.pages import log

routes: list[BaseRoute] = [*log.routes]

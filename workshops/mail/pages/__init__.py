"""The staff outbox page.

The routes, views, guards and form readers of `workshops.mail`; `routes` is what the
application mounts (`workshops.app`)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from workshops.mail.pages import outbox

routes: list[BaseRoute] = [*outbox.routes]

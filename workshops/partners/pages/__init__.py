"""Convention pages and their documents.

The routes, views, guards and form readers of `workshops.partners`; `routes` is what the
application mounts (`workshops.app`)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from workshops.partners.pages import conventions, documents

routes: list[BaseRoute] = [*conventions.routes, *documents.routes]

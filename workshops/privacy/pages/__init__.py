"""The privacy tool for coordinators and the privacy notice for families.

The routes, views, guards and form readers of `workshops.privacy`; `routes` is what the
application mounts (`workshops.app`)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from workshops.privacy.pages import notice, tool

routes: list[BaseRoute] = [*tool.routes, *notice.routes]

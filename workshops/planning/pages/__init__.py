"""Staff pages of workshops, their actions, and workshop themes.

The routes, views, guards and form readers of `workshops.planning`; `routes` is what the
application mounts (`workshops.app`)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from workshops.planning.pages import actions, themes, workshops

routes: list[BaseRoute] = [*workshops.routes, *actions.routes, *themes.routes]

"""A convention's evaluation and the coordinators' overview, with their exports.

The routes, views, guards and form readers of `workshops.evaluation`; `routes` is what the
application mounts (`workshops.app`)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from workshops.evaluation.pages import convention, overview

routes: list[BaseRoute] = [*convention.routes, *overview.routes]

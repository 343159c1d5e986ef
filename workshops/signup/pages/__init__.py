"""The public catalogue, a workshop's sign-up, staff pages of registrations.

The routes, views, guards and form readers of `workshops.signup`; `routes` is what the
application mounts (`workshops.app`)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from workshops.signup.pages import catalogue, family, staff

routes: list[BaseRoute] = [*catalogue.routes, *family.routes, *staff.routes]

"""Staff sign-in, home and profile, password reset, organisations and their members.

The routes, views, guards and form readers of `workshops.accounts`; `routes` is what the
application mounts (`workshops.app`)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from workshops.accounts.pages import account, organisations, password_reset

routes: list[BaseRoute] = [*account.routes, *password_reset.routes, *organisations.routes]

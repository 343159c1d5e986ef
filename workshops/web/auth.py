"""The auth guard: who is signed in, and whether they may do what they ask.

The signed cookie only names a server-side session (`accounts.sessions`: a row per login, found
by the SHA-256 of the secret the cookie holds), so any web process can read it and the server can
end it: logout, « Se déconnecter partout », a password change or a removal from an organisation
end the row, and a copy of the cookie opens nothing afterwards. A session also ends after
`SESSION_IDLE_HOURS` without a request.

Identity is checked before any object is looked up: `guard_staff_routes` puts `require_staff`
in front of every route under /pro/ but the public ones (`PUBLIC_STAFF_ROUTES`), so an anonymous
request gets the login redirect whatever the id it names, and learns nothing of which exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from workshops import accounts
from workshops.accounts import Permission, Staff, StaffSession, User, is_allowed, load_staff
from workshops.audit import Actor
from workshops.kernel.i18n import _
from workshops.web.navigation import navigation_counts

SESSION_TOKEN = "sid"
USER_AGENT_HEADER = "user-agent"
# Staff routes that answer without a sign-in: the login itself, the logout, and the pages reached
# by a secret link (password reset, invitation), which carry their own token. By route name.
PUBLIC_STAFF_ROUTES = frozenset(
    {
        "accounts.login",
        "accounts.logout",
        "accounts.invitation",
        "accounts.password_forgotten",
        "accounts.password_new",
    }
)


T = TypeVar("T")


def found(value: T | None) -> T:
    """The object a page is about, or a 404 when it does not exist."""
    if value is None:
        raise HTTPException(404)
    return value


class LoginRequired(Exception):
    """Raised by `require_staff`; the app answers with a redirect to the login page."""


async def start_session(request: Request, user: User) -> None:
    """Open a server-side session for `user` and name it in a fresh cookie."""
    token = await accounts.open_session(
        user=user, user_agent=request.headers.get(USER_AGENT_HEADER, "")
    )
    request.session.clear()
    request.session[SESSION_TOKEN] = token


async def end_session(request: Request) -> None:
    """End this browser's session on the server, then forget its cookie."""
    token = request.session.get(SESSION_TOKEN)
    if isinstance(token, str):
        await accounts.end_session(token)
    request.session.clear()


async def current_session(request: Request) -> StaffSession | None:
    """The open server-side session this request's cookie names, once per request."""
    if not hasattr(request.state, "staff_session"):
        token = request.session.get(SESSION_TOKEN)
        found = None
        if isinstance(token, str):
            found = await accounts.find_session(token, settings=request.app.state.settings)
        request.state.staff_session = found
    staff_session: StaffSession | None = request.state.staff_session
    return staff_session


async def current_staff(request: Request) -> Staff | None:
    """The signed-in staff member, loaded once per request and kept on `request.state`."""
    if hasattr(request.state, "staff"):
        staff: Staff | None = request.state.staff
        return staff
    staff = None
    staff_session = await current_session(request)
    if staff_session is not None:
        staff = await load_staff(staff_session.user_id)
    if staff is None:
        request.session.clear()
    else:
        # Shown in the staff navigation of every page (`web.navigation`).
        for name, count in (await navigation_counts(staff)).items():
            setattr(request.state, name, count)
    request.state.staff = staff
    return staff


async def require_staff(request: Request) -> Staff:
    staff = await current_staff(request)
    if staff is None:
        raise LoginRequired()
    return staff


async def require_permission(
    request: Request, permission: Permission, organisation_id: int | None = None
) -> Staff:
    """The signed-in member, if `is_allowed` says yes; otherwise a 403 with a French page."""
    staff = await require_staff(request)
    if not is_allowed(staff, permission, organisation_id):
        raise HTTPException(403, _("Vous n'avez pas accès à cette page."))
    return staff


def _signed_in_only(app: ASGIApp) -> ASGIApp:
    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        await require_staff(Request(scope, receive))
        await app(scope, receive, send)

    return guarded


def guard_staff_routes(routes: Iterable[BaseRoute]) -> None:
    """Put the sign-in check in front of every staff route that is not public, before its view
    runs and looks anything up (the app answers `LoginRequired` with the login redirect)."""
    for route in routes:
        if (
            isinstance(route, Route)
            and route.path.startswith("/pro/")
            and route.name not in PUBLIC_STAFF_ROUTES
        ):
            route.app = _signed_in_only(route.app)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def actor_of(request: Request, staff: Staff | None) -> Actor:
    return Actor(staff=staff, ip_address=client_ip(request))

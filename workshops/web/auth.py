"""The auth guard: who is signed in, and whether they may do what they ask.

The session is a signed cookie (no server-side state, so any web process can read it) holding the
user id, the account's session version and the time of the last request. A session ends after
`SESSION_IDLE_HOURS` without a request, and at once when the password changes (the version moves).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request

from workshops.accounts.models import User
from workshops.accounts.permissions import Permission, Staff, is_allowed
from workshops.accounts.service import load_staff
from workshops.audit.service import Actor
from workshops.kernel.clock import utc_now
from workshops.rooms.inbox import count_pending_requests
from workshops.web.i18n import _

SESSION_USER = "uid"
SESSION_VERSION = "ver"
SESSION_SEEN = "seen"


class LoginRequired(Exception):
    """Raised by `require_staff`; the app answers with a redirect to the login page."""


def start_session(request: Request, user: User) -> None:
    request.session.clear()
    request.session.update(
        {
            SESSION_USER: user.id,
            SESSION_VERSION: user.session_version,
            SESSION_SEEN: utc_now().timestamp(),
        }
    )


def end_session(request: Request) -> None:
    request.session.clear()


async def current_staff(request: Request) -> Staff | None:
    """The signed-in staff member, loaded once per request and kept on `request.state`."""
    if hasattr(request.state, "staff"):
        staff: Staff | None = request.state.staff
        return staff
    staff = None
    session = request.session
    user_id, version, seen = (
        session.get(SESSION_USER),
        session.get(SESSION_VERSION),
        session.get(SESSION_SEEN),
    )
    idle_limit = request.app.state.settings.session_idle_hours * 3600
    fresh = isinstance(seen, int | float) and utc_now().timestamp() - seen < idle_limit
    if isinstance(user_id, int) and isinstance(version, int) and fresh:
        staff = await load_staff(user_id, version)
    if staff is None:
        session.clear()
    else:
        session[SESSION_SEEN] = utc_now().timestamp()
        # Shown in the staff navigation of every page: the centre's requests waiting for it.
        centre_ids = staff.organisation_ids(Permission.DECIDE_ROOM_REQUESTS)
        request.state.pending_room_requests = await count_pending_requests(centre_ids)
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


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def actor_of(request: Request, staff: Staff | None) -> Actor:
    return Actor(staff=staff, ip_address=client_ip(request))

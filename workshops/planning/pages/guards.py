"""What every planning page checks first: the object exists (404), and the member's side (403).

Planners (PLAN_WORKSHOPS) act on their own organisation's workshops. A centre manager may look at
a workshop held in one of its rooms (VIEW_WORKSHOPS_IN_ROOMS), counts only.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request

from workshops.accounts import Permission, Staff, is_allowed
from workshops.kernel.i18n import _
from workshops.planning.models import Session, Workshop
from workshops.planning.queries import find_session, find_workshop
from workshops.web.auth import found, require_permission, require_staff


async def _workshop(workshop_id: int) -> Workshop:
    return found(await find_workshop(workshop_id))


async def workshop_for(request: Request, permission: Permission) -> tuple[Staff, Workshop]:
    """A workshop of one of the member's organisations, with `permission` there."""
    workshop = await _workshop(request.path_params["workshop_id"])
    staff = await require_permission(request, permission, workshop.organisation_id)
    return staff, workshop


async def workshop_seen_by(request: Request) -> tuple[Staff, Workshop, bool]:
    """A workshop for its planners (True: they see families) or a host centre (False)."""
    staff = await require_staff(request)
    workshop = await _workshop(request.path_params["workshop_id"])
    if is_allowed(staff, Permission.PLAN_WORKSHOPS, workshop.organisation_id):
        return staff, workshop, True
    centres = staff.organisation_ids(Permission.VIEW_WORKSHOPS_IN_ROOMS)
    hosted = await Session.filter(
        workshop_id=workshop.id, booking__room__site__organisation_id__in=centres
    ).exists()
    if not hosted:
        raise HTTPException(403, _("Vous n'avez pas accès à cette page."))
    return staff, workshop, False


async def session_for(request: Request, permission: Permission) -> tuple[Staff, Session]:
    session = found(await find_session(request.path_params["session_id"]))
    staff = await require_permission(request, permission, session.workshop.organisation_id)
    return staff, session

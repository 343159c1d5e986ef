"""What the staff pages of registrations check first: the workshop, session or registration
exists (404), and the member has the permission in the workshop's organisation (403)."""

from __future__ import annotations

from starlette.requests import Request

from workshops.accounts import Permission, Staff
from workshops.planning import Session, Workshop, find_session, find_workshop
from workshops.signup.models import Registration
from workshops.web.auth import found, require_permission


async def workshop_for(request: Request, permission: Permission) -> tuple[Staff, Workshop]:
    """A workshop of one of the member's organisations, with `permission` there."""
    workshop = found(await find_workshop(request.path_params["workshop_id"]))
    staff = await require_permission(request, permission, workshop.organisation_id)
    return staff, workshop


async def session_for(request: Request, permission: Permission) -> tuple[Staff, Session]:
    """A session of a workshop of one of the member's organisations."""
    session = found(await find_session(request.path_params["session_id"]))
    staff = await require_permission(request, permission, session.workshop.organisation_id)
    return staff, session


async def registration_for(request: Request, permission: Permission) -> tuple[Staff, Registration]:
    """A registration to a workshop of one of the member's organisations."""
    registration = found(
        await Registration.get_or_none(id=request.path_params["registration_id"]).prefetch_related(
            "workshop"
        )
    )
    staff = await require_permission(request, permission, registration.workshop.organisation_id)
    return staff, registration

"""Who may see a convention: its two parties, and nobody else (403 for anyone else, 404 if none).

The PMI side manages it (coordinators: MANAGE_CONVENTIONS in the PMI organisation). The partner
side reads it (centre managers: VIEW_EVALUATION in the partner centre, as they co-sign the yearly
evaluation of this convention) and downloads its documents, but changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request

from workshops.accounts import Permission, Staff, is_allowed
from workshops.kernel.i18n import _
from workshops.partners.conventions import get_convention
from workshops.partners.models import Convention
from workshops.web.auth import require_staff


@dataclass(frozen=True)
class ConventionAccess:
    staff: Staff
    convention: Convention
    can_manage: bool


def may_manage(staff: Staff, convention: Convention) -> bool:
    return is_allowed(staff, Permission.MANAGE_CONVENTIONS, convention.pmi_id)


def may_read(staff: Staff, convention: Convention) -> bool:
    return may_manage(staff, convention) or is_allowed(
        staff, Permission.VIEW_EVALUATION, convention.partner_id
    )


def may_list(staff: Staff) -> bool:
    return bool(partner_side(staff) or staff.organisation_ids(Permission.MANAGE_CONVENTIONS))


def partner_side(staff: Staff) -> list[int]:
    """The partner organisations whose conventions this member reads."""
    return staff.organisation_ids(Permission.VIEW_EVALUATION)


async def convention_for(request: Request, *, manage: bool = False) -> ConventionAccess:
    staff = await require_staff(request)
    convention = await get_convention(request.path_params["convention_id"])
    if convention is None:
        raise HTTPException(404)
    if not may_read(staff, convention) or (manage and not may_manage(staff, convention)):
        raise HTTPException(403, _("Vous n'avez pas accès à cette convention."))
    return ConventionAccess(staff, convention, may_manage(staff, convention))

"""Who may see a convention's evaluation: coordinators of its PMI and managers of its partner.

Both hold VIEW_EVALUATION in their own organisation; a centre manager of another centre gets a
403, an unknown convention a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request

from workshops.accounts import Permission, Staff, is_allowed
from workshops.kernel.i18n import _
from workshops.partners import Convention, get_convention
from workshops.web.auth import require_staff


@dataclass(frozen=True)
class EvaluationAccess:
    staff: Staff
    convention: Convention
    # Which party this member signs for: "pmi", "partner", or "" (may not sign).
    party: str


def signing_party(staff: Staff, convention: Convention) -> str:
    if is_allowed(staff, Permission.SIGN_EVALUATION, convention.pmi_id):
        return "pmi"
    if is_allowed(staff, Permission.SIGN_EVALUATION, convention.partner_id):
        return "partner"
    return ""


def may_view(staff: Staff, convention: Convention) -> bool:
    return any(
        is_allowed(staff, Permission.VIEW_EVALUATION, organisation_id)
        for organisation_id in (convention.pmi_id, convention.partner_id)
    )


async def evaluation_for(request: Request) -> EvaluationAccess:
    staff = await require_staff(request)
    convention = await get_convention(request.path_params["convention_id"])
    if convention is None:
        raise HTTPException(404)
    if not may_view(staff, convention):
        raise HTTPException(403, _("Vous n'avez pas accès au bilan de cette convention."))
    return EvaluationAccess(staff, convention, signing_party(staff, convention))

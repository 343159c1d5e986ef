"""Organisation pages: the list, creation (admin), and each organisation's members."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from workshops.accounts import organisations as members
from workshops.accounts.models import Organisation, OrganisationKind
from workshops.accounts.permissions import ROLES_BY_KIND, Permission, is_allowed
from workshops.kernel import urls
from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid
from workshops.web.auth import actor_of, require_permission
from workshops.web.forms import SubmittedForm, read_form
from workshops.web.pagination import PER_PAGE, Page, page_number
from workshops.web.templating import render

ORGANISATION_FIELDS = {
    "name": 200,
    "kind": 20,
    "commune": 100,
    "territory": 100,
    "contact_email": 254,
    "phone": 30,
}
MEMBER_FIELDS = {"email": 254, "role": 20}


async def organisation_list(request: Request) -> Response:
    staff = await require_permission(request, Permission.VIEW_ORGANISATION)
    if is_allowed(staff, Permission.MANAGE_ORGANISATIONS):
        number = page_number(request)
        organisations, total = await members.list_organisations(
            offset=(number - 1) * PER_PAGE, limit=PER_PAGE
        )
        page = Page(number=number, per_page=PER_PAGE, total=total)
    else:
        ids = staff.organisation_ids(Permission.VIEW_ORGANISATION)
        organisations = [org for org in [await members.get_organisation(i) for i in ids] if org]
        page = Page(number=1, per_page=PER_PAGE, total=len(organisations))
    return render(
        request,
        "accounts/organisation_list.html",
        {"organisations": organisations, "page": page, "kinds": members.KIND_LABELS},
    )


def _creation_page(request: Request, form: SubmittedForm, status_code: int = 200) -> Response:
    return render(
        request,
        "accounts/organisation_new.html",
        {"form": form, "kinds": members.KIND_LABELS},
        status_code=status_code,
    )


async def organisation_new(request: Request) -> Response:
    await require_permission(request, Permission.MANAGE_ORGANISATIONS)
    return _creation_page(request, SubmittedForm(values={"kind": OrganisationKind.CENTRE}))


async def organisation_create(request: Request) -> Response:
    staff = await require_permission(request, Permission.MANAGE_ORGANISATIONS)
    form = await read_form(request, ORGANISATION_FIELDS)
    if not form.errors:
        try:
            organisation = await members.create_organisation(
                actor=actor_of(request, staff), **form.values
            )
        except Invalid as invalid:
            form.errors.update(invalid.errors)
        else:
            return RedirectResponse(
                urls.path("accounts.organisation", organisation_id=organisation.id), status_code=303
            )
    return _creation_page(request, form, status_code=422)


async def _organisation_or_404(request: Request) -> Organisation:
    raw = request.path_params["organisation_id"]
    organisation = await members.get_organisation(raw)
    if organisation is None:
        raise HTTPException(404)
    return organisation


async def _detail_page(
    request: Request,
    organisation: Organisation,
    *,
    form: SubmittedForm | None = None,
    notice: str = "",
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "kinds": members.KIND_LABELS,
            "role_labels": members.ROLE_LABELS,
            "roles": ROLES_BY_KIND[organisation.kind],
            "members": await members.list_members(organisation.id),
            "invitations": await members.list_open_invitations(organisation.id),
            "form": form or SubmittedForm(values={}),
            "notice": notice,
        },
        status_code=status_code,
        block="members",
    )


async def organisation_detail(request: Request) -> Response:
    await require_permission(
        request, Permission.VIEW_ORGANISATION, request.path_params["organisation_id"]
    )
    return await _detail_page(request, await _organisation_or_404(request))


async def member_add(request: Request) -> Response:
    staff = await require_permission(
        request, Permission.MANAGE_MEMBERS, request.path_params["organisation_id"]
    )
    organisation = await _organisation_or_404(request)
    form = await read_form(request, MEMBER_FIELDS)
    if not form.errors:
        try:
            added = await members.add_member(
                actor=actor_of(request, staff),
                organisation=organisation,
                email=form["email"],
                role=form["role"],
                settings=request.app.state.settings,
            )
        except Invalid as invalid:
            form.errors.update(invalid.errors)
        else:
            if added.invitation is not None:
                # The link goes by e-mail only: it opens an account, so it is not shown here.
                notice = _(
                    "Invitation envoyée par e-mail à %(email)s. Suivez son envoi sur la page "
                    "« Courriels » ; sans réponse, invitez de nouveau la personne.",
                    email=added.invitation.email,
                )
                return await _detail_page(request, organisation, notice=notice)
            notice = _("Ce compte existant a été ajouté à la structure.")
            return await _detail_page(request, organisation, notice=notice)
    return await _detail_page(request, organisation, form=form, status_code=422)


async def member_remove(request: Request) -> Response:
    staff = await require_permission(
        request, Permission.MANAGE_MEMBERS, request.path_params["organisation_id"]
    )
    organisation = await _organisation_or_404(request)
    try:
        await members.remove_membership(
            actor=actor_of(request, staff),
            organisation=organisation,
            membership_id=request.path_params["membership_id"],
        )
    except Invalid as invalid:
        form = SubmittedForm(values={}, errors=invalid.errors)
        return await _detail_page(request, organisation, form=form, status_code=422)
    return await _detail_page(request, organisation, notice=_("Le membre a été retiré."))


routes = [
    Route("/pro/structures", organisation_list, methods=["GET"], name="accounts.organisations"),
    Route("/pro/structures", organisation_create, methods=["POST"], name="accounts.organisations"),
    Route(
        "/pro/structures/nouvelle",
        organisation_new,
        methods=["GET"],
        name="accounts.organisation_new",
    ),
    Route(
        "/pro/structures/{organisation_id:id}",
        organisation_detail,
        methods=["GET"],
        name="accounts.organisation",
    ),
    Route(
        "/pro/structures/{organisation_id:id}/membres",
        member_add,
        methods=["POST"],
        name="accounts.member_add",
    ),
    Route(
        "/pro/structures/{organisation_id:id}/membres/{membership_id:id}/retrait",
        member_remove,
        methods=["POST"],
        name="accounts.member_remove",
    ),
]

"""The staff privacy tool pages (coordinators only). E-mails travel in POST bodies, never in
URLs, so they stay out of access logs and browser history."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from workshops.accounts import Permission, Staff
from workshops.kernel.clock import utc_now
from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid
from workshops.privacy import family_data
from workshops.signup import Registration
from workshops.web.auth import actor_of, require_permission
from workshops.web.forms import SubmittedForm, read_form
from workshops.web.templating import render

FIELDS = {"email": 254, "confirm": 10}


def _organisations(staff: Staff) -> list[int]:
    return staff.organisation_ids(Permission.RUN_PRIVACY_TOOL)


def _page(
    request: Request,
    form: SubmittedForm,
    *,
    found: list[Registration] | None = None,
    erased: int | None = None,
    status_code: int = 200,
) -> Response:
    context = {"form": form, "found": found, "erased": erased}
    return render(request, "privacy/tool.html", context, status_code=status_code)


async def privacy_tool(request: Request) -> Response:
    await require_permission(request, Permission.RUN_PRIVACY_TOOL)
    return _page(request, SubmittedForm(values={}))


async def privacy_search(request: Request) -> Response:
    staff = await require_permission(request, Permission.RUN_PRIVACY_TOOL)
    form = await read_form(request, FIELDS)
    try:
        found = await family_data.find_family(
            actor=actor_of(request, staff),
            email=form["email"],
            organisation_ids=_organisations(staff),
        )
    except Invalid as invalid:
        form.errors.update(invalid.errors)
        return _page(request, form, status_code=422)
    return _page(request, form, found=found)


async def privacy_export(request: Request) -> Response:
    staff = await require_permission(request, Permission.RUN_PRIVACY_TOOL)
    form = await read_form(request, FIELDS)
    try:
        content = await family_data.export_family(
            actor=actor_of(request, staff),
            email=form["email"],
            organisation_ids=_organisations(staff),
        )
    except Invalid as invalid:
        form.errors.update(invalid.errors)
        return _page(request, form, status_code=422)
    return Response(
        content,
        media_type="application/json; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="donnees-famille.json"'},
    )


async def privacy_erase(request: Request) -> Response:
    staff = await require_permission(request, Permission.RUN_PRIVACY_TOOL)
    form = await read_form(request, FIELDS)
    try:
        erased = await family_data.erase_family(
            actor=actor_of(request, staff),
            email=form["email"],
            confirmed=form["confirm"] == "oui",
            now=utc_now(),
        )
    except Invalid as invalid:
        form.errors.update(invalid.errors)
        found = None
        if "email" not in form.errors:
            # The family's registrations again, with the box to tick that the error points to.
            found = await family_data.find_family(
                actor=actor_of(request, staff),
                email=form["email"],
                organisation_ids=_organisations(staff),
            )
            if not found:
                # No box to tick is shown without registrations: the error goes to the address.
                form.errors.pop("confirm", None)
                form.errors["email"] = _(
                    "Aucune inscription avec cette adresse dans les ateliers de votre PMI."
                )
        return _page(request, form, found=found, status_code=422)
    return _page(request, SubmittedForm(values={}), erased=len(erased))


routes = [
    Route("/pro/confidentialite", privacy_tool, methods=["GET"], name="privacy.tool"),
    Route(
        "/pro/confidentialite/recherche", privacy_search, methods=["POST"], name="privacy.search"
    ),
    Route("/pro/confidentialite/export", privacy_export, methods=["POST"], name="privacy.export"),
    Route("/pro/confidentialite/effacement", privacy_erase, methods=["POST"], name="privacy.erase"),
]

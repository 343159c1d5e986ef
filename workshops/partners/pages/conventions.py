"""Convention pages: the list, drafting and editing, signature and termination."""

from __future__ import annotations

from datetime import date

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from workshops.accounts import Organisation, Permission, Staff
from workshops.kernel import urls
from workshops.kernel.clock import local_today
from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid
from workshops.partners import conventions as convention_service
from workshops.partners import documents, schedule
from workshops.partners.clauses import (
    CLAUSE_CODES,
    MAX_CLAUSE_LENGTH,
    clause_titles,
    duration_text,
    ordered_clauses,
    parties_block,
)
from workshops.partners.models import Convention, DocumentKind
from workshops.partners.pages.guards import ConventionAccess, convention_for, may_list, partner_side
from workshops.rooms import Room, read_date, read_whole_number
from workshops.web.auth import actor_of, require_permission, require_staff
from workshops.web.forms import SubmittedForm, read_choices, read_form
from workshops.web.pagination import PER_PAGE, Page, page_number
from workshops.web.templating import render

CONVENTION_FIELDS = {
    "pmi": 9,
    "reference": 50,
    "starts_on": 10,
    "term_months": 3,
    "tacit_renewal": 1,
    "max_years": 2,
    "notice_months": 2,
    **{f"clause_{code}": MAX_CLAUSE_LENGTH for code in CLAUSE_CODES},
}
SIGN_FIELDS = {"signed_on": 10}
TERMINATE_FIELDS = {"terminated_on": 10, "reason": 2000}


def _today(request: Request) -> date:
    return local_today(request.app.state.settings.zone)


def _pmi_choices(staff: Staff) -> list[tuple[str, str]]:
    managed = staff.organisation_ids(Permission.MANAGE_CONVENTIONS)
    return [
        (str(grant.organisation_id), grant.organisation_name)
        for grant in staff.grants
        if grant.organisation_id in managed
    ]


async def convention_list(request: Request) -> Response:
    staff = await require_staff(request)
    if not may_list(staff):
        raise HTTPException(403, _("Vous n'avez pas accès à cette page."))
    number = page_number(request)
    conventions, total = await convention_service.list_conventions(
        pmi_ids=staff.organisation_ids(Permission.MANAGE_CONVENTIONS),
        partner_ids=partner_side(staff),
        offset=(number - 1) * PER_PAGE,
        limit=PER_PAGE,
    )
    return render(
        request,
        "partners/convention_list.html",
        {
            "rows": schedule.convention_rows(conventions, _today(request)),
            "page": Page(number, PER_PAGE, total),
            "may_create": bool(_pmi_choices(staff)),
        },
    )


async def convention_new(request: Request) -> Response:
    """Step 1 chooses the partner; step 2 (`?partenaire=`) is the convention's form."""
    staff = await require_permission(request, Permission.MANAGE_CONVENTIONS)
    raw = request.query_params.get("partenaire", "")
    partner = (
        await convention_service.get_partner(int(raw)) if raw.isdigit() and len(raw) < 10 else None
    )
    if partner is None:
        partners = [(str(p.id), p.name) for p in await convention_service.partner_choices()]
        form = SubmittedForm(values={})
        if raw:
            form.errors["partenaire"] = _("Choisissez un centre partenaire ou un financeur.")
        return render(
            request, "partners/convention_start.html", {"form": form, "partners": partners}
        )
    pmis = _pmi_choices(staff)
    values = convention_service.draft_details(today=_today(request))
    form = SubmittedForm(values={**values, "pmi": pmis[0][0] if len(pmis) == 1 else ""})
    # Every room of the centre is offered by default, as in the founding convention.
    form.values["rooms"] = ",".join(
        str(room.id) for room in await convention_service.rooms_of_partner(partner.id)
    )
    return await _form_page(request, staff, form, partner, None)


async def _form_page(
    request: Request,
    staff: Staff,
    form: SubmittedForm,
    partner: Organisation,
    convention: Convention | None,
    status_code: int = 200,
) -> Response:
    rooms = await convention_service.rooms_of_partner(partner.id)
    return render(
        request,
        "partners/convention_form.html",
        {
            "form": form,
            "partner": partner,
            "convention": convention,
            "pmis": _pmi_choices(staff),
            "rooms": [(str(room.id), f"{room.site.name} – {room.name}") for room in rooms],
            "chosen_rooms": form["rooms"].split(","),
            "clause_titles": clause_titles(),
            "clause_codes": CLAUSE_CODES,
            "max_clause_length": MAX_CLAUSE_LENGTH,
        },
        status_code=status_code,
    )


async def _read_details(
    request: Request, partner_rooms: list[Room]
) -> tuple[SubmittedForm, convention_service.ConventionDetails | None]:
    form = await read_form(request, CONVENTION_FIELDS)
    room_ids = await read_choices(request, "rooms", [str(room.id) for room in partner_rooms])
    form.values["rooms"] = ",".join(room_ids)
    errors = form.errors
    starts_on = read_date(form["starts_on"], "starts_on", errors)
    term = read_whole_number(form["term_months"], "term_months", errors, minimum=1, maximum=60)
    years = read_whole_number(form["max_years"], "max_years", errors, minimum=1, maximum=10)
    notice = read_whole_number(
        form["notice_months"], "notice_months", errors, minimum=0, maximum=12
    )
    if errors or starts_on is None or term is None or years is None or notice is None:
        return form, None
    details = convention_service.ConventionDetails(
        starts_on=starts_on,
        reference=form["reference"],
        term_months=term,
        tacit_renewal=form["tacit_renewal"] == "1",
        max_years=years,
        notice_months=notice,
        clauses={code: form[f"clause_{code}"] for code in CLAUSE_CODES},
        room_ids=tuple(int(room_id) for room_id in room_ids),
    )
    return form, details


async def convention_create(request: Request) -> Response:
    staff = await require_permission(request, Permission.MANAGE_CONVENTIONS)
    raw = request.query_params.get("partenaire", "")
    partner = (
        await convention_service.get_partner(int(raw)) if raw.isdigit() and len(raw) < 10 else None
    )
    if partner is None:
        return RedirectResponse(urls.path("partners.convention_new"), status_code=303)
    form, details = await _read_details(
        request, await convention_service.rooms_of_partner(partner.id)
    )
    pmi = form["pmi"]
    if not pmi.isdigit() or int(pmi) not in staff.organisation_ids(Permission.MANAGE_CONVENTIONS):
        form.errors["pmi"] = _("Choisissez le service de PMI signataire.")
    if details is not None and not form.errors:
        try:
            convention = await convention_service.create_convention(
                actor=actor_of(request, staff),
                pmi_id=int(pmi),
                partner_id=partner.id,
                details=details,
            )
        except Invalid as invalid:
            form.errors.update(invalid.errors)
        else:
            return RedirectResponse(
                urls.path("partners.convention", convention_id=convention.id), status_code=303
            )
    return await _form_page(request, staff, form, partner, None, status_code=422)


async def convention_edit(request: Request) -> Response:
    access = await convention_for(request, manage=True)
    convention = access.convention
    if convention.signed_on is not None:
        return RedirectResponse(
            urls.path("partners.convention", convention_id=convention.id), status_code=303
        )
    rooms = await convention_service.covered_rooms(convention)
    values = {
        "pmi": str(convention.pmi_id),
        "reference": convention.reference,
        "starts_on": convention.starts_on.isoformat(),
        "term_months": str(convention.term_months),
        "tacit_renewal": "1" if convention.tacit_renewal else "",
        "max_years": str(convention.max_years),
        "notice_months": str(convention.notice_months),
        "rooms": ",".join(str(room.id) for room in rooms),
        **{f"clause_{code}": convention.clauses.get(code, "") for code in CLAUSE_CODES},
    }
    form = SubmittedForm(values=values)
    return await _form_page(request, access.staff, form, convention.partner, convention)


async def convention_update(request: Request) -> Response:
    access = await convention_for(request, manage=True)
    convention = access.convention
    form, details = await _read_details(
        request, await convention_service.rooms_of_partner(convention.partner_id)
    )
    form.values["pmi"] = str(convention.pmi_id)
    if details is not None and not form.errors:
        try:
            await convention_service.update_convention(
                actor=actor_of(request, access.staff), convention=convention, details=details
            )
        except Invalid as invalid:
            form.errors.update(invalid.errors)
        else:
            return RedirectResponse(
                urls.path("partners.convention", convention_id=convention.id), status_code=303
            )
    return await _form_page(
        request, access.staff, form, convention.partner, convention, status_code=422
    )


async def detail_page(
    request: Request,
    access: ConventionAccess,
    *,
    form: SubmittedForm | None = None,
    notice: str = "",
    status_code: int = 200,
) -> Response:
    convention = access.convention
    today = _today(request)
    status = schedule.status_of(convention, today)
    attached = await documents.documents_of(convention)
    terms = schedule.terms_of(convention)
    form = form or SubmittedForm(values={})
    form.values.setdefault("signed_on", today.isoformat())
    form.values.setdefault(
        "terminated_on", schedule.suggested_termination_day(convention, today).isoformat()
    )
    upcoming = [
        (schedule.deadline_label(d.kind), d)
        for d in schedule.all_deadlines(convention, attached)
        if d.due_on >= today
    ]
    return render(
        request,
        "partners/convention_detail.html",
        {
            "convention": convention,
            "can_manage": access.can_manage,
            "status": status.value,
            "status_label": schedule.status_label(status),
            "status_explanation": schedule.status_explanation(convention, today),
            "rooms": await convention_service.covered_rooms(convention),
            "parties_block": parties_block(
                pmi_name=convention.pmi.name, partner_name=convention.partner.name
            ),
            "clauses": ordered_clauses(convention.clauses),
            "duration": duration_text(terms),
            "deadlines": upcoming if status.value in ("active", "ending") else [],
            "documents": [(documents.kind_label(d.kind), d) for d in attached],
            "parties": [
                (str(convention.pmi_id), convention.pmi.name),
                (str(convention.partner_id), convention.partner.name),
            ],
            "kinds": [(k.value, documents.kind_label(k)) for k in DocumentKind],
            "max_upload_mb": documents.MAX_DOCUMENT_BYTES // (1024 * 1024),
            "suggested_end": schedule.suggested_termination_day(convention, today),
            "form": form,
            "notice": notice,
        },
        status_code=status_code,
    )


async def convention_detail(request: Request) -> Response:
    return await detail_page(request, await convention_for(request))


async def convention_sign(request: Request) -> Response:
    access = await convention_for(request, manage=True)
    form = await read_form(request, SIGN_FIELDS)
    signed_on = read_date(form["signed_on"], "signed_on", form.errors)
    if signed_on is not None and not form.errors:
        try:
            await convention_service.sign_convention(
                actor=actor_of(request, access.staff),
                convention=access.convention,
                signed_on=signed_on,
                today=_today(request),
            )
        except Invalid as invalid:
            form.errors.update(invalid.errors)
        else:
            return RedirectResponse(
                urls.path("partners.convention", convention_id=access.convention.id),
                status_code=303,
            )
    return await detail_page(request, access, form=form, status_code=422)


async def convention_terminate(request: Request) -> Response:
    access = await convention_for(request, manage=True)
    form = await read_form(request, TERMINATE_FIELDS)
    terminated_on = read_date(form["terminated_on"], "terminated_on", form.errors)
    if not form["reason"]:
        form.errors["reason"] = _("Indiquez le motif de la résiliation.")
    if terminated_on is not None and not form.errors:
        try:
            await convention_service.terminate_convention(
                actor=actor_of(request, access.staff),
                convention=access.convention,
                terminated_on=terminated_on,
                reason=form["reason"],
                today=_today(request),
            )
        except Invalid as invalid:
            form.errors.update(invalid.errors)
        else:
            return RedirectResponse(
                urls.path("partners.convention", convention_id=access.convention.id),
                status_code=303,
            )
    return await detail_page(request, access, form=form, status_code=422)


routes = [
    Route("/pro/conventions", convention_list, methods=["GET"], name="partners.conventions"),
    Route(
        "/pro/conventions/nouvelle", convention_new, methods=["GET"], name="partners.convention_new"
    ),
    Route(
        "/pro/conventions/nouvelle",
        convention_create,
        methods=["POST"],
        name="partners.convention_new",
    ),
    Route(
        "/pro/conventions/{convention_id:id}",
        convention_detail,
        methods=["GET"],
        name="partners.convention",
    ),
    Route(
        "/pro/conventions/{convention_id:id}/modifier",
        convention_edit,
        methods=["GET"],
        name="partners.convention_edit",
    ),
    Route(
        "/pro/conventions/{convention_id:id}/modifier",
        convention_update,
        methods=["POST"],
        name="partners.convention_edit",
    ),
    Route(
        "/pro/conventions/{convention_id:id}/signature",
        convention_sign,
        methods=["POST"],
        name="partners.convention_sign",
    ),
    Route(
        "/pro/conventions/{convention_id:id}/resiliation",
        convention_terminate,
        methods=["POST"],
        name="partners.convention_terminate",
    ),
]

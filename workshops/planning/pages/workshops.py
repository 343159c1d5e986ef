"""Staff pages of workshops: the list, a new workshop, one workshop, duplicating it."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from workshops.accounts import Permission, Staff
from workshops.kernel import urls
from workshops.kernel.clock import utc_now
from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid
from workshops.planning import editing, plans, queries
from workshops.planning.models import EligibleCommune, Facilitation, Workshop
from workshops.planning.pages.form import WORKSHOP_FIELDS, add_chosen_commune, read_ids, read_plan
from workshops.planning.pages.guards import workshop_for, workshop_seen_by
from workshops.planning.schedule import sessions_of
from workshops.signup import counts_of, with_counts
from workshops.web.auth import actor_of, require_permission, require_staff
from workshops.web.communes import shown_proposals
from workshops.web.forms import SubmittedForm, read_form
from workshops.web.templating import render


async def workshop_list(request: Request) -> Response:
    staff = await require_staff(request)
    if not (
        staff.organisation_ids(Permission.PLAN_WORKSHOPS)
        or staff.organisation_ids(Permission.VIEW_WORKSHOPS_IN_ROOMS)
    ):
        raise HTTPException(403, _("Vous n'avez pas accès à cette page."))
    return render(
        request, "planning/list.html", {"rows": await with_counts(await queries.visible_to(staff))}
    )


async def my_sessions(request: Request) -> Response:
    staff = await require_permission(request, Permission.PLAN_WORKSHOPS)
    now = utc_now()
    sessions = await queries.upcoming_sessions_of(staff.id, now)
    # Attendance is linked from a session's start on (signup.roster.attendance_open).
    return render(request, "planning/my_sessions.html", {"sessions": sessions, "now": now})


def _planner_organisation(staff: Staff) -> int:
    return staff.organisation_ids(Permission.PLAN_WORKSHOPS)[0]


async def _form_page(
    request: Request,
    staff: Staff,
    form: SubmittedForm,
    *,
    chosen_bookings: list[str],
    chosen_people: list[str],
    status_code: int = 200,
) -> Response:
    organisation_id = _planner_organisation(staff)
    return render(
        request,
        "planning/workshop_form.html",
        {
            "form": form,
            "themes": [(str(t.id), t.name) for t in await queries.all_themes()],
            "bookings": await queries.free_bookings(organisation_id, utc_now()),
            "people": [p for p in await queries.colleagues(organisation_id) if p.id != staff.id],
            "chosen_bookings": chosen_bookings,
            "chosen_people": chosen_people,
            "commune_proposals": shown_proposals(form),
        },
        status_code=status_code,
    )


async def new_workshop_form(request: Request) -> Response:
    staff = await require_permission(request, Permission.PLAN_WORKSHOPS)
    form = SubmittedForm(values={"capacity": "8"})
    return await _form_page(request, staff, form, chosen_bookings=[], chosen_people=[])


async def create_workshop(request: Request) -> Response:
    staff = await require_permission(request, Permission.PLAN_WORKSHOPS)
    form = await read_form(request, WORKSHOP_FIELDS)
    bookings, people = await read_ids(request, "bookings"), await read_ids(request, "facilitators")
    if add_chosen_commune(form):
        return await _form_page(
            request,
            staff,
            form,
            chosen_bookings=[str(b) for b in bookings],
            chosen_people=[str(p) for p in people],
            status_code=422 if form.errors else 200,
        )
    zone = request.app.state.settings.zone
    plan = read_plan(form, facilitator_ids=people, zone=zone)
    try:
        if plan is None or form.errors:
            raise Invalid(form.errors)
        workshop = await plans.create_workshop(
            actor=actor_of(request, staff),
            organisation_id=_planner_organisation(staff),
            plan=plan,
            booking_ids=bookings,
        )
    except Invalid as refused:
        form.errors.update(refused.errors)
        return await _form_page(
            request,
            staff,
            form,
            chosen_bookings=[str(b) for b in bookings],
            chosen_people=[str(p) for p in people],
            status_code=422,
        )
    return RedirectResponse(
        urls.path("planning.workshop", workshop_id=workshop.id), status_code=303
    )


async def workshop_page(request: Request, **extra: Any) -> Response:
    _staff, workshop, planner = await workshop_seen_by(request)
    counts = (await counts_of([workshop.id]))[workshop.id]
    form = extra.pop("form", SubmittedForm(values={}))
    form.values.setdefault("capacity", str(workshop.capacity))
    return render(
        request,
        "planning/workshop_detail.html",
        {
            "workshop": workshop,
            "planner": planner,
            "sessions": await sessions_of(workshop.id),
            "communes": await EligibleCommune.filter(workshop_id=workshop.id).order_by("id"),
            "counts": counts,
            "now": utc_now(),
            "bookings": (
                await queries.free_bookings(workshop.organisation_id, utc_now()) if planner else []
            ),
            "form": form,
            "notice": request.query_params.get("fait", "")[:40],
            **extra,
        },
        status_code=422 if form.errors else 200,
    )


async def duplicate_form(request: Request, form: SubmittedForm | None = None) -> Response:
    _staff, workshop = await workshop_for(request, Permission.PLAN_WORKSHOPS)
    form = form or SubmittedForm(values={})
    return render(
        request,
        "planning/duplicate.html",
        {
            "workshop": workshop,
            "form": form,
            "bookings": await queries.free_bookings(workshop.organisation_id, utc_now()),
        },
        status_code=422 if form.errors else 200,
    )


async def duplicate(request: Request) -> Response:
    staff, workshop = await workshop_for(request, Permission.PLAN_WORKSHOPS)
    bookings = await read_ids(request, "bookings")
    try:
        copy: Workshop = await plans.duplicate_workshop(
            actor=actor_of(request, staff), workshop=workshop, booking_ids=bookings
        )
    except Invalid as refused:
        return await duplicate_form(request, SubmittedForm(values={}, errors=refused.errors))
    return RedirectResponse(urls.path("planning.workshop", workshop_id=copy.id), status_code=303)


async def _edit_page(
    request: Request, staff: Staff, workshop: Workshop, form: SubmittedForm, people: list[str]
) -> Response:
    return render(
        request,
        "planning/workshop_form.html",
        {
            "workshop": workshop,
            "form": form,
            "themes": [(str(t.id), t.name) for t in await queries.all_themes()],
            "people": [
                p for p in await queries.colleagues(workshop.organisation_id) if p.id != staff.id
            ],
            "chosen_people": people,
            "commune_proposals": shown_proposals(form),
        },
        status_code=422 if form.errors else 200,
    )


async def edit_form(request: Request) -> Response:
    staff, workshop = await workshop_for(request, Permission.PLAN_WORKSHOPS)
    communes = list(await EligibleCommune.filter(workshop_id=workshop.id).order_by("id"))
    leads = await Facilitation.filter(workshop_id=workshop.id).only("id", "user_id")
    form = SubmittedForm(values=editing.plan_of(workshop, communes))
    return await _edit_page(request, staff, workshop, form, [str(f.user_id) for f in leads])


async def edit(request: Request) -> Response:
    staff, workshop = await workshop_for(request, Permission.PLAN_WORKSHOPS)
    form = await read_form(request, WORKSHOP_FIELDS)
    form.values["capacity"] = str(workshop.capacity)  # changed on its own form
    people = await read_ids(request, "facilitators")
    if add_chosen_commune(form):
        return await _edit_page(request, staff, workshop, form, [str(p) for p in people])
    plan = read_plan(form, facilitator_ids=people, zone=request.app.state.settings.zone)
    try:
        if plan is None or form.errors:
            raise Invalid(form.errors)
        await editing.update_workshop(actor=actor_of(request, staff), workshop=workshop, plan=plan)
    except Invalid as refused:
        form.errors.update(refused.errors)
        return await _edit_page(request, staff, workshop, form, [str(p) for p in people])
    return RedirectResponse(
        urls.path("planning.workshop", workshop_id=workshop.id) + "?fait=modifie", status_code=303
    )


routes = [
    Route("/pro/ateliers", workshop_list, methods=["GET"], name="planning.workshops"),
    Route("/pro/ateliers/seances", my_sessions, methods=["GET"], name="planning.my_sessions"),
    Route(
        "/pro/ateliers/nouveau", new_workshop_form, methods=["GET"], name="planning.workshop_new"
    ),
    Route("/pro/ateliers/nouveau", create_workshop, methods=["POST"], name="planning.workshop_new"),
    Route(
        "/pro/ateliers/{workshop_id:id}", workshop_page, methods=["GET"], name="planning.workshop"
    ),
    Route(
        "/pro/ateliers/{workshop_id:id}/modification",
        edit_form,
        methods=["GET"],
        name="planning.workshop_edit",
    ),
    Route(
        "/pro/ateliers/{workshop_id:id}/modification",
        edit,
        methods=["POST"],
        name="planning.workshop_edit",
    ),
    Route(
        "/pro/ateliers/{workshop_id:id}/duplication",
        duplicate_form,
        methods=["GET"],
        name="planning.workshop_duplicate",
    ),
    Route(
        "/pro/ateliers/{workshop_id:id}/duplication",
        duplicate,
        methods=["POST"],
        name="planning.workshop_duplicate",
    ),
]

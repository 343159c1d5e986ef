"""Staff pages of registrations: the list, CSV export, attendance sheet and attendance marking,
a family registered by phone, a move from the waiting list, a cancellation for a family."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from workshops.accounts import Permission
from workshops.kernel import urls
from workshops.kernel.clock import local_today, utc_now
from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid
from workshops.planning import sessions_of
from workshops.signup import cancelling, roster
from workshops.signup.models import HEARD_FROM, Registration
from workshops.signup.pages.form import MAX_CHILDREN, SIGNUP_FIELDS, read_family
from workshops.signup.pages.guards import registration_for, session_for, workshop_for
from workshops.signup.registering import register_family
from workshops.signup.waitlist import move_from_waitlist
from workshops.web.auth import actor_of
from workshops.web.communes import shown_proposals
from workshops.web.forms import SubmittedForm, read_form
from workshops.web.templating import render


async def registrations(request: Request, **extra: Any) -> Response:
    _staff, workshop = await workshop_for(request, Permission.VIEW_REGISTRATIONS)
    form = extra.pop("form", SubmittedForm(values={"adults": "1", "child_1_kind": "born"}))
    return render(
        request,
        "signup/staff_registrations.html",
        {
            "workshop": workshop,
            "roster": await roster.roster_of(workshop.id),
            "children_label": roster.children_label,
            "form": form,
            "commune_proposals": shown_proposals(form),
            "heard_from": [(value, _(label)) for value, label in HEARD_FROM],
            "child_numbers": range(1, MAX_CHILDREN + 1),
            "notice": request.query_params.get("fait", "")[:40],
            **extra,
        },
        status_code=422 if form.errors else 200,
    )


async def export_csv(request: Request) -> Response:
    _staff, workshop = await workshop_for(request, Permission.VIEW_REGISTRATIONS)
    return Response(
        await roster.registrations_csv(workshop),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="inscriptions-{workshop.id}.csv"'},
    )


async def attendance_sheet(request: Request) -> Response:
    _staff, workshop = await workshop_for(request, Permission.VIEW_REGISTRATIONS)
    return render(
        request,
        "signup/attendance_sheet.html",
        {
            "workshop": workshop,
            "sessions": await sessions_of(workshop.id, with_cancelled=False),
            "roster": await roster.roster_of(workshop.id),
            "children_label": roster.children_label,
        },
    )


async def register_by_phone(request: Request) -> Response:
    staff, workshop = await workshop_for(request, Permission.VIEW_REGISTRATIONS)
    form = await read_form(request, SIGNUP_FIELDS)
    settings = request.app.state.settings
    family = read_family(form, local_today(settings.zone))
    try:
        if family is None:
            raise Invalid(form.errors)
        outcome = await register_family(
            settings=settings,
            workshop_id=workshop.id,
            family=family,
            actor=actor_of(request, staff),
        )
    except Invalid as refused:
        form.errors.update(refused.errors)
        return await registrations(request, form=form)
    return await _back(outcome.registration, "ajout")


async def _back(registration: Registration, what: str) -> Response:
    """Back to the list, which says what was done to which family (`_done_notice.html`)."""
    return RedirectResponse(
        urls.path("signup.staff_registrations", workshop_id=registration.workshop_id)
        + f"?fait={what}&inscription={registration.id}",
        303,
    )


async def _refused(request: Request, registration: Registration, refused: Invalid) -> Response:
    request.path_params["workshop_id"] = registration.workshop_id
    errors = {"registration": next(iter(refused.errors.values()))}
    return await registrations(request, form=SubmittedForm(values={}, errors=errors))


async def move_from_list(request: Request) -> Response:
    staff, registration = await registration_for(request, Permission.VIEW_REGISTRATIONS)
    try:
        await move_from_waitlist(
            settings=request.app.state.settings,
            actor=actor_of(request, staff),
            registration=registration,
            now=utc_now(),
        )
    except Invalid as refused:
        return await _refused(request, registration, refused)
    return await _back(registration, "promue")


async def cancel_for_family(request: Request) -> Response:
    staff, registration = await registration_for(request, Permission.VIEW_REGISTRATIONS)
    try:
        await cancelling.cancel_by_staff(
            settings=request.app.state.settings,
            actor=actor_of(request, staff),
            registration=registration,
        )
    except Invalid as refused:
        return await _refused(request, registration, refused)
    return await _back(registration, "annulee")


async def attendance(request: Request) -> Response:
    _staff, session = await session_for(request, Permission.VIEW_REGISTRATIONS)
    zone = request.app.state.settings.zone
    is_open = roster.attendance_open(session, utc_now())
    return render(
        request,
        "signup/attendance.html",
        {
            "session": session,
            "families": (await roster.roster_of(session.workshop_id)).confirmed,
            "marks": await roster.attendance_of(session),
            "labels": roster.ATTENDANCE_LABELS,
            "error_for": 0,
            "error": "",
            "is_open": is_open,
            "not_yet": "" if is_open else roster.attendance_not_yet(session, zone),
        },
    )


async def mark_attendance(request: Request) -> Response:
    _staff, session = await session_for(request, Permission.VIEW_REGISTRATIONS)
    form = await read_form(request, {"status": 10})
    registration = await Registration.get_or_none(id=request.path_params["registration_id"])
    error = ""
    if registration is None:
        error = _("Cette famille n'est pas inscrite à cette séance.")
    else:
        try:
            await roster.record_attendance(
                session=session,
                registration=registration,
                status=form["status"],
                zone=request.app.state.settings.zone,
                now=utc_now(),
            )
        except Invalid as refused:
            error = next(iter(refused.errors.values()))
    families = (await roster.roster_of(session.workshop_id)).confirmed
    is_open = roster.attendance_open(session, utc_now())
    return render(
        request,
        "signup/attendance.html",
        {
            "session": session,
            "families": families,
            "marks": await roster.attendance_of(session),
            "labels": roster.ATTENDANCE_LABELS,
            "error_for": request.path_params["registration_id"],
            "error": error,
            "is_open": is_open,
            "not_yet": ""
            if is_open
            else roster.attendance_not_yet(session, request.app.state.settings.zone),
            "row": next((f for f in families if registration and f.id == registration.id), None),
        },
        status_code=422 if error else 200,
        block="row" if registration is not None and not error else None,
    )


routes = [
    Route(
        "/pro/ateliers/{workshop_id:id}/inscriptions",
        registrations,
        methods=["GET"],
        name="signup.staff_registrations",
    ),
    Route(
        "/pro/ateliers/{workshop_id:id}/inscriptions",
        register_by_phone,
        methods=["POST"],
        name="signup.staff_registrations",
    ),
    Route(
        "/pro/ateliers/{workshop_id:id}/inscriptions/export",
        export_csv,
        methods=["GET"],
        name="signup.export",
    ),
    Route(
        "/pro/ateliers/{workshop_id:id}/feuille",
        attendance_sheet,
        methods=["GET"],
        name="signup.attendance_sheet",
    ),
    Route(
        "/pro/inscriptions/{registration_id:id}/confirmation",
        move_from_list,
        methods=["POST"],
        name="signup.confirm_from_waitlist",
    ),
    Route(
        "/pro/inscriptions/{registration_id:id}/annulation",
        cancel_for_family,
        methods=["POST"],
        name="signup.cancel_for_family",
    ),
    Route(
        "/pro/seances/{session_id:id}/presences",
        attendance,
        methods=["GET"],
        name="signup.attendance",
    ),
    Route(
        "/pro/seances/{session_id:id}/presences/{registration_id:id}",
        mark_attendance,
        methods=["POST"],
        name="signup.mark_attendance",
    ),
]

"""Staff actions on a workshop: publish, change its places, cancel it or one of its sessions."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from workshops import signup
from workshops.accounts import Permission
from workshops.kernel import urls
from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid
from workshops.planning import plans
from workshops.planning.pages.form import read_ids
from workshops.planning.pages.guards import session_for, workshop_for
from workshops.planning.pages.workshops import workshop_page
from workshops.rooms import read_whole_number
from workshops.web.auth import actor_of
from workshops.web.forms import SubmittedForm, read_form


def _done(workshop_id: int, what: str, session_id: int | None = None) -> Response:
    """Back to the workshop page, which says what was done (`planning/_done_notice.html`)."""
    url = urls.path("planning.workshop", workshop_id=workshop_id) + f"?fait={what}"
    if session_id is not None:
        url += f"&seance={session_id}"
    return RedirectResponse(url, status_code=303)


async def _refused(request: Request, refused: Invalid, values: dict[str, str]) -> Response:
    return await workshop_page(request, form=SubmittedForm(values=values, errors=refused.errors))


async def _refused_for_session(
    request: Request, session_id: int, refused: Invalid, values: dict[str, str]
) -> Response:
    """The workshop page with the errors of one session's form under that session's names
    (`message-seance-12`): each session has its own fields, and an error belongs next to them,
    not to the field of the same name that cancels the whole workshop."""

    def named(name: str) -> str:
        return f"{name}-seance-{session_id}"

    return await workshop_page(
        request,
        form=SubmittedForm(
            values={named(name): value for name, value in values.items()},
            errors={named(name): message for name, message in refused.errors.items()},
        ),
    )


async def add_sessions(request: Request) -> Response:
    staff, workshop = await workshop_for(request, Permission.PLAN_WORKSHOPS)
    booking_ids = await read_ids(request, "bookings")
    try:
        await plans.add_sessions(
            actor=actor_of(request, staff), workshop=workshop, booking_ids=booking_ids
        )
    except Invalid as refused:
        return await _refused(request, refused, {})
    return _done(workshop.id, "seances")


async def publish(request: Request) -> Response:
    staff, workshop = await workshop_for(request, Permission.PLAN_WORKSHOPS)
    try:
        await plans.publish_workshop(actor=actor_of(request, staff), workshop=workshop)
    except Invalid as refused:
        return await _refused(request, refused, {})
    return _done(workshop.id, "publie")


async def change_capacity(request: Request) -> Response:
    staff, workshop = await workshop_for(request, Permission.PLAN_WORKSHOPS)
    form = await read_form(request, {"capacity": 3})
    capacity = read_whole_number(form["capacity"], "capacity", form.errors, minimum=1, maximum=200)
    try:
        if capacity is None:
            raise Invalid(form.errors)
        await signup.change_capacity(
            settings=request.app.state.settings,
            actor=actor_of(request, staff),
            workshop=workshop,
            capacity=capacity,
        )
    except Invalid as refused:
        return await _refused(request, refused, form.values)
    return _done(workshop.id, "places")


async def cancel_workshop(request: Request) -> Response:
    staff, workshop = await workshop_for(request, Permission.PLAN_WORKSHOPS)
    form = await read_form(request, {"message": 2000})
    try:
        await signup.cancel_workshop(
            settings=request.app.state.settings,
            actor=actor_of(request, staff),
            workshop=workshop,
            message=form["message"],
        )
    except Invalid as refused:
        return await _refused(request, refused, form.values)
    return _done(workshop.id, "annule")


async def cancel_session(request: Request) -> Response:
    staff, session = await session_for(request, Permission.PLAN_WORKSHOPS)
    form = await read_form(request, {"message": 2000})
    request.path_params["workshop_id"] = session.workshop_id
    try:
        await signup.cancel_session(
            settings=request.app.state.settings,
            actor=actor_of(request, staff),
            session=session,
            message=form["message"],
        )
    except Invalid as refused:
        return await _refused_for_session(request, session.id, refused, form.values)
    return _done(session.workshop_id, "seance", session.id)


async def move_session(request: Request) -> Response:
    staff, session = await session_for(request, Permission.PLAN_WORKSHOPS)
    form = await read_form(request, {"booking": 9})
    request.path_params["workshop_id"] = session.workshop_id
    try:
        if not form["booking"].isdigit():
            raise Invalid({"booking": _("Choisissez une réservation libre de votre structure.")})
        await signup.move_session(
            settings=request.app.state.settings,
            actor=actor_of(request, staff),
            session=session,
            booking_id=int(form["booking"]),
        )
    except Invalid as refused:
        return await _refused_for_session(request, session.id, refused, form.values)
    return _done(session.workshop_id, "deplacee", session.id)


routes = [
    Route(
        "/pro/ateliers/{workshop_id:id}/publication",
        publish,
        methods=["POST"],
        name="planning.publish",
    ),
    Route(
        "/pro/ateliers/{workshop_id:id}/seances",
        add_sessions,
        methods=["POST"],
        name="planning.add_sessions",
    ),
    Route(
        "/pro/ateliers/{workshop_id:id}/places",
        change_capacity,
        methods=["POST"],
        name="planning.change_capacity",
    ),
    Route(
        "/pro/ateliers/{workshop_id:id}/annulation",
        cancel_workshop,
        methods=["POST"],
        name="planning.cancel_workshop",
    ),
    Route(
        "/pro/seances/{session_id:id}/annulation",
        cancel_session,
        methods=["POST"],
        name="planning.cancel_session",
    ),
    Route(
        "/pro/seances/{session_id:id}/deplacement",
        move_session,
        methods=["POST"],
        name="planning.move_session",
    ),
]

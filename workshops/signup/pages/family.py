"""Family pages: a workshop and its sign-up form, the registration behind the secret link."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from workshops.kernel.clock import local_today, utc_now
from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid
from workshops.planning import Workshop, sessions_of, visible_with
from workshops.signup import cancelling
from workshops.signup.catalogue import facilitators_of
from workshops.signup.models import HEARD_FROM, Registration, RegistrationStatus
from workshops.signup.pages.form import (
    HONEYPOT,
    MAX_CHILDREN,
    SIGNUP_FIELDS,
    read_family,
)
from workshops.signup.ratelimit import allow_signup_attempt
from workshops.signup.registering import WORKSHOP, Planned, load_planned, register_family
from workshops.signup.waitlist import waiting_position
from workshops.web.auth import client_ip, current_staff
from workshops.web.communes import shown_proposals
from workshops.web.forms import SubmittedForm, read_form
from workshops.web.templating import render


async def _visible_workshop(request: Request) -> Planned:
    """The workshop of the address with its sessions, or 404 when families may not see it."""
    planned = await load_planned(request.path_params["workshop_id"])
    if planned is None or not visible_with(planned.workshop, planned.sessions):
        raise HTTPException(404)
    return planned


async def _workshop_page(
    request: Request, planned: Planned, form: SubmittedForm, *, status_code: int = 200
) -> Response:
    workshop = planned.workshop
    await workshop.fetch_related("theme")
    sessions = [session for session in planned.sessions if session.cancelled_at is None]
    return render(
        request,
        "signup/workshop.html",
        {
            "workshop": workshop,
            "sessions": sessions,
            "facilitators": await facilitators_of(workshop.id),
            "form": form,
            "commune_proposals": shown_proposals(form),
            "heard_from": [(value, _(label)) for value, label in HEARD_FROM],
            "child_numbers": range(1, MAX_CHILDREN + 1),
            "honeypot": HONEYPOT,
            "open": sessions[0].starts_at > utc_now() if sessions else False,
        },
        status_code=status_code,
    )


async def workshop_page(request: Request) -> Response:
    await current_staff(request)
    planned = await _visible_workshop(request)
    form = SubmittedForm(
        values={"adults": "1", "first_time": "oui", "child_1_kind": "born", "reminders": "oui"}
    )
    return await _workshop_page(request, planned, form)


# Sign-ups one process works on at once. In a rush on one workshop they all end up waiting for
# its lock; more of them at once only give the event loop more to do between two steps of the
# one holding it (`benchmarks/load.py`, RESULTS.md). The others wait here, holding nothing.
SIGNUPS_AT_ONCE = 4


async def sign_up(request: Request) -> Response:
    # Kept by the application, which one event loop serves (an asyncio semaphore belongs to
    # the loop it first waited in).
    state = request.app.state
    if not hasattr(state, "signups_at_once"):
        state.signups_at_once = asyncio.Semaphore(SIGNUPS_AT_ONCE)
    async with state.signups_at_once:
        return await _sign_up(request)


def _signed_up(request: Request, workshop: Workshop) -> Response:
    """The answer to every sign-up that was taken, whatever its outcome: the e-mail tells the
    family what happened (rule 7; the decision is written in `signup/signed_up.html`)."""
    return render(request, "signup/signed_up.html", {"workshop": workshop})


async def _sign_up(request: Request) -> Response:
    await current_staff(request)
    planned = await _visible_workshop(request)
    workshop = planned.workshop
    form = await read_form(request, SIGNUP_FIELDS)
    settings = request.app.state.settings
    if form[HONEYPOT]:
        # A robot filled the hidden field: it sees a success, and nothing is stored.
        return _signed_up(request, workshop)
    if not await allow_signup_attempt(settings=settings, address=client_ip(request), now=utc_now()):
        form.errors[WORKSHOP] = _(
            "Trop d'inscriptions envoyées depuis cette connexion : réessayez dans une heure."
        )
        return await _workshop_page(request, planned, form, status_code=429)
    family = read_family(form, local_today(settings.zone))
    if family is None or form.errors:
        return await _workshop_page(request, planned, form, status_code=422)
    try:
        await register_family(
            settings=settings, workshop_id=workshop.id, family=family, planned=planned
        )
    except Invalid as refused:
        form.errors.update(
            {("child_1_month" if k == "children" else k): v for k, v in refused.errors.items()}
        )
        return await _workshop_page(request, planned, form, status_code=422)
    return _signed_up(request, workshop)


async def _registration(request: Request) -> Registration:
    registration = await cancelling.find_registration(request.path_params["token"])
    if registration is None:
        raise HTTPException(404, _("Ce lien d'inscription n'est pas valide ou a été remplacé."))
    return registration


async def _registration_page(
    request: Request, registration: Registration, **extra: Any
) -> Response:
    settings = request.app.state.settings
    workshop = await Workshop.get(id=registration.workshop_id)
    deadline = await cancelling.cancellation_deadline(registration, settings)
    waiting = registration.status == RegistrationStatus.WAITLISTED
    sessions = await sessions_of(workshop.id)
    response = render(
        request,
        "signup/registration.html",
        {
            "registration": registration,
            "workshop": workshop,
            "centre": sessions[0].booking.room.site.organisation if sessions else None,
            "sessions": sessions,
            "position": await waiting_position(registration) if waiting else 0,
            "deadline": deadline,
            "may_cancel": cancelling.may_cancel_online(deadline, utc_now()),
            "token": request.path_params["token"],
            "cancel_error": "",
            "just_cancelled": False,
            **extra,
        },
    )
    response.headers["x-robots-tag"] = "noindex, nofollow"
    response.headers["referrer-policy"] = "no-referrer"
    return response


async def registration_page(request: Request) -> Response:
    await current_staff(request)
    return await _registration_page(request, await _registration(request))


async def cancel_registration(request: Request) -> Response:
    await current_staff(request)
    registration = await _registration(request)
    try:
        await cancelling.cancel_by_family(
            settings=request.app.state.settings, registration=registration
        )
    except Invalid as refused:
        return await _registration_page(
            request, registration, cancel_error=next(iter(refused.errors.values()))
        )
    return await _registration_page(request, registration, just_cancelled=True)


routes = [
    Route("/ateliers/{workshop_id:id}", workshop_page, methods=["GET"], name="signup.workshop"),
    Route(
        "/ateliers/{workshop_id:id}/inscription", sign_up, methods=["POST"], name="signup.register"
    ),
    Route("/inscription/{token}", registration_page, methods=["GET"], name="signup.registration"),
    Route(
        "/inscription/{token}/annulation",
        cancel_registration,
        methods=["POST"],
        name="signup.cancel",
    ),
]

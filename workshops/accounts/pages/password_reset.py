"""The forgotten-password pages: ask for a link, then choose a new password with it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from workshops.accounts import password_reset
from workshops.accounts.passwords import MAXIMUM_LENGTH
from workshops.kernel import urls
from workshops.kernel.validation import Invalid
from workshops.web.auth import client_ip
from workshops.web.forms import SubmittedForm, read_form
from workshops.web.templating import render

REQUEST_FIELDS = {"email": 254}
NEW_PASSWORD_FIELDS = {"password": MAXIMUM_LENGTH, "confirmation": MAXIMUM_LENGTH}


def _request_page(request: Request, form: SubmittedForm, status_code: int = 200) -> Response:
    return render(
        request, "accounts/password_forgotten.html", {"form": form}, status_code=status_code
    )


async def forgotten_form(request: Request) -> Response:
    return _request_page(request, SubmittedForm(values={}))


async def ask_for_link(request: Request) -> Response:
    form = await read_form(request, REQUEST_FIELDS)
    if not form.errors:
        try:
            await password_reset.request_password_reset(
                email=form["email"],
                ip_address=client_ip(request),
                settings=request.app.state.settings,
            )
        except Invalid as invalid:
            form.errors.update(invalid.errors)
        except password_reset.ResetThrottled as throttled:
            form.errors["email"] = str(throttled)
            return _request_page(request, form, status_code=429)
        else:
            return render(request, "accounts/password_link_sent.html", {"email": form["email"]})
    return _request_page(request, form, status_code=422)


def _invalid_link(request: Request) -> Response:
    return render(request, "accounts/password_link_invalid.html", status_code=404)


async def new_password_form(request: Request) -> Response:
    if await password_reset.find_reset(request.path_params["token"]) is None:
        return _invalid_link(request)
    return render(request, "accounts/password_new.html", {"form": SubmittedForm(values={})})


async def set_new_password(request: Request) -> Response:
    form = await read_form(request, NEW_PASSWORD_FIELDS)
    if not form.errors:
        try:
            await password_reset.reset_password(
                token=request.path_params["token"],
                password=form["password"],
                confirmation=form["confirmation"],
                ip_address=client_ip(request),
            )
        except Invalid as invalid:
            if "token" in invalid.errors:
                return _invalid_link(request)
            form.errors.update(invalid.errors)
        else:
            return RedirectResponse(
                urls.path("accounts.login") + "?mot-de-passe=nouveau", status_code=303
            )
    form.values = {}  # Passwords are never sent back to the browser.
    return render(request, "accounts/password_new.html", {"form": form}, status_code=422)


routes = [
    Route(
        "/pro/mot-de-passe-oublie",
        forgotten_form,
        methods=["GET"],
        name="accounts.password_forgotten",
    ),
    Route(
        "/pro/mot-de-passe-oublie",
        ask_for_link,
        methods=["POST"],
        name="accounts.password_forgotten",
    ),
    Route(
        "/pro/mot-de-passe-oublie/{token}",
        new_password_form,
        methods=["GET"],
        name="accounts.password_new",
    ),
    Route(
        "/pro/mot-de-passe-oublie/{token}",
        set_new_password,
        methods=["POST"],
        name="accounts.password_new",
    ),
]

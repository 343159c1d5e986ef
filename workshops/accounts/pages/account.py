"""Staff sign-in, sign-out, home, profile, password change and invitation acceptance."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from workshops import calendars
from workshops.accounts import organisations, sessions, signin
from workshops.accounts.passwords import MAXIMUM_LENGTH
from workshops.accounts.permissions import Staff
from workshops.kernel import urls
from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid
from workshops.web.auth import (
    actor_of,
    client_ip,
    current_session,
    current_staff,
    end_session,
    require_staff,
    start_session,
)
from workshops.web.forms import SubmittedForm, read_form
from workshops.web.templating import render

LOGIN_FIELDS = {"email": 254, "password": MAXIMUM_LENGTH, "suivant": 500}
PASSWORD_FIELDS = {
    "current_password": MAXIMUM_LENGTH,
    "new_password": MAXIMUM_LENGTH,
    "confirmation": MAXIMUM_LENGTH,
}
INVITATION_FIELDS = {"full_name": 150, "password": MAXIMUM_LENGTH, "confirmation": MAXIMUM_LENGTH}


def _safe_next(target: str) -> str:
    """Only a path of the staff area: never a redirect to another site."""
    home = urls.path("accounts.home")
    if target.startswith(home) and not target.startswith("//") and "\\" not in target:
        return target
    return home


def _login_page(request: Request, form: SubmittedForm, status_code: int = 200) -> Response:
    return render(request, "accounts/login.html", {"form": form}, status_code=status_code)


async def login_form(request: Request) -> Response:
    if await current_staff(request):
        return RedirectResponse(urls.path("accounts.home"), status_code=303)
    form = SubmittedForm(values={"suivant": request.query_params.get("suivant", "")})
    return _login_page(request, form)


async def login(request: Request) -> Response:
    form = await read_form(request, LOGIN_FIELDS)
    if not form["email"]:
        form.errors["email"] = _("Indiquez votre adresse e-mail.")
    if not form["password"]:
        form.errors["password"] = _("Indiquez votre mot de passe.")
    if form.errors:
        form.values["password"] = ""
        return _login_page(request, form, status_code=422)
    try:
        user = await signin.authenticate(
            email=form["email"],
            password=form["password"],
            ip_address=client_ip(request),
            settings=request.app.state.settings,
        )
    except signin.LoginRefused as refusal:
        form.values["password"] = ""
        form.errors["email"] = str(refusal)
        return _login_page(request, form, status_code=422)
    await start_session(request, user)
    return RedirectResponse(_safe_next(form["suivant"]), status_code=303)


async def logout(request: Request) -> Response:
    await end_session(request)
    return RedirectResponse(urls.path("accounts.login") + "?deconnecte=1", status_code=303)


async def logout_everywhere(request: Request) -> Response:
    """« Se déconnecter partout »: every session of the person ends, this one too."""
    staff = await require_staff(request)
    await signin.log_out_everywhere(actor=actor_of(request, staff))
    request.session.clear()
    return RedirectResponse(urls.path("accounts.login") + "?deconnecte=partout", status_code=303)


async def staff_home(request: Request) -> Response:
    staff = await require_staff(request)
    return render(
        request,
        "accounts/home.html",
        {"grants": staff.grants, "role_labels": organisations.ROLE_LABELS},
    )


async def _profile_page(
    request: Request, staff: Staff, form: SubmittedForm, *, changed: bool, status_code: int = 200
) -> Response:
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "changed": changed,
            "feeds": await calendars.profile_feeds(staff),
            "open_sessions": await sessions.open_sessions_of(
                staff.id, settings=request.app.state.settings
            ),
            "this_session": await current_session(request),
            "feed_url": calendars.feed_url,
        },
        status_code=status_code,
    )


async def profile(request: Request) -> Response:
    staff = await require_staff(request)
    return await _profile_page(request, staff, SubmittedForm(values={}), changed=False)


async def change_password(request: Request) -> Response:
    staff = await require_staff(request)
    form = await read_form(request, PASSWORD_FIELDS)
    if not form.errors:
        this_session = await current_session(request)
        try:
            await signin.change_password(
                actor=actor_of(request, staff),
                current_password=form["current_password"],
                new_password=form["new_password"],
                confirmation=form["confirmation"],
                keep_session_id=this_session.id if this_session else None,
            )
        except Invalid as invalid:
            form.errors.update(invalid.errors)
        else:
            return await _profile_page(request, staff, SubmittedForm(values={}), changed=True)
    form.values = {}  # Passwords are never sent back to the browser.
    return await _profile_page(request, staff, form, changed=False, status_code=422)


async def invitation_form(request: Request) -> Response:
    invitation = await organisations.find_invitation(request.path_params["token"])
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status_code=404)
    return render(
        request,
        "accounts/invitation.html",
        {
            "invitation": invitation,
            "form": SubmittedForm(values={}),
            "has_account": await organisations.account_exists(invitation.email),
            "role_labels": organisations.ROLE_LABELS,
        },
    )


async def accept_invitation(request: Request) -> Response:
    token = request.path_params["token"]
    invitation = await organisations.find_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status_code=404)
    form = await read_form(request, INVITATION_FIELDS)
    if not form.errors:
        try:
            user = await organisations.accept_invitation(
                token=token,
                full_name=form["full_name"],
                password=form["password"],
                confirmation=form["confirmation"],
                ip_address=client_ip(request),
            )
        except Invalid as invalid:
            form.errors.update(invalid.errors)
        else:
            await start_session(request, user)
            return RedirectResponse(urls.path("accounts.home"), status_code=303)
    if "token" in form.errors:
        return render(request, "accounts/invitation_invalid.html", status_code=404)
    form.values.pop("password", None)
    form.values.pop("confirmation", None)
    return render(
        request,
        "accounts/invitation.html",
        {
            "invitation": invitation,
            "form": form,
            "has_account": await organisations.account_exists(invitation.email),
            "role_labels": organisations.ROLE_LABELS,
        },
        status_code=422,
    )


routes = [
    Route("/pro/connexion", login_form, methods=["GET"], name="accounts.login"),
    Route("/pro/connexion", login, methods=["POST"], name="accounts.login"),
    Route("/pro/deconnexion", logout, methods=["POST"], name="accounts.logout"),
    Route("/pro/", staff_home, methods=["GET"], name="accounts.home"),
    Route("/pro/profil", profile, methods=["GET"], name="accounts.profile"),
    Route(
        "/pro/profil/mot-de-passe",
        change_password,
        methods=["POST"],
        name="accounts.change_password",
    ),
    Route(
        "/pro/profil/deconnexion-partout",
        logout_everywhere,
        methods=["POST"],
        name="accounts.logout_everywhere",
    ),
    Route("/pro/invitation/{token}", invitation_form, methods=["GET"], name="accounts.invitation"),
    Route(
        "/pro/invitation/{token}", accept_invitation, methods=["POST"], name="accounts.invitation"
    ),
]

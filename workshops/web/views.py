"""Pages that belong to no domain: health check, language switch (the home page is the catalogue,
in `workshops.signup.pages.catalogue`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from workshops.kernel import urls
from workshops.kernel.db import database_answers
from workshops.kernel.i18n import LOCALES
from workshops.web.forms import read_form
from workshops.web.locale import LOCALE_COOKIE


async def healthz(request: Request) -> Response:
    if await database_answers():
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "database unavailable"}, status_code=503)


async def set_language(request: Request) -> Response:
    form = await read_form(request, {"langue": 5, "retour": 500})
    target = form["retour"]
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = urls.path("signup.catalogue")
    response = RedirectResponse(target, status_code=303)
    if form["langue"] in LOCALES:
        response.set_cookie(
            LOCALE_COOKIE,
            form["langue"],
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="lax",
            secure=request.app.state.settings.https,
        )
    return response


routes = [
    Route("/healthz", healthz, methods=["GET"], name="web.healthz"),
    Route("/langue", set_language, methods=["POST"], name="web.set_language"),
]

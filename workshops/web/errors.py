"""French error pages: 400, 403, 404, 405, 413, 500 and 503, and the login redirect.

An error page never touches the database, so it still shows when the database is down; an error
that says the database cannot be reached (it is restarting, say, or no pooled connection came free
in time) is a 503 with `Retry-After`. Those errors have handlers of their own: Starlette answers
them like any handled exception, keeping the connection alive and logging one line, whereas the
catch-all `Exception` handler runs in its outermost middleware, which closes the connection and
re-raises (a traceback in the log).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import Receive, Scope, Send

from workshops.kernel import urls
from workshops.kernel.db import UNREACHABLE, database_unreachable
from workshops.kernel.i18n import _
from workshops.web.auth import LoginRequired
from workshops.web.templating import render

logger = logging.getLogger("workshops.web")


def _titles() -> dict[int, str]:
    return {
        400: _("Demande incorrecte"),
        403: _("Accès refusé"),
        404: _("Page introuvable"),
        405: _("Action non permise"),
        413: _("Envoi trop volumineux"),
        500: _("Erreur du serveur"),
        503: _("Service momentanément indisponible"),
    }


def _explanations() -> dict[int, str]:
    return {
        400: _("La demande envoyée n'a pas pu être comprise."),
        403: _("Vous n'avez pas accès à cette page, ou la demande ne vient pas de ce site."),
        404: _(
            "L'adresse demandée n'existe pas ou plus. Vérifiez le lien, ou repartez de l'accueil."
        ),
        405: _("Cette action n'est pas possible à cette adresse."),
        413: _("Le contenu envoyé dépasse la taille permise."),
        500: _(
            "Un problème est survenu de notre côté. Ce que vous avez déjà enregistré est "
            "conservé ; "
            "réessayez dans quelques instants."
        ),
        503: _("Le service est momentanément indisponible. Réessayez dans quelques instants."),
    }


def error_page(request: Request, status_code: int, detail: str = "") -> Response:
    status = status_code if status_code in _titles() else 400 if status_code < 500 else 500
    return render(
        request,
        "errors/error.html",
        {
            "status": status_code,
            "title": _titles()[status],
            "explanation": detail or _explanations()[status],
        },
        status_code=status_code,
    )


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    # Our own 400 and 403 carry a French detail; Starlette's carry the English status phrase.
    detail = exc.detail if exc.status_code in (400, 403) else ""
    if detail == HTTPStatus(exc.status_code).phrase:
        detail = ""
    response = error_page(request, exc.status_code, detail)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def database_unavailable(request: Request, exc: Exception) -> Response:
    """The French 503 page with `Retry-After`, and one line in the log."""
    logger.warning(
        "Base de données injoignable sur %s %s : %r", request.method, request.url.path, exc
    )
    response = error_page(request, 503)
    response.headers["retry-after"] = "5"
    return response


async def server_error(request: Request, exc: Exception) -> Response:
    if database_unreachable(exc):  # wrapped in another error: still a 503
        return await database_unavailable(request, exc)
    logger.exception("Erreur non traitée sur %s %s", request.method, request.url.path)
    return error_page(request, 500)


async def login_required(request: Request, exc: Exception) -> Response:
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    login = urls.path("accounts.login")
    return RedirectResponse(f"{login}?suivant={quote(target)}", status_code=303)


async def refuse_cross_origin(scope: Scope, receive: Receive, send: Send) -> None:
    """The ASGI answer of the cross-origin protection: a French 403 page."""
    request = Request(scope, receive)
    response = error_page(request, 403, _("Cette demande ne vient pas de ce site : refusée."))
    await response(scope, receive, send)


async def refuse_too_large(scope: Scope, receive: Receive, send: Send) -> None:
    """The ASGI answer of the body size limit: a French 413 page."""
    await error_page(Request(scope, receive), 413)(scope, receive, send)


EXCEPTION_HANDLERS: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
    HTTPException: http_error,
    LoginRequired: login_required,
    **dict.fromkeys(UNREACHABLE, database_unavailable),
    Exception: server_error,
}

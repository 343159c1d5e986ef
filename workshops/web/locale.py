"""The visitor's language, chosen by a cookie and set for each request (`kernel.i18n` reads it)."""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from workshops.kernel.i18n import DEFAULT_LOCALE, reset_locale, set_locale

LOCALE_COOKIE = "langue"


class LocaleMiddleware:
    """Set the visitor's language for the request from the `langue` cookie (French by default)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = set_locale(HTTPConnection(scope).cookies.get(LOCALE_COOKIE, DEFAULT_LOCALE))
        try:
            await self.app(scope, receive, send)
        finally:
            reset_locale(token)

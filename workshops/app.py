"""`create_app(settings)`: routes, middleware and lifespan of the web application."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import BaseRoute, Mount, Router
from starlette.staticfiles import StaticFiles

from workshops import worker
from workshops.accounts import pages as accounts_pages
from workshops.audit import pages as audit_pages
from workshops.calendars import pages as calendars_pages
from workshops.evaluation import pages as evaluation_pages
from workshops.kernel import db, urls
from workshops.kernel.settings import PROJECT_ROOT, Settings, SettingsError, load_settings
from workshops.mail import pages as mail_pages
from workshops.partners import pages as partners_pages
from workshops.planning import pages as planning_pages
from workshops.privacy import pages as privacy_pages
from workshops.rooms import pages as rooms_pages
from workshops.signup import pages as signup_pages
from workshops.web import communes as commune_field
from workshops.web import legal as legal_pages
from workshops.web import views as web_views
from workshops.web.access_log import hide_secrets_from_access_log
from workshops.web.auth import guard_staff_routes
from workshops.web.errors import EXCEPTION_HANDLERS, refuse_cross_origin, refuse_too_large
from workshops.web.locale import LocaleMiddleware
from workshops.web.security import (
    BodySizeLimitMiddleware,
    CrossOriginProtectionMiddleware,
    SecurityHeadersMiddleware,
    TypedQueryMiddleware,
)

SESSION_COOKIE = "workshops_session"
logger = logging.getLogger("workshops.app")


def build_routes() -> list[BaseRoute]:
    """Each domain's pages (`<domain>/pages`), then the static files; every route is named
    `<domain>.<what>` (`workshops.kernel.urls`). Builds the list, starts nothing."""
    return [
        *web_views.routes,
        *legal_pages.routes,
        *commune_field.routes,
        *signup_pages.routes,
        *accounts_pages.routes,
        *audit_pages.routes,
        *mail_pages.routes,
        *calendars_pages.routes,
        *rooms_pages.routes,
        *planning_pages.routes,
        *evaluation_pages.routes,
        *privacy_pages.routes,
        *partners_pages.routes,
        Mount("/static", StaticFiles(directory=PROJECT_ROOT / "static"), name="static"),
    ]


def install_urls(routes: list[BaseRoute] | None = None) -> None:
    """Give `workshops.kernel.urls` (pages' and e-mails' `path(...)`) the name → path table of
    `routes`, by default the application's: for processes without an app (worker, CLI, tests)."""
    urls.install(Router(routes=routes if routes is not None else build_routes()).url_path_for)


def _middleware(settings: Settings) -> list[Middleware]:
    return [
        Middleware(SecurityHeadersMiddleware, https=settings.https),
        Middleware(TypedQueryMiddleware),
        Middleware(LocaleMiddleware),
        Middleware(
            BodySizeLimitMiddleware, max_bytes=settings.max_request_bytes, refuse=refuse_too_large
        ),
        Middleware(
            CrossOriginProtectionMiddleware, base_url=settings.base_url, refuse=refuse_cross_origin
        ),
        Middleware(
            SessionMiddleware,
            secret_key=settings.secret_key,
            session_cookie=SESSION_COOKIE,
            max_age=int(settings.session_idle_hours * 3600),
            same_site="lax",
            https_only=settings.https,
        ),
    ]


@asynccontextmanager
async def embedded_worker(settings: Settings) -> AsyncIterator[None]:
    """In the embedded mode, the worker loop runs as a task of the web process until shutdown."""
    if not settings.run_worker_in_process:
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run_until_stopped(settings, stop))
    try:
        yield
    finally:
        stop.set()
        try:
            await task
        except Exception:
            logger.exception("Le worker intégré s'est arrêté sur une erreur.")


def create_app(settings: Settings | None = None) -> Starlette:
    """The application; without settings, read them from the environment (or exit in French)."""
    if settings is None:
        try:
            settings = load_settings()
        except SettingsError as error:
            print(f"Erreur de configuration : {error}", file=sys.stderr)
            raise SystemExit(2) from None
    configured: Settings = settings
    try:
        # Every page's footer states the conformity read from the audit: read it now, or stop.
        legal_pages.load_audit()
    except legal_pages.AuditError as error:
        print(f"Erreur de configuration : {error}", file=sys.stderr)
        raise SystemExit(2) from None
    hide_secrets_from_access_log()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if configured.is_embedded:
            await db.migrate(configured)
        await db.connect(configured)
        try:
            async with embedded_worker(configured):
                yield
        finally:
            await db.disconnect()

    routes = build_routes()
    guard_staff_routes(routes)
    app = Starlette(
        routes=routes,
        middleware=_middleware(configured),
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
    app.state.settings = configured
    urls.install(app.url_path_for)
    return app

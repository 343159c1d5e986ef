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
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from workshops import worker
from workshops.accounts import organisation_views, password_reset_views
from workshops.accounts import views as account_views
from workshops.audit import views as audit_views
from workshops.calendars import views as calendar_views
from workshops.evaluation import overview_views as evaluation_overview_views
from workshops.evaluation import views as evaluation_views
from workshops.kernel import db
from workshops.kernel.settings import PROJECT_ROOT, Settings, SettingsError, load_settings
from workshops.mail import views as mail_views
from workshops.partners import document_views as convention_document_views
from workshops.partners import views as convention_views
from workshops.planning import action_views as planning_action_views
from workshops.planning import theme_views
from workshops.planning import views as planning_views
from workshops.privacy import notice_views as privacy_notice_views
from workshops.privacy import tool_views as privacy_tool_views
from workshops.rooms import booking_views, offer_views, premises_views, week_views
from workshops.signup import catalogue_views, commune_views, staff_views
from workshops.signup import views as signup_views
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


def _routes() -> list[BaseRoute]:
    return [
        *web_views.routes,
        *catalogue_views.routes,
        *signup_views.routes,
        *commune_views.routes,
        *account_views.routes,
        *password_reset_views.routes,
        *organisation_views.routes,
        *audit_views.routes,
        *mail_views.routes,
        *calendar_views.routes,
        *premises_views.routes,
        *offer_views.routes,
        *booking_views.routes,
        *week_views.routes,
        *planning_views.routes,
        *planning_action_views.routes,
        *theme_views.routes,
        *staff_views.routes,
        *evaluation_views.routes,
        *evaluation_overview_views.routes,
        *privacy_tool_views.routes,
        *convention_views.routes,
        *convention_document_views.routes,
        *privacy_notice_views.routes,
        Mount("/static", StaticFiles(directory=PROJECT_ROOT / "static"), name="static"),
    ]


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

    routes = _routes()
    guard_staff_routes(routes)
    app = Starlette(
        routes=routes,
        middleware=_middleware(configured),
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
    app.state.settings = configured
    return app

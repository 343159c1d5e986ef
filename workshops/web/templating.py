"""The one template environment, and `render`, which every page goes through.

A route renders its whole page, or only one block of it when htmx asked (`HX-Request`), through
`jinja2-fragments`. The templates never query the database: `render` hands them the signed-in
staff member already loaded by the auth guard.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import jinja2
from jinja2_fragments.starlette import Jinja2Blocks
from starlette.requests import Request
from starlette.responses import Response

from workshops.accounts.permissions import Permission, Staff, is_allowed
from workshops.settings import PROJECT_ROOT
from workshops.web import i18n

TEMPLATES_DIR = PROJECT_ROOT / "templates"


def _build_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        # Templates are read once per process, not checked on disk at every page.
        auto_reload=False,
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True
    )
    env.filters["day"] = i18n.format_day
    env.filters["number"] = i18n.format_number
    return env


templates = Jinja2Blocks(env=_build_environment())


def is_htmx(request: Request) -> bool:
    """An htmx request that wants a fragment; a history restore wants the whole page."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )


def _datetime_filter(request: Request) -> Any:
    zone = request.app.state.settings.zone

    def format_moment(value: datetime | date | None, pattern: str | None = None) -> str:
        if value is None:
            return ""
        if not isinstance(value, datetime):
            return i18n.format_day(value)
        return (
            i18n.format_datetime(value, zone, pattern)
            if pattern
            else i18n.format_datetime(value, zone)
        )

    return format_moment


def _permission_check(staff: Staff | None) -> Any:
    def can(permission: str, organisation_id: int | None = None) -> bool:
        return staff is not None and is_allowed(staff, Permission(permission), organisation_id)

    return can


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    block: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Render a page; only `block` of it when the request comes from htmx."""
    staff = getattr(request.state, "staff", None)
    full_context: dict[str, Any] = {
        "request": request,
        "staff": staff,
        "can": _permission_check(staff),
        "locale": i18n.get_locale(),
        "locales": i18n.LOCALES,
        "moment": _datetime_filter(request),
        "settings": request.app.state.settings,
        "pending_room_requests": getattr(request.state, "pending_room_requests", 0),
        **(context or {}),
    }
    kwargs: dict[str, Any] = {"status_code": status_code, "headers": dict(headers or {})}
    if block is not None and is_htmx(request):
        kwargs["block_name"] = block
    response: Response = templates.TemplateResponse(request, template, full_context, **kwargs)
    return response

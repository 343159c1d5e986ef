"""`render`, which every page goes through, over the environments of `kernel.templating`.

A route renders its whole page, or only one block of it when htmx asked (`HX-Request`), through
`jinja2-fragments`. The templates never query the database: `render` hands them the signed-in
staff member already loaded by the auth guard.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from jinja2_fragments.starlette import Jinja2Blocks
from starlette.requests import Request
from starlette.responses import Response

from workshops.accounts import Permission, Staff, is_allowed
from workshops.kernel import i18n
from workshops.kernel.templating import ENVIRONMENTS

# Starlette's responses over the environments of `kernel.templating`; `templates` is French.
_BY_LOCALE = {locale: Jinja2Blocks(env=env) for locale, env in ENVIRONMENTS.items()}
templates = _BY_LOCALE[i18n.DEFAULT_LOCALE]


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
    chosen = _BY_LOCALE.get(i18n.get_locale(), templates)
    response: Response = chosen.TemplateResponse(request, template, full_context, **kwargs)
    return response

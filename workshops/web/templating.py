"""`render`, which every page goes through, over the environments of `kernel.templating`.

A route renders its whole page, or only one block of it when htmx asked (`HX-Request`), through
`jinja2-fragments`. The templates never query the database: `render` hands them the signed-in
staff member already loaded by the auth guard.

How an htmx interaction stays accessible (focus, announcement, title), in one place:
- the fragment starts with the page's `<title>` (base.html's `page_title` block, in a `<head>`):
  htmx 4 sets `document.title` from it, so the title follows the content (the week shown, an error);
- `htmx` is true in the context of a fragment: the macros of `_partials/region.html` then write the
  markers `data-focus` (where the focus goes) and `data-announce` (what the live region `#annonce`
  of base.html reads once), which static/js/regions.js applies after the swap; a full page gets
  plain `role="status"` messages instead;
- `removed_at` is the position (`?rang=`) of the row a POST removed, so the template puts the focus
  on the row now there, the one before when it was the last, or the list's heading when none is
  left.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from jinja2 import Environment
from jinja2.utils import concat
from jinja2_fragments import render_block
from jinja2_fragments.starlette import Jinja2Blocks
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

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


def _removed_at(request: Request) -> int | None:
    """The position in its list of the row a POST just removed (`?rang=`), if it says so."""
    position = request.query_params.get("rang", "")
    if request.method != "POST" or not position.isdigit() or len(position) > 4:
        return None
    return int(position)


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
    """Render a page; only `block` of it, after the page's `<title>`, when htmx asked."""
    fragment = block is not None and is_htmx(request)
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
        "htmx": fragment,
        "removed_at": _removed_at(request),
        **(context or {}),
    }
    chosen = _BY_LOCALE.get(i18n.get_locale(), templates)
    if fragment and block is not None:
        content = _title_of(chosen.env, template, full_context) + render_block(
            chosen.env, template, block, full_context
        )
        return HTMLResponse(content, status_code=status_code, headers=dict(headers or {}))
    response: Response = chosen.TemplateResponse(
        request, template, full_context, status_code=status_code, headers=dict(headers or {})
    )
    return response


def _title_of(env: Environment, template: str, context: dict[str, Any]) -> str:
    """The `<title>` element of a page extending base.html: its `page_title` block, rendered as
    the whole page would (with the page's own `title` block), for htmx to set `document.title`."""
    page = env.get_template(template)
    base = env.get_template("base.html")
    page_context = page.new_context(context)
    for name, block in base.blocks.items():
        page_context.blocks.setdefault(name, []).append(block)
    # In a <head> of its own, which htmx 4 reads the title from and takes out before parsing the
    # rest: a bare <title> before a table row would make the parser drop the row's tags.
    return "<head>" + concat(base.blocks["page_title"](page_context)).strip() + "</head>\n"

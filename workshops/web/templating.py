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
from jinja2 import nodes
from jinja2.visitor import NodeTransformer
from jinja2_fragments.starlette import Jinja2Blocks
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from workshops.accounts.permissions import Permission, Staff, is_allowed
from workshops.kernel import i18n
from workshops.kernel.settings import PROJECT_ROOT

TEMPLATES_DIR = PROJECT_ROOT / "templates"


class _ConstantTranslations(NodeTransformer):
    """`_("a constant text")` replaced by its translation when the template is compiled.

    What the i18n extension's `_` returns at each render, computed once: the translated text,
    safe as Markup, formatted with no variables (so `%%` reads `%`). Calls with variables, with a
    text that is not a constant, and `ngettext` stay calls made at render time."""

    def __init__(self, locale: str) -> None:
        self.locale = locale

    def visit_Call(self, call: nodes.Call) -> nodes.Node:
        node = self.generic_visit(call)
        if not (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Name)
            and node.node.name in ("_", "gettext")
            and len(node.args) == 1
            and isinstance(node.args[0], nodes.Const)
            and isinstance(node.args[0].value, str)
            and not node.kwargs
            and node.dyn_args is None
            and node.dyn_kwargs is None
        ):
            return node
        token = i18n.set_locale(self.locale)
        try:
            text = str(Markup(i18n.gettext(node.args[0].value)) % {})
        except (KeyError, TypeError, ValueError):
            return node
        finally:
            i18n.reset_locale(token)
        return nodes.MarkSafeIfAutoescape(nodes.Const(text), lineno=node.lineno)


class _LocaleEnvironment(jinja2.Environment):
    """The templates of one language: their constant texts are translated once, at compile
    time (about half the function calls of a page were `_()`)."""

    locale = i18n.DEFAULT_LOCALE

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        translated: nodes.Template = _ConstantTranslations(self.locale).visit(tree)
        return translated


def _build_environment(locale: str = i18n.DEFAULT_LOCALE) -> jinja2.Environment:
    env = _LocaleEnvironment(
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
    env.locale = locale
    return env


# One environment per language; `templates` is the French one (e-mails are always French).
_BY_LOCALE = {locale: Jinja2Blocks(env=_build_environment(locale)) for locale in i18n.LOCALES}
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

"""The Jinja2 templates of pages and e-mails, one environment per language.

Pages are rendered by the web shell (`workshops.web.templating`, Starlette responses and htmx
fragments); e-mails by `workshops.mail.rendering`, inside the transaction of the change that
sends them. Both use these environments: the same `templates/` folder, the same translations
(constant texts translated once, when a template is compiled) and the same filters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.visitor import NodeTransformer
from jinja2_fragments import render_block as _render_block
from markupsafe import Markup

from workshops.kernel import i18n, urls
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


def build_environment(locale: str = i18n.DEFAULT_LOCALE) -> jinja2.Environment:
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
    # Links by route name (`path("rooms.site", site_id=3)`), for pages and e-mails alike.
    env.globals["path"] = urls.path
    env.locale = locale
    return env


# One environment per language.
ENVIRONMENTS = {locale: build_environment(locale) for locale in i18n.LOCALES}


def render_block(template: str, block: str, context: Mapping[str, Any]) -> str:
    """One block of a template, in French (e-mail subjects)."""
    env = ENVIRONMENTS[i18n.DEFAULT_LOCALE]
    return str(_render_block(env, template, block, dict(context)))


def render_template(template: str, context: Mapping[str, Any]) -> str:
    """A whole template, in French (e-mail bodies)."""
    return ENVIRONMENTS[i18n.DEFAULT_LOCALE].get_template(template).render(dict(context))

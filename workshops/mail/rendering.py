"""E-mail bodies: one Jinja2 template per message, rendered as plain text and as HTML.

A message template (`templates/mail/<name>.html`) extends `mail/_layout.html` and writes its
content once, with the macros of `mail/_macros.html` (paragraph, button). The same template is
rendered twice: with `plain` true the macros and the layout produce text, otherwise HTML.
Autoescaping is on for both (the file is `.html`); the text rendering is then unescaped, which
`html.unescape` does exactly.
Messages are always written in French, whatever the language of the page that caused them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workshops.kernel import i18n
from workshops.kernel.settings import Settings
from workshops.kernel.templating import render_block, render_template

PLATFORM_NAME = "Ateliers parents-enfants"
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def _tidy_text(rendered: str) -> str:
    lines = [line.rstrip() for line in html.unescape(rendered).splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip() + "\n"


def _context(context: Mapping[str, Any], settings: Settings, *, plain: bool) -> dict[str, Any]:
    def moment(value: datetime, pattern: str = "") -> str:
        if pattern:
            return i18n.format_datetime(value, settings.zone, pattern)
        return i18n.format_datetime(value, settings.zone)

    return {
        "platform_name": PLATFORM_NAME,
        "organisation_name": "",
        "base_url": settings.base_url,
        "moment": moment,
        **context,
        "plain": plain,
    }


def render_mail(template: str, context: Mapping[str, Any], settings: Settings) -> RenderedMail:
    """Subject, text and HTML of `templates/mail/<template>.html`, in French."""
    name = f"mail/{template}.html"
    token = i18n.set_locale(i18n.DEFAULT_LOCALE)
    try:
        subject = render_block(name, "subject", _context(context, settings, plain=True))
        text = render_template(name, _context(context, settings, plain=True))
        body = render_template(name, _context(context, settings, plain=False))
    finally:
        i18n.reset_locale(token)
    return RenderedMail(
        subject=" ".join(html.unescape(subject).split()), text=_tidy_text(text), html=body
    )

"""Languages and the one date formatter.

French is the language of every screen, message and e-mail: the French text is the message id in
code and templates. English is a second locale read from `workshops/translations/en`. The current
locale lives in a context variable, set once per request by `workshops.web.locale`, so service
code that builds a message inside a request speaks the visitor's language without being passed it.

Names of organisations, sites, rooms and communes enter a message as values, never as words of a
sentence: after a colon (« Confirmée par : Le Relais. », « Salle : Salle polyvalente »), at the head
of a line, or in brackets. A sentence around a name needs the article the name may carry or not
(« du Relais », « de la Maison des Familles », « des Jardins d'Émile », « de l'Association… »,
but « de Haguenau »), and no field says which. The convention's text follows the same rule, the
way French conventions do (`workshops.partners.clauses`).
"""

from __future__ import annotations

import contextvars
import io
from datetime import date, datetime, tzinfo
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

DEFAULT_LOCALE = "fr"
LOCALES = {"fr": "Français", "en": "English"}
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"

_current_locale: contextvars.ContextVar[str] = contextvars.ContextVar(
    "workshops_locale", default=DEFAULT_LOCALE
)


def set_locale(locale: str) -> contextvars.Token[str]:
    return _current_locale.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def reset_locale(token: contextvars.Token[str]) -> None:
    _current_locale.reset(token)


def get_locale() -> str:
    return _current_locale.get()


@cache
def _translations(locale: str) -> NullTranslations:
    """Compile the `.po` catalogue in memory: no build step between a checkout and a run."""
    po_path = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale == DEFAULT_LOCALE or not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def gettext(message: str, **variables: Any) -> str:
    text: str = _translations(get_locale()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    text: str = _translations(get_locale()).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


_ = gettext


def N_(message: str) -> str:
    """Mark a constant for extraction; it is translated where it is shown, with `_()`."""
    return message


def format_datetime(value: datetime, zone: tzinfo, pattern: str = "EEEE d MMMM y 'à' HH:mm") -> str:
    """An aware datetime shown in the platform's time zone, in the visitor's language."""
    if get_locale() != DEFAULT_LOCALE and pattern == "EEEE d MMMM y 'à' HH:mm":
        pattern = "EEEE d MMMM y 'at' HH:mm"
    return _formatted(value, zone, pattern, get_locale())


@lru_cache(maxsize=4096)
def _formatted(value: datetime, zone: tzinfo, pattern: str, locale: str) -> str:
    """Babel's formatting, remembered: the catalogue shows the same few dates on every visit
    and Babel takes some 50 µs for each."""
    return babel_format_datetime(value, pattern, tzinfo=zone, locale=locale)


def format_day(value: date) -> str:
    return babel_format_date(value, "EEEE d MMMM y", locale=get_locale())


def format_number(value: float | int) -> str:
    return format_decimal(value, locale=get_locale())

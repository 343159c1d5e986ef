"""Typed values from the text of room forms: dates, times, whole numbers, amounts in euros.

Each reader returns the value, or None after putting a French message under the field's name in
`errors`; the view then shows every message next to its field at once.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from workshops.kernel.i18n import _

TIME_PATTERN = re.compile(r"^([01]?\d|2[0-3])[:hH]([0-5]\d)$")


def read_date(raw: str, name: str, errors: dict[str, str], *, required: bool = True) -> date | None:
    if not raw:
        if required:
            errors[name] = _("Indiquez une date.")
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("Indiquez une date valide, par exemple 2026-12-01.")
        return None


def read_minute(raw: str, name: str, errors: dict[str, str]) -> int | None:
    """Minutes after midnight from `09:30` (or `9h30`)."""
    match = TIME_PATTERN.match(raw)
    if not match:
        errors[name] = _("Indiquez une heure, par exemple 09:30.")
        return None
    return int(match.group(1)) * 60 + int(match.group(2))


def read_whole_number(
    raw: str,
    name: str,
    errors: dict[str, str],
    *,
    minimum: int,
    maximum: int,
    required: bool = True,
) -> int | None:
    if not raw:
        if required:
            errors[name] = _("Indiquez un nombre.")
        return None
    if not raw.isdigit() or not minimum <= int(raw) <= maximum:
        errors[name] = _(
            "Indiquez un nombre entier entre %(min)s et %(max)s.", min=minimum, max=maximum
        )
        return None
    return int(raw)


def read_euros(raw: str, name: str, errors: dict[str, str]) -> Decimal | None:
    if not raw:
        return Decimal("0")
    try:
        value = Decimal(raw.replace(",", ".").replace("€", "").strip())
    except InvalidOperation:
        value = Decimal("-1")
    if not value.is_finite() or value < 0 or value >= 100_000:
        errors[name] = _("Indiquez un montant en euros, par exemple 25 ou 12,50.")
        return None
    return value.quantize(Decimal("0.01"))

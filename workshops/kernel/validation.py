"""Checks shared by every service: a refused input says which field and why, in French.

Services raise `Invalid` with one message per field; views put the messages next to the fields
and in the error summary at the top of the form, and keep the values typed.
"""

from __future__ import annotations

import re

from workshops.kernel.i18n import _

EMAIL_PATTERN = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]{2,}$")


class Invalid(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    if not email:
        return _("Indiquez une adresse e-mail.")
    if len(email) > 254 or not EMAIL_PATTERN.match(email):
        return _("Indiquez une adresse e-mail valide, par exemple nom@exemple.fr.")
    return None


def required_problem(value: str, message: str) -> str | None:
    return message if not value.strip() else None

"""The public sign-up form: its fields, and turning what was typed into a `Family` or errors.

Every refusal is a French message under the field's name; the view shows the form again with the
typed values. Children are given as rows `child_<n>_kind` (born, expected) and `child_<n>_month`
(`YYYY-MM`, as an `<input type="month">` sends it).
"""

from __future__ import annotations

import re
from datetime import date

from workshops.kernel.i18n import _
from workshops.kernel.validation import email_problem, normalise_email
from workshops.signup.eligibility import Child
from workshops.signup.models import HEARD_FROM
from workshops.signup.registering import Family
from workshops.web.communes import CODE_FIELD, read_residence
from workshops.web.forms import SubmittedForm

MAX_CHILDREN = 4
HONEYPOT = "site_web"
BORN = "born"
EXPECTED = "expected"
CHILD_FIELDS = {
    f"child_{number}_{part}": 10
    for number in range(1, MAX_CHILDREN + 1)
    for part in ("kind", "month")
}
SIGNUP_FIELDS = {
    "parent_name": 150,
    "email": 254,
    "phone": 30,
    "commune": 100,
    CODE_FIELD: 5,
    "adults": 2,
    "first_time": 3,
    "heard_from": 20,
    "needs": 1000,
    "reminders": 3,
    HONEYPOT: 200,
    **CHILD_FIELDS,
}
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
PHONE = re.compile(r"^[0-9+ .()-]{6,30}$")


def _month(raw: str) -> date | None:
    match = MONTH.match(raw)
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 < int(match.group(1)) < 2200:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def read_children(form: SubmittedForm, today: date) -> list[Child]:
    children = []
    for number in range(1, MAX_CHILDREN + 1):
        kind, raw = form[f"child_{number}_kind"], form[f"child_{number}_month"]
        if not raw and kind != EXPECTED:
            continue
        name = f"child_{number}_month"
        month = _month(raw)
        if month is None:
            form.errors[name] = _("Indiquez un mois, par exemple 2026-03.")
            continue
        expected = kind == EXPECTED
        ahead = _months_between(today, month)
        if expected and not 0 <= ahead <= 9:
            form.errors[name] = _("Le mois de naissance prévu doit être dans les 9 prochains mois.")
        elif not expected and not -12 * 18 <= ahead <= 0:
            form.errors[name] = _("Le mois de naissance ne peut pas être dans le futur.")
        else:
            children.append(Child(month, expected=expected))
    return children


def read_family(form: SubmittedForm, today: date) -> Family | None:
    """The family typed in `form`, or None with `form.errors` filled."""
    errors = form.errors
    if not form["parent_name"]:
        errors["parent_name"] = _("Indiquez votre nom.")
    email = normalise_email(form["email"])
    problem = email_problem(email)
    if problem:
        errors["email"] = problem
    if form["phone"] and not PHONE.match(form["phone"]):
        errors["phone"] = _("Indiquez un numéro de téléphone, par exemple 06 12 34 56 78.")
    residence = read_residence(form)
    adults = form["adults"] or "1"
    if not adults.isdigit() or not 1 <= int(adults) <= 4:
        errors["adults"] = _("Indiquez un nombre d'adultes entre 1 et 4.")
    if form["heard_from"] and form["heard_from"] not in dict(HEARD_FROM):
        errors["heard_from"] = _("Choisissez une réponse dans la liste.")
    children = read_children(form, today)
    if not children and "child_1_month" not in errors:
        errors["child_1_month"] = _("Indiquez au moins un enfant, ou le mois de naissance prévu.")
    if errors or residence is None:
        return None
    return Family(
        parent_name=form["parent_name"],
        email=email,
        phone=form["phone"],
        commune=residence.name,
        commune_code=residence.code,
        adults=int(adults),
        children=children,
        first_time=form["first_time"] != "non",
        heard_from=form["heard_from"],
        needs=form["needs"],
        reminders_consent=form["reminders"] == "oui",
    )

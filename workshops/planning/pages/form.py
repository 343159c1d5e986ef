"""The workshop form: fields, and turning what was typed into a `WorkshopPlan` or errors."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from workshops.kernel.communes import by_code, matching
from workshops.kernel.i18n import _
from workshops.planning.plans import WorkshopPlan
from workshops.rooms import read_date, read_whole_number
from workshops.web.communes import CODE_FIELD, OTHER, read_commune
from workshops.web.forms import SubmittedForm

WORKSHOP_FIELDS = {
    "theme": 9,
    "title": 200,
    "description": 3000,
    "capacity": 3,
    "prenatal": 3,
    "min_age_months": 3,
    "max_age_months": 3,
    "communes": 2000,
    # The picker of a commune to add to `communes` (`add_chosen_commune`).
    "commune": 100,
    CODE_FIELD: 5,
    "ajout": 10,
    "opens": 10,
    "closes": 10,
}


def read_communes(raw: str, errors: dict[str, str]) -> tuple[tuple[str, int | None], ...]:
    """One commune of the official list a line (its name, with `(21)` for homonyms, or its
    postal code), with an optional quota after a colon: `Daix : 4`. Gives INSEE codes."""
    found: dict[str, int | None] = {}
    for line in raw.splitlines():
        name, _sep, quota = line.partition(":")
        name, quota = name.strip(), quota.strip()
        if not name:
            continue
        if quota and (not quota.isdigit() or not 1 <= int(quota) <= 200):
            errors["communes"] = _("Un quota est un nombre de places, par exemple « Daix : 4 ».")
            return ()
        communes = matching(name[:100])
        if not communes:
            errors["communes"] = _(
                "« %(name)s » n'est pas une commune de la liste officielle.", name=name
            )
            return ()
        if len(communes) > 1:
            errors["communes"] = _(
                "Plusieurs communes s'appellent « %(name)s » : précisez le département, "
                "par exemple « %(example)s ».",
                name=name,
                example=communes[0].label,
            )
            return ()
        found[communes[0].code] = int(quota) if quota else None
    return tuple(found.items())


def add_chosen_commune(form: SubmittedForm) -> bool:
    """When the form was sent by « Ajouter à la liste » with a commune in the picker, add it to
    the eligible communes as its label (`Daix (21)`) and say True: the form comes back to go
    on. The commune is chosen from the official list as a family chooses theirs
    (`web.communes`: proposals while typing, or after a refusal without JavaScript)."""
    if form["ajout"] != "commune" or not (form["commune"] or form[CODE_FIELD]):
        return False
    if form[CODE_FIELD] == OTHER:
        form.errors["commune"] = _("Choisissez une commune de la liste officielle.")
        return True
    missing = _("Indiquez la commune à ajouter.")
    chosen = read_commune(form, missing=missing, missing_other=missing)
    listed = by_code(chosen.code) if chosen is not None else None
    if listed is None:
        return True
    lines = [line for line in form["communes"].splitlines() if line.strip()]
    if not any(matching(line.partition(":")[0].strip()[:100]) == (listed,) for line in lines):
        lines.append(listed.label)
    form.values.update({"communes": "\n".join(lines), "commune": "", CODE_FIELD: ""})
    return True


def _moment(raw: str, name: str, errors: dict[str, str], zone: ZoneInfo) -> datetime | None:
    day = read_date(raw, name, errors, required=False)
    return datetime.combine(day, time(0, 0), tzinfo=zone) if day else None


def read_plan(
    form: SubmittedForm, *, facilitator_ids: list[int], zone: ZoneInfo
) -> WorkshopPlan | None:
    errors = form.errors
    theme = form["theme"]
    if not theme.isdigit():
        errors["theme"] = _("Choisissez un type d'atelier.")
    capacity = read_whole_number(form["capacity"], "capacity", errors, minimum=1, maximum=200)
    low = read_whole_number(
        form["min_age_months"], "min_age_months", errors, minimum=0, maximum=216, required=False
    )
    high = read_whole_number(
        form["max_age_months"], "max_age_months", errors, minimum=0, maximum=216, required=False
    )
    communes = read_communes(form["communes"], errors)
    opens = _moment(form["opens"], "opens", errors, zone)
    closes = _moment(form["closes"], "closes", errors, zone)
    if errors or capacity is None:
        return None
    return WorkshopPlan(
        theme_id=int(theme),
        title=form["title"],
        capacity=capacity,
        description=form["description"],
        prenatal=form["prenatal"] == "oui",
        min_age_months=low,
        max_age_months=high,
        communes=communes,
        facilitator_ids=tuple(facilitator_ids),
        registration_opens_at=opens,
        registration_closes_at=closes,
    )


async def read_ids(request: Request, name: str) -> list[int]:
    """Every database id sent under `name` (checkboxes); anything else is ignored."""
    try:
        data = await request.form(max_files=0, max_fields=200)
    except (MultiPartException, ValueError, UnicodeDecodeError, AssertionError):
        raise HTTPException(400, _("Le formulaire envoyé est illisible.")) from None
    values = [v for v in data.getlist(name) if isinstance(v, str)]
    return [int(v) for v in dict.fromkeys(values) if v.isdigit() and len(v) <= 9]

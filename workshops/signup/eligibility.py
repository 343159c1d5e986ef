"""Who may sign up for a workshop: by the children's age and by the commune of residence.

A refusal says why in French, under the field the family can change. Ages are counted in whole
months at the first session; a prenatal workshop asks for an expected child.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workshops.kernel.i18n import _
from workshops.planning import EligibleCommune, Workshop, is_commune


@dataclass(frozen=True)
class Child:
    """A child by month only: born that month, or expected that month (`expected`)."""

    month: date
    expected: bool = False

    def as_json(self) -> dict[str, str]:
        return {("expected" if self.expected else "born"): self.month.strftime("%Y-%m")}

    def age_in_months(self, on: date) -> int:
        return (on.year - self.month.year) * 12 + on.month - self.month.month


def places_for(workshop: Workshop, children: list[Child]) -> int:
    """A prenatal workshop takes one place per family; otherwise one place per child."""
    return 1 if workshop.prenatal else len(children)


def _age_range_label(workshop: Workshop) -> str:
    low, high = workshop.min_age_months, workshop.max_age_months
    if low is not None and high is not None:
        return _("de %(low)s à %(high)s mois", low=low, high=high)
    if low is not None:
        return _("à partir de %(low)s mois", low=low)
    return _("jusqu'à %(high)s mois", high=high)


def age_problem(workshop: Workshop, children: list[Child], first_day: date) -> str | None:
    if workshop.prenatal:
        if not any(child.expected for child in children):
            return _(
                "Cet atelier est réservé aux futurs parents : indiquez le mois de naissance prévu."
            )
        return None
    if not children:
        return _("Indiquez au moins un enfant.")
    if any(child.expected for child in children):
        return _(
            "Cet atelier accueille des enfants déjà nés : les ateliers pour futurs parents "
            "sont signalés « avant la naissance » dans le catalogue."
        )
    if workshop.min_age_months is None and workshop.max_age_months is None:
        return None
    low = workshop.min_age_months if workshop.min_age_months is not None else 0
    high = workshop.max_age_months if workshop.max_age_months is not None else 10_000
    for child in children:
        if not low <= child.age_in_months(first_day) <= high:
            return _(
                "Cet atelier accueille les enfants %(range)s à la date de la première séance ; "
                "un enfant indiqué aura %(age)s mois.",
                range=_age_range_label(workshop),
                age=child.age_in_months(first_day),
            )
    return None


def commune_problem(communes: list[EligibleCommune], *, code: str, name: str) -> str | None:
    """None when the workshop is open to all, or lists the family's commune (by INSEE code)."""
    if not communes or any(is_commune(row, code=code, name=name) for row in communes):
        return None
    names = ", ".join(row.commune for row in communes)
    return _(
        "Cet atelier est réservé aux habitants de : %(names)s. Renseignez-vous auprès de la PMI "
        "pour un atelier près de chez vous.",
        names=names,
    )

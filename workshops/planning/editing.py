"""Changing what a workshop says: text, ages, eligible communes and quotas, registration window.

The places are changed apart (`workshops.signup.workshop_changes.change_capacity`), because
raising them promotes the waiting list. A commune keeps its counter of places taken; one that
families already hold places for cannot be removed, and its quota cannot go below them.
"""

from __future__ import annotations

from workshops.audit import Actor, record_event
from workshops.kernel.communes import by_code
from workshops.kernel.db import transaction
from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid
from workshops.planning.communes import is_commune
from workshops.planning.locking import lock_workshop
from workshops.planning.models import (
    EligibleCommune,
    Facilitation,
    Theme,
    Workshop,
    WorkshopStatus,
)
from workshops.planning.plans import (
    WorkshopPlan,
    add_eligible_commune,
    facilitators_problem,
    plan_errors,
)


def _commune_text(row: EligibleCommune) -> str:
    """`Daix (21)`: the label reads back as the same commune, whatever its homonyms."""
    commune = by_code(row.commune_code)
    return commune.label if commune else row.commune


def _wanted(row: EligibleCommune, code: str) -> bool:
    commune = by_code(code)
    return is_commune(row, code=code, name=commune.name if commune else code)


def plan_of(workshop: Workshop, communes: list[EligibleCommune]) -> dict[str, str]:
    """The form values of a workshop as it is, for its edit page."""

    def text(value: int | None) -> str:
        return "" if value is None else str(value)

    return {
        "theme": str(workshop.theme_id),
        "title": workshop.title,
        "description": workshop.description,
        "capacity": str(workshop.capacity),
        "prenatal": "oui" if workshop.prenatal else "",
        "min_age_months": text(workshop.min_age_months),
        "max_age_months": text(workshop.max_age_months),
        "communes": "\n".join(
            f"{_commune_text(row)} : {row.quota}" if row.quota else _commune_text(row)
            for row in communes
        ),
        "opens": workshop.registration_opens_at.date().isoformat()
        if workshop.registration_opens_at
        else "",
        "closes": workshop.registration_closes_at.date().isoformat()
        if workshop.registration_closes_at
        else "",
    }


async def _apply_communes(workshop: Workshop, wanted: tuple[tuple[str, int | None], ...]) -> None:
    rows = list(await EligibleCommune.filter(workshop_id=workshop.id))
    for row in rows:
        match = next((quota for code, quota in wanted if _wanted(row, code)), False)
        if match is False:
            if row.places_taken:
                raise Invalid(
                    {
                        "communes": _(
                            "%(name)s : des familles de cette commune sont inscrites.",
                            name=row.commune,
                        )
                    }
                )
            await row.delete()
        elif isinstance(match, int) and match < row.places_taken:
            raise Invalid(
                {
                    "communes": _(
                        "%(name)s : le quota de cette commune est déjà dépassé.", name=row.commune
                    )
                }
            )
        else:
            await EligibleCommune.filter(id=row.id).update(quota=match)
    for code, quota in wanted:
        if not any(_wanted(row, code) for row in rows):
            await add_eligible_commune(workshop_id=workshop.id, code=code, quota=quota)


async def update_workshop(*, actor: Actor, workshop: Workshop, plan: WorkshopPlan) -> Workshop:
    """Save the new text, ages, communes and window of a draft or published workshop."""
    errors = plan_errors(plan)
    if not await Theme.exists(id=plan.theme_id):
        errors["theme"] = _("Choisissez un type d'atelier.")
    problem = await facilitators_problem(workshop.organisation_id, plan.facilitator_ids)
    if problem:
        errors["facilitators"] = problem
    if workshop.status not in (WorkshopStatus.DRAFT, WorkshopStatus.PUBLISHED):
        errors["workshop"] = _("Cet atelier ne peut plus changer.")
    if errors:
        raise Invalid(errors)
    async with transaction():
        await lock_workshop(workshop.id)
        await Workshop.filter(id=workshop.id).update(
            theme_id=plan.theme_id,
            title=plan.title.strip(),
            description=plan.description,
            prenatal=plan.prenatal,
            min_age_months=plan.min_age_months,
            max_age_months=plan.max_age_months,
            registration_opens_at=plan.registration_opens_at,
            registration_closes_at=plan.registration_closes_at,
        )
        await _apply_communes(workshop, plan.communes)
        for user_id in plan.facilitator_ids:
            await Facilitation.get_or_create(workshop_id=workshop.id, user_id=user_id)
        await record_event(
            actor=actor,
            action="workshop.changed",
            summary=f"Atelier modifié : {plan.title}",
            object_type="workshop",
            object_id=workshop.id,
            organisation_id=workshop.organisation_id,
        )
    await workshop.refresh_from_db()
    return workshop

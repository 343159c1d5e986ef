"""Workshop themes [types d'atelier]: the usual ones of the PMI, added and edited by coordinators.

Themes are shared by every PMI organisation of the platform (one catalogue for families).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError

from workshops.audit import Actor, record_event
from workshops.kernel.db import transaction
from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid
from workshops.planning.models import Theme


@dataclass(frozen=True)
class ThemeDraft:
    name: str
    description: str = ""
    prenatal: bool = False
    min_age_months: int | None = None
    max_age_months: int | None = None
    default_duration_minutes: int = 90
    default_group_size: int = 8
    what_to_bring: str = ""


USUAL_THEMES = [
    ThemeDraft(
        "Massage bébé",
        "Apprendre les gestes du massage pour un moment de détente et d'échange avec son bébé.",
        min_age_months=1,
        max_age_months=9,
        default_duration_minutes=75,
        default_group_size=6,
        what_to_bring="Une serviette, un change et une tenue confortable.",
    ),
    ThemeDraft(
        "Portage en écharpe",
        "Découvrir le portage physiologique et essayer les nœuds, avant ou après la naissance.",
        prenatal=False,
        min_age_months=0,
        max_age_months=24,
        default_duration_minutes=120,
        default_group_size=6,
        what_to_bring="Votre écharpe ou porte-bébé si vous en avez un ; des écharpes sont prêtées.",
    ),
    ThemeDraft(
        "Jeux",
        "Jouer ensemble, découvrir des jeux simples à refaire à la maison.",
        min_age_months=6,
        max_age_months=36,
        default_group_size=10,
        what_to_bring="Des chaussettes antidérapantes.",
    ),
    ThemeDraft(
        "Motricité",
        "Un parcours libre pour que l'enfant explore à son rythme, sous le regard de ses parents.",
        min_age_months=3,
        max_age_months=36,
        default_group_size=8,
        what_to_bring="Une tenue souple pour l'enfant.",
    ),
    ThemeDraft(
        "Découverte du livre",
        "Lectures, comptines et albums à partager dès le plus jeune âge.",
        min_age_months=0,
        max_age_months=48,
        default_duration_minutes=60,
        default_group_size=10,
    ),
    ThemeDraft(
        "Temps d'échange entre parents",
        "Un temps de parole entre parents et futurs parents, animé par une professionnelle.",
        prenatal=True,
        default_duration_minutes=90,
        default_group_size=10,
    ),
]


def _problems(draft: ThemeDraft) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not draft.name.strip():
        errors["name"] = _("Indiquez le nom du type d'atelier.")
    low, high = draft.min_age_months, draft.max_age_months
    if low is not None and high is not None and low > high:
        errors["max_age_months"] = _("L'âge maximum doit suivre l'âge minimum.")
    return errors


def _fields(draft: ThemeDraft) -> dict[str, Any]:
    return {
        "name": draft.name.strip(),
        "description": draft.description,
        "prenatal": draft.prenatal,
        "min_age_months": draft.min_age_months,
        "max_age_months": draft.max_age_months,
        "default_duration_minutes": draft.default_duration_minutes,
        "default_group_size": draft.default_group_size,
        "what_to_bring": draft.what_to_bring,
    }


async def save_theme(*, actor: Actor, draft: ThemeDraft, theme: Theme | None = None) -> Theme:
    """Create a theme, or change `theme`; the name is unique."""
    errors = _problems(draft)
    if errors:
        raise Invalid(errors)
    try:
        async with transaction():
            if theme is None:
                theme = await Theme.create(**_fields(draft))
            else:
                await Theme.filter(id=theme.id).update(**_fields(draft))
                await theme.refresh_from_db()
            await record_event(
                actor=actor,
                action="theme.saved",
                summary=f"Type d'atelier enregistré : {theme.name}",
                object_type="theme",
                object_id=theme.id,
            )
    except IntegrityError:
        raise Invalid({"name": _("Un type d'atelier porte déjà ce nom.")}) from None
    return theme


async def seed_usual_themes() -> int:
    """Add the usual themes that are missing; the number added. Safe to run twice."""
    added = 0
    for draft in USUAL_THEMES:
        _theme, created = await Theme.get_or_create(name=draft.name, defaults=_fields(draft))
        added += int(created)
    return added

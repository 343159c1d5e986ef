"""The model clauses of a convention, taken from the founding Bas-Rhin convention (CP/2020/112).

A new convention starts from these texts, with the parties' names filled in; the coordinator can
then adapt each one while the convention is a draft. The duration clause is not here: it is
written from the dates and terms (`duration_text`), so it always says what the platform applies.
"""

from __future__ import annotations

from collections.abc import Mapping

from workshops.partners.terms import Terms, natural_last_day
from workshops.web.i18n import N_, format_day, gettext, ngettext

# (code, title) in the order of the convention; the code is the key in `Convention.clauses`.
CLAUSES: tuple[tuple[str, str], ...] = (
    ("premises", N_("Mise à disposition des locaux")),
    ("commitments", N_("Engagements du Département")),
    ("upkeep", N_("Entretien, chauffage et éclairage")),
    ("materials", N_("Matériel et mobilier")),
    ("insurance", N_("Assurances")),
    ("evaluation", N_("Évaluation annuelle")),
)
CLAUSE_CODES = tuple(code for code, _title in CLAUSES)
MAX_CLAUSE_LENGTH = 5000

_TEMPLATE = {
    "premises": (
        "{partner} met à disposition du Département, à titre gracieux, les salles désignées dans "
        "la présente convention pour la tenue d'actions collectives de soutien à la parentalité "
        "(ateliers massage bébé, portage en écharpe, jeux, motricité, découverte du livre, temps "
        "d'échange…). Il fait la promotion de ces actions auprès du public accueilli et en "
        "diffuse l'information."
    ),
    "commitments": (
        "Le Département ({pmi}) s'engage à mettre des professionnels à disposition pour animer "
        "ces actions. Le rythme des actions dépend des besoins détectés ainsi que des "
        "disponibilités des professionnels concernés."
    ),
    "upkeep": (
        "L'entretien des locaux ainsi que les frais de chauffage et d'éclairage sont à la charge "
        "de {partner}."
    ),
    "materials": (
        "Le matériel nécessaire à l'animation des ateliers est fourni par les services du "
        "Département, sauf accord préalable contraire avec {partner}, qui peut dans certains cas "
        "mettre à disposition de l'équipement mobilier."
    ),
    "insurance": (
        "Le Département et {partner} souscrivent chacun les assurances nécessaires à la "
        "couverture des risques liés à la tenue des actions, et se remettent chaque année "
        "l'attestation d'assurance en cours de validité."
    ),
    "evaluation": (
        "Le Département et {partner} s'engagent à évaluer annuellement la mise en œuvre de la "
        "convention, à partir du bilan d'activité établi sur la plateforme et signé par les "
        "deux parties."
    ),
}


def model_clauses(*, pmi_name: str, partner_name: str) -> dict[str, str]:
    """The founding convention's clauses, written for these two parties."""
    return {
        code: text.format(pmi=pmi_name, partner=partner_name) for code, text in _TEMPLATE.items()
    }


def clause_titles() -> dict[str, str]:
    return {code: gettext(title) for code, title in CLAUSES}


def ordered_clauses(clauses: Mapping[str, str]) -> list[tuple[str, str]]:
    """(title, text) of each clause of a convention, in the order of the model."""
    titles = clause_titles()
    return [(titles[code], clauses[code]) for code in CLAUSE_CODES if clauses.get(code)]


def duration_text(terms: Terms) -> str:
    """The duration clause, in words, from the convention's terms."""
    term = ngettext("%(num)s mois", "%(num)s mois", terms.term_months)
    notice = ngettext("%(num)s mois", "%(num)s mois", terms.notice_months)
    start = format_day(terms.starts_on)
    if not terms.tacit_renewal:
        return gettext(
            "La convention est conclue pour %(term)s à compter du %(start)s, sans reconduction "
            "tacite : elle prend fin le %(end)s.",
            term=term,
            start=start,
            end=format_day(natural_last_day(terms)),
        )
    years = ngettext("%(num)s an", "%(num)s ans", terms.max_years)
    return gettext(
        "La convention est conclue pour %(term)s à compter du %(start)s. Elle est reconduite "
        "tacitement à chaque échéance, pour une durée maximale de %(years)s (jusqu'au "
        "%(end)s). Chaque partie peut la dénoncer par écrit en respectant un préavis de "
        "%(notice)s avant l'échéance.",
        term=term,
        start=start,
        years=years,
        end=format_day(natural_last_day(terms)),
        notice=notice,
    )

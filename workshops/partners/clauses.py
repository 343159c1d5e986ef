"""The text of a convention: the parties' block, the model clauses, and the duration clause.

How the parties' names enter the text, as in the founding Bas-Rhin convention (CP/2020/112) and
every French convention: each party is named once, in the block at the head of the convention
(`parties_block`: « Entre : <nom>, ci-après « le Département », d'une part, Et : <nom>, ci-après
« le partenaire », d'autre part »), and every clause then says « le Département » and « le
partenaire ». A name is never put inside a clause: French would need an article that depends on
the name (« du Relais », « de la Maison des Familles », « des Jardins d'Émile », « de l'Association
Les Petits Pas », but « de Haguenau » for a commune), and no field tells it; a name standing alone
as a value is right whatever it is. So a clause reads the same for every partner, and a
coordinator who adapts it never has to fix a name.

A new convention starts from the model clauses; the coordinator can then adapt each one while
the convention is a draft. The clauses of a convention are stored with it, so a convention signed
with an earlier wording keeps the text both parties signed. The duration clause is not stored: it
is written from the dates and terms (`duration_text`), so it always says what the platform
applies.
"""

from __future__ import annotations

from collections.abc import Mapping

from workshops.kernel.i18n import N_, format_day, gettext, ngettext
from workshops.partners.terms import Terms, natural_last_day

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

_MODEL = {
    "premises": (
        "Le partenaire met à disposition du Département, à titre gracieux, les salles désignées "
        "dans la présente convention pour la tenue d'actions collectives de soutien à la "
        "parentalité (ateliers massage bébé, portage en écharpe, jeux, motricité, découverte du "
        "livre, temps d'échange…). Il fait la promotion de ces actions auprès du public accueilli "
        "et en diffuse l'information."
    ),
    "commitments": (
        "Le Département s'engage à mettre des professionnels à disposition pour animer ces "
        "actions. Le rythme des actions dépend des besoins détectés ainsi que des disponibilités "
        "des professionnels concernés."
    ),
    "upkeep": (
        "L'entretien des locaux ainsi que les frais de chauffage et d'éclairage sont à la charge "
        "du partenaire."
    ),
    "materials": (
        "Le matériel nécessaire à l'animation des ateliers est fourni par les services du "
        "Département, sauf accord préalable contraire avec le partenaire, qui peut dans certains "
        "cas mettre à disposition de l'équipement mobilier."
    ),
    "insurance": (
        "Le Département et le partenaire souscrivent chacun les assurances nécessaires à la "
        "couverture des risques liés à la tenue des actions, et se remettent chaque année "
        "l'attestation d'assurance en cours de validité."
    ),
    "evaluation": (
        "Le Département et le partenaire s'engagent à évaluer annuellement la mise en œuvre de la "
        "convention, à partir du bilan d'activité établi sur la plateforme et signé par les deux "
        "parties."
    ),
}


def model_clauses() -> dict[str, str]:
    """The founding convention's clauses, the same for every partner (see the docstring)."""
    return dict(_MODEL)


def parties_block(*, pmi_name: str, partner_name: str) -> list[str]:
    """The head of the convention, one line each: the only place the parties' names appear."""
    return [
        gettext("Entre :"),
        gettext("%(name)s, ci-après « le Département », d'une part,", name=pmi_name),
        gettext("Et :"),
        gettext("%(name)s, ci-après « le partenaire », d'autre part,", name=partner_name),
        gettext("il est convenu ce qui suit."),
    ]


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

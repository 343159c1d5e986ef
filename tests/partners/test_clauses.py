"""The convention's text: the parties named once at its head, clauses right for any name."""

from __future__ import annotations

import html
from datetime import date

import httpx
import pytest

from tests.factories import log_in
from tests.partners.factories import make_partnership
from tests.wording import ORGANISATION_NAMES, PMI_NAME, badly_named
from workshops.accounts.models import Organisation
from workshops.partners.clauses import CLAUSE_CODES, duration_text, model_clauses, parties_block
from workshops.partners.models import Convention
from workshops.partners.terms import Terms

MODEL_CLAUSES = {
    "premises": "Le partenaire met à disposition du Département, à titre gracieux, les salles "
    "désignées dans la présente convention pour la tenue d'actions collectives de soutien à la "
    "parentalité (ateliers massage bébé, portage en écharpe, jeux, motricité, découverte du "
    "livre, temps d'échange…). Il fait la promotion de ces actions auprès du public accueilli et "
    "en diffuse l'information.",
    "commitments": "Le Département s'engage à mettre des professionnels à disposition pour "
    "animer ces actions. Le rythme des actions dépend des besoins détectés ainsi que des "
    "disponibilités des professionnels concernés.",
    "upkeep": "L'entretien des locaux ainsi que les frais de chauffage et d'éclairage sont à la "
    "charge du partenaire.",
    "materials": "Le matériel nécessaire à l'animation des ateliers est fourni par les services "
    "du Département, sauf accord préalable contraire avec le partenaire, qui peut dans certains "
    "cas mettre à disposition de l'équipement mobilier.",
    "insurance": "Le Département et le partenaire souscrivent chacun les assurances nécessaires "
    "à la couverture des risques liés à la tenue des actions, et se remettent chaque année "
    "l'attestation d'assurance en cours de validité.",
    "evaluation": "Le Département et le partenaire s'engagent à évaluer annuellement la mise en "
    "œuvre de la convention, à partir du bilan d'activité établi sur la plateforme et signé par "
    "les deux parties.",
}


def test_the_model_clauses_call_the_parties_le_departement_and_le_partenaire() -> None:
    assert model_clauses() == MODEL_CLAUSES
    assert tuple(model_clauses()) == CLAUSE_CODES


@pytest.mark.parametrize("partner", ORGANISATION_NAMES)
def test_each_party_is_named_once_at_the_head_and_the_whole_text_reads_right(
    partner: str,
) -> None:
    block = parties_block(pmi_name=PMI_NAME, partner_name=partner)

    assert block == [
        "Entre :",
        "Département du Bas-Rhin – PMI, Unité territoriale Nord, ci-après « le Département », "
        "d'une part,",
        "Et :",
        f"{partner}, ci-après « le partenaire », d'autre part,",
        "il est convenu ce qui suit.",
    ]
    text = "\n".join([*block, duration_text(Terms(date(2025, 9, 1))), *model_clauses().values()])
    assert badly_named(text, [PMI_NAME, partner]) == []
    assert text.count(partner) == 1


@pytest.mark.parametrize("partner", ["La Maison des Familles", "Les Jardins d'Émile"])
async def test_the_convention_page_names_the_parties_then_gives_the_clauses(
    client: httpx.AsyncClient, partner: str
) -> None:
    partnership = await make_partnership()
    await Organisation.filter(id=partnership.centre.id).update(name=partner)
    await Organisation.filter(id=partnership.pmi.id).update(name=PMI_NAME)
    await log_in(client, partnership.coordinator.user.email)

    page = html.unescape((await client.get(f"/pro/conventions/{partnership.convention.id}")).text)

    assert f"<h1>Convention de partenariat : {partner}</h1>" in page
    assert f"<p>{partner}, ci-après « le partenaire », d'autre part,</p>" in page
    assert f"<p>{PMI_NAME}, ci-après « le Département », d'une part,</p>" in page
    assert "sont à la charge du partenaire." in page
    assert page.index("il est convenu ce qui suit.") < page.index("à titre gracieux")
    assert badly_named(page, []) == []


async def test_a_convention_signed_with_the_former_wording_keeps_the_text_both_parties_signed(
    client: httpx.AsyncClient,
) -> None:
    partnership = await make_partnership()
    signed_text = (
        "L'entretien des locaux ainsi que les frais de chauffage et d'éclairage sont à la charge "
        "de Centre Socio-Culturel Robert Schuman."
    )
    await Convention.filter(id=partnership.convention.id).update(
        clauses={**model_clauses(), "upkeep": signed_text}
    )
    await log_in(client, partnership.coordinator.user.email)

    page = html.unescape((await client.get(f"/pro/conventions/{partnership.convention.id}")).text)

    assert signed_text in page
    stored = await Convention.get(id=partnership.convention.id)
    assert stored.clauses["upkeep"] == signed_text

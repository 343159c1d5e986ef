"""The privacy notice: public, in French, reachable from the footer of every page."""

from __future__ import annotations

import httpx

from tests.factories import make_organisation
from workshops.accounts.models import Organisation, OrganisationKind


async def test_a_family_reads_the_privacy_notice_without_an_account(
    client: httpx.AsyncClient,
) -> None:
    pmi = await make_organisation(OrganisationKind.PMI, name="PMI Nord")
    await Organisation.filter(id=pmi.id).update(contact_email="pmi-nord@cd67.fr")

    response = await client.get("/confidentialite")

    assert response.status_code == 200
    text = response.text
    assert "protection maternelle et infantile" in text
    assert "24 mois après la dernière séance" in text
    assert "Aucune donnée de santé." in text
    assert "ne voient que des nombres" in text
    for right in ("droit d'accès", "rectification", "effacement", "opposition", "CNIL"):
        assert right in text
    assert "pmi-nord@cd67.fr" in text


async def test_every_page_links_to_the_privacy_notice(client: httpx.AsyncClient) -> None:
    for path in ("/", "/pro/connexion"):
        assert 'href="/confidentialite"' in (await client.get(path)).text

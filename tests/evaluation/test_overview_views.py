"""Coordinators compare partners, communes or everything; the open data hides small counts."""

from __future__ import annotations

import httpx

from tests.evaluation.dataset import build
from tests.factories import log_in, make_user
from workshops.accounts.models import Role


async def test_a_coordinator_reads_a_partner_a_commune_and_everything(
    client: httpx.AsyncClient,
) -> None:
    dataset = await build()
    await log_in(client, dataset.coordinator.email)
    partner = dataset.convention.partner_id
    for query in (f"portee=partenaire&partenaire={partner}", "portee=commune&commune=Haguenau",
                  "portee=tout"):  # fmt: skip
        response = await client.get(f"/pro/bilans?{query}&annee=2025")
        assert response.status_code == 200, query
        assert "Séances tenues par thème" in response.text
    refused = await client.get("/pro/bilans?portee=partenaire&partenaire=999999&annee=zz")
    assert refused.status_code == 200
    assert "Choisissez un partenaire dans la liste." in refused.text


async def test_the_open_data_hides_counts_under_five(client: httpx.AsyncClient) -> None:
    dataset = await build()
    await log_in(client, dataset.coordinator.email)

    response = await client.get("/pro/bilans/donnees-ouvertes.csv?portee=tout&annee=2025")

    text = response.content.decode("utf-8-sig")
    assert "Séances tenues;< 5;< 5" in text
    assert "Annulations" not in text
    assert "Claire" not in text


async def test_a_centre_manager_has_no_overview(client: httpx.AsyncClient) -> None:
    dataset = await build()
    manager = await make_user(await dataset.convention.partner, Role.CENTRE_MANAGER)
    await log_in(client, manager.email)
    assert (await client.get("/pro/bilans")).status_code == 403
    assert (await client.get("/pro/bilans/donnees-ouvertes.csv")).status_code == 403

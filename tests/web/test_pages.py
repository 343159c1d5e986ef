"""The public face: French home page, French error pages, health check."""

from __future__ import annotations

import httpx


async def test_home_page_is_french_and_accessible(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.text
    assert 'href="#contenu"' in response.text
    assert '<main id="contenu"' in response.text
    assert "Ateliers parents-enfants" in response.text


async def test_unknown_address_gets_the_french_404_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/cette-page-n-existe-pas")
    assert response.status_code == 404
    assert "Page introuvable" in response.text


async def test_health_check_answers_when_the_database_does(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}

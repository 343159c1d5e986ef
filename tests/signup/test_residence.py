"""The commune of residence on the sign-up form, chosen from the official list, with and without
JavaScript: a name or postal code typed, proposals when it names several communes or none."""

from __future__ import annotations

import httpx

from tests.planning.factories import make_workshop
from tests.signup.test_journey import _form
from workshops.kernel.settings import Settings
from workshops.signup.models import Registration

HTMX = {"HX-Request": "true"}


async def _sign_up(client: httpx.AsyncClient, workshop_id: int, **fields: str) -> httpx.Response:
    data = {**_form("Léa Martin", "lea@exemple.fr"), **fields}
    return await client.post(f"/ateliers/{workshop_id}/inscription", data=data)


async def test_a_commune_typed_without_its_accents_or_capitals_is_stored_with_its_insee_code(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop()
    response = await _sign_up(client, workshop.id, commune="schweighouse sur moder")
    assert response.status_code == 200
    registration = await Registration.get()
    assert (registration.commune_code, registration.commune) == ("67458", "Schweighouse-sur-Moder")


async def test_a_name_shared_by_several_communes_asks_which_one_then_keeps_the_choice(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop()
    asked = await _sign_up(client, workshop.id, commune="St Denis")
    assert asked.status_code == 422
    assert "Plusieurs communes correspondent" in asked.text
    assert 'value="93066"' in asked.text and "Saint-Denis (93)" in asked.text
    assert 'value="97411"' in asked.text and "Saint-Denis (974)" in asked.text
    assert await Registration.all().count() == 0
    chosen = await _sign_up(client, workshop.id, commune="St Denis", commune_code="93066")
    assert chosen.status_code == 200
    registration = await Registration.get()
    assert (registration.commune_code, registration.commune) == ("93066", "Saint-Denis")


async def test_a_postal_code_of_several_communes_proposes_them_all(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop()
    asked = await _sign_up(client, workshop.id, commune="67500")
    assert asked.status_code == 422
    assert "Haguenau (67)" in asked.text and "Batzendorf (67)" in asked.text


async def test_a_family_from_abroad_keeps_what_it_typed_without_a_code(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop()
    refused = await _sign_up(client, workshop.id, commune="Karlsruhe")
    assert refused.status_code == 422
    assert "pas dans la liste officielle" in refused.text
    assert 'value="autre"' in refused.text
    kept = await _sign_up(client, workshop.id, commune="Karlsruhe", commune_code="autre")
    assert kept.status_code == 200
    registration = await Registration.get()
    assert (registration.commune_code, registration.commune) == ("", "Karlsruhe")


async def test_an_other_choice_without_any_text_is_refused(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop()
    refused = await _sign_up(client, workshop.id, commune="", commune_code="autre")
    assert refused.status_code == 422
    assert "Indiquez votre commune ou votre pays de résidence." in refused.text


async def test_while_typing_htmx_gets_only_the_proposals(
    client: httpx.AsyncClient, database: Settings
) -> None:
    response = await client.get("/communes", params={"commune": "hague"}, headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'name="commune_code" value="67180"' in response.text
    assert "Haguenau (67)" in response.text
    assert 'value="autre"' in response.text
    # Counted politely, and not again when the count stays the same; the focus stays in the field.
    assert 'data-announce="' in response.text and 'data-announce-repeat="no"' in response.text
    assert "communes proposées" in response.text or "1 commune proposée" in response.text
    assert "data-focus" not in response.text


async def test_without_javascript_the_proposals_address_is_a_search_page(
    client: httpx.AsyncClient, database: Settings
) -> None:
    found = await client.get("/communes", params={"commune": "Haguenau"})
    assert found.status_code == 200
    assert "<html" in found.text and "Haguenau (67)" in found.text
    nothing = await client.get("/communes", params={"commune": "zzzz"})
    assert "Aucune commune de la liste officielle ne correspond." in nothing.text


async def test_the_sign_up_field_asks_htmx_for_proposals_while_typing(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop()
    page = await client.get(f"/ateliers/{workshop.id}")
    assert 'hx-get="/communes"' in page.text
    assert 'id="communes-proposees"' in page.text

"""Issue 14: the coordinators' « une commune » scope is chosen from the official list and keeps
the rooms of the sites with that INSEE code (or, without a code, with its name typed in any way);
the open data carries each commune's INSEE code in its own column."""

from __future__ import annotations

import httpx

from tests.evaluation.dataset import build
from tests.factories import log_in
from workshops.rooms.models import Room, Site
from workshops.signup.models import Registration


def _line(text: str, label: str) -> str:
    """The first line of a CSV starting with `label`."""
    return next(line for line in text.splitlines() if line.startswith(f"{label};"))


def _block(text: str, title: str) -> list[str]:
    """The lines of the CSV block titled `title`, up to the blank line after it."""
    lines = text.splitlines()
    start = lines.index(title)
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start + 1 : end]


async def test_the_commune_scope_counts_the_sites_of_its_code_and_of_its_name_typed_otherwise(
    client: httpx.AsyncClient,
) -> None:
    dataset = await build()
    await log_in(client, dataset.coordinator.email)
    partner = await client.get(
        f"/pro/bilans.csv?portee=partenaire&partenaire={dataset.convention.partner_id}&annee=2025"
    )
    expected = _line(partner.content.decode("utf-8-sig"), "Ateliers programmés")
    site = await Site.get(id=(await Room.get(id=dataset.room.id)).site_id)

    # The site's commune typed another way, with no code: found by its normalised name.
    await Site.filter(id=site.id).update(commune="HAGUENAU ", commune_code="")
    by_name = await client.get("/pro/bilans.csv?portee=commune&commune=haguenau&annee=2025")
    assert by_name.status_code == 200
    assert _line(by_name.content.decode("utf-8-sig"), "Ateliers programmés") == expected

    # Misspelt, but with its INSEE code (chosen from the list by the centre): found by the code.
    await Site.filter(id=site.id).update(commune="Hagenau", commune_code="67180")
    chosen = "portee=commune&commune=Haguenau+%2867%29&commune_code=67180&annee=2025"
    by_code = await client.get(f"/pro/bilans.csv?{chosen}")
    assert _line(by_code.content.decode("utf-8-sig"), "Ateliers programmés") == expected
    page = await client.get(f"/pro/bilans?{chosen}")
    assert page.status_code == 200
    assert 'hx-get="/communes"' in page.text
    assert 'value="67180" checked' in page.text

    # Another commune's code: none of those rooms.
    await Site.filter(id=site.id).update(commune="Bischwiller", commune_code="67046")
    elsewhere = await client.get(f"/pro/bilans.csv?{chosen}")
    assert _line(elsewhere.content.decode("utf-8-sig"), "Ateliers programmés") != expected


async def test_a_commune_not_in_the_list_or_shared_by_homonyms_comes_back_with_proposals(
    client: httpx.AsyncClient,
) -> None:
    dataset = await build()
    await log_in(client, dataset.coordinator.email)
    homonyms = await client.get("/pro/bilans?portee=commune&commune=Saint-Denis&annee=2025")
    assert homonyms.status_code == 200
    assert "Plusieurs communes correspondent" in homonyms.text
    assert 'name="commune_code" value="93066"' in homonyms.text
    unknown = await client.get(
        "/pro/bilans?portee=commune&commune=Hagenau&commune_code=99999999&annee=2025"
    )
    assert unknown.status_code == 200
    assert "pas dans la liste officielle" in unknown.text
    empty = await client.get("/pro/bilans.csv?portee=commune&commune=&annee=2025")
    assert empty.status_code == 200


async def test_the_open_data_gives_each_commune_its_insee_code(client: httpx.AsyncClient) -> None:
    dataset = await build()
    await Registration.filter(commune="Haguenau").update(commune="haguenau ", commune_code="67180")
    await log_in(client, dataset.coordinator.email)

    response = await client.get("/pro/bilans/donnees-ouvertes.csv?portee=tout&annee=2025")

    assert response.status_code == 200
    communes = _block(response.content.decode("utf-8-sig"), "Familles par commune de résidence")
    assert communes[0] == "Commune;Code INSEE;2025;2024"
    # Chosen from the list: its code; kept as typed: an empty cell; the counts hidden as ever.
    assert "Haguenau;67180;masqué;< 5" in communes
    assert "Bischwiller;;masqué;0" in communes

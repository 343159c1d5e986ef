"""The legal pages: the accessibility statement (built from docs/accessibilite.md), the legal
notice, help and contact; every page's footer links to them; the favicon; the current page in
the navigation."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from tests.factories import log_in, make_organisation, make_user
from tests.html_check import CHECK_HTML
from workshops.accounts.models import OrganisationKind, Role
from workshops.app import create_app
from workshops.kernel.settings import PROJECT_ROOT, Settings
from workshops.web.legal import AuditError, load_audit, parse_audit
from workshops.web.locale import LOCALE_COOKIE

AUDIT_DOCUMENT = PROJECT_ROOT / "docs" / "accessibilite.md"
FOOTER_LINKS = ("/accessibilite", "/mentions-legales", "/confidentialite", "/aide", "/plan-du-site")


def _table(text: str) -> list[tuple[str, str, str]]:
    """The criteria table, read here on its own: number, result, note."""
    rows = re.findall(r"^\| (\d+\.\d+) \|[^|]*\| (C|NC|NA) \|([^|]*)\|$", text, re.MULTILINE)
    return [(number, result, note.strip()) for number, result, note in rows]


def _french_percent(value: float) -> str:
    return f"{round(value, 2):g}".replace(".", ",") + " %"


def _footer(html: str) -> str:
    return html.split('<footer class="site-footer">', 1)[1]


@pytest.fixture
async def legal_client(database: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an application whose legal settings are a real publisher's."""
    settings = dataclasses.replace(
        database,
        publisher_name="Département du Bas-Rhin, service de PMI",
        publisher_address="Place du Quartier Blanc, 67964 Strasbourg",
        publisher_email="pmi@bas-rhin.example",
        publisher_phone="03 88 76 67 67",
        publication_director="Claire Directrice",
        hosting_name="Hébergeur Alsace SAS",
        hosting_address="1 rue des Serveurs, 67000 Strasbourg",
        hosting_phone="03 90 00 00 01",
        accessibility_email="accessibilite@bas-rhin.example",
    )
    app: Starlette = create_app(settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver", event_hooks=CHECK_HTML
    ) as client:
        yield client


async def test_the_statement_gives_the_rate_and_failures_of_the_audit_table(
    legal_client: httpx.AsyncClient,
) -> None:
    table = _table(AUDIT_DOCUMENT.read_text(encoding="utf-8"))
    assert len(table) == 106
    conform = sum(1 for _n, result, _note in table if result == "C")
    failing = [(number, note) for number, result, note in table if result == "NC"]
    rate = 100 * conform / (conform + len(failing))

    response = await legal_client.get("/accessibilite")

    assert response.status_code == 200
    page = response.text
    assert f"révèle que {_french_percent(rate)} des critères" in page
    status = "totalement" if not failing else "partiellement" if rate >= 50 else "non"
    assert f"est {status} conforme avec le référentiel" in page
    assert f"Critères non conformes : {len(failing)}" in page
    for number, note in failing:
        item = re.search(rf'<li id="critere-{re.escape(number)}">(.*?)</li>', page, re.DOTALL)
        assert item is not None, number
        assert note.replace("`", "") in item.group(1).replace("&#34;", '"').replace("&#39;", "'")
    assert "mardi 1 décembre 2026" in page


async def test_the_statement_says_whom_to_write_to_and_how_to_appeal(
    legal_client: httpx.AsyncClient,
) -> None:
    page = (await legal_client.get("/accessibilite")).text
    assert "Département du Bas-Rhin, service de PMI s'engage" in page
    assert 'href="mailto:accessibilite@bas-rhin.example"' in page
    assert "Voies de recours" in page
    assert "Défenseur des droits" in page
    assert 'href="https://formulaire.defenseurdesdroits.fr/"' in page
    assert "09 69 39 00 00" in page
    assert "Libre réponse 71120<br>75342 Paris CEDEX 07" in page
    assert "axe-core 4.14" in page
    assert "Déclaration d&#39;accessibilité (/accessibilite)</li>" in page


async def test_in_english_the_audit_text_is_marked_as_french(client: httpx.AsyncClient) -> None:
    """docs/accessibilite.md is French only: an English page says so, for screen readers."""
    client.cookies.set(LOCALE_COOKIE, "en")
    page = (await client.get("/accessibilite")).text
    assert '<html lang="en">' in page
    failing = page.split('<li id="critere-', 1)[0].rsplit("<ul", 1)[1]
    assert failing.startswith(' lang="fr">')
    # The status and the themes' names are the service's own words: translated.
    assert "Accessibility: partially compliant" in page
    assert "<h4>Forms</h4>" in page or ">Forms<" in page
    client.cookies.set(LOCALE_COOKIE, "fr")
    french = (await client.get("/accessibilite")).text
    assert '<ul lang="fr">' not in french


async def test_the_old_address_of_the_statement_moved_permanently(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/declaration-accessibilite")
    assert response.status_code == 301
    assert response.headers["location"] == "/accessibilite"


async def test_the_legal_notice_names_publisher_director_and_host_from_the_settings(
    legal_client: httpx.AsyncClient,
) -> None:
    response = await legal_client.get("/mentions-legales")
    assert response.status_code == 200
    page = response.text
    publisher = page.split("Éditeur du service", 1)[1].split("<h2>", 1)[0]
    assert "Département du Bas-Rhin, service de PMI" in publisher
    assert "Place du Quartier Blanc, 67964 Strasbourg" in publisher
    assert "03 88 76 67 67" in publisher
    assert 'href="mailto:pmi@bas-rhin.example"' in publisher
    director = page.split("Directeur ou directrice de la publication", 1)[1].split("<h2>", 1)[0]
    assert "Claire Directrice" in director
    host = page.split("Hébergement", 1)[1].split("<h2>", 1)[0]
    assert "Hébergeur Alsace SAS" in host
    assert "1 rue des Serveurs, 67000 Strasbourg" in host
    assert "03 90 00 00 01" in host
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'href="/confidentialite"' in main and 'href="/accessibilite"' in main
    assert "htmx" in main and "BSD" in main


async def test_help_explains_signing_up_and_cancelling_and_whom_to_contact(
    legal_client: httpx.AsyncClient,
) -> None:
    response = await legal_client.get("/aide")
    assert response.status_code == 200
    main = response.text.split("<main", 1)[1].split("</main>", 1)[0]
    assert "S'inscrire à un atelier" in main
    assert "jusqu'à 24 heures avant la première séance" in main
    assert 'href="mailto:pmi@bas-rhin.example"' in main
    assert "03 88 76 67 67" in main
    assert 'href="/accessibilite"' in main


async def test_a_staff_member_reads_the_legal_pages_with_their_navigation(
    client: httpx.AsyncClient,
) -> None:
    user = await make_user(await make_organisation(), role=Role.COORDINATOR)
    await log_in(client, user.email)
    for address in ("/accessibilite", "/mentions-legales", "/aide"):
        response = await client.get(address)
        assert response.status_code == 200
        assert user.full_name in response.text


def _main_links(html: str) -> set[str]:
    return set(re.findall(r'<a href="([^"]+)"', html.split("<main", 1)[1].split("</main>", 1)[0]))


async def test_the_site_map_shows_each_visitor_the_pages_they_may_open(
    client: httpx.AsyncClient,
) -> None:
    anonymous = _main_links((await client.get("/plan-du-site")).text)
    assert {"/", "/aide", "/confidentialite", "/accessibilite", "/mentions-legales"} <= anonymous
    assert "/pro/connexion" in anonymous
    assert not any(
        link.startswith("/pro/") and link != "/pro/connexion"
        for link in anonymous - {"/pro/mot-de-passe-oublie"}
    )

    centre = await make_organisation(OrganisationKind.CENTRE)
    manager = await make_user(centre, role=Role.CENTRE_MANAGER)
    await log_in(client, manager.email)
    managing = _main_links((await client.get("/plan-du-site")).text)
    assert {"/pro/", "/pro/lieux", "/pro/salles/demandes"} <= managing
    # A centre manager neither plans workshops nor requests rooms: not on their map.
    assert "/pro/salles/recherche" not in managing and "/pro/types-d-atelier" not in managing


async def test_every_page_footer_links_to_the_legal_pages(client: httpx.AsyncClient) -> None:
    audit = parse_audit(AUDIT_DOCUMENT.read_text(encoding="utf-8"))
    pages = [await client.get("/"), await client.get("/pro/connexion")]
    pages.append(await client.get("/cette-page-n-existe-pas"))
    user = await make_user(await make_organisation(), role=Role.COORDINATOR)
    await log_in(client, user.email)
    pages += [await client.get("/pro/"), await client.get("/pro/structures")]
    for response in pages:
        footer = _footer(response.text)
        for link in FOOTER_LINKS:
            assert f'href="{link}"' in footer, (response.url, link)
        assert f"Accessibilité : {audit.status}</a>" in footer, response.url


async def test_the_favicon_is_served_and_its_old_address_leads_to_it(
    client: httpx.AsyncClient,
) -> None:
    home = (await client.get("/")).text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in home
    old = await client.get("/favicon.ico")
    assert old.status_code == 301
    assert old.headers["location"] == "/static/favicon.svg"
    icon = await client.get("/static/favicon.svg")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.lstrip().startswith("<svg")


def _current_links(html: str) -> dict[str, str]:
    """The navigation links marked current: href → aria-current."""
    return dict(re.findall(r'<a href="([^"]+)" aria-current="(page|true)"', html))


async def test_the_public_navigation_marks_the_current_page(client: httpx.AsyncClient) -> None:
    assert _current_links((await client.get("/")).text) == {"/": "page"}
    assert _current_links((await client.get("/pro/connexion")).text) == {"/pro/connexion": "page"}
    # A page below a section marks its section, not as the page itself.
    forgotten = (await client.get("/pro/mot-de-passe-oublie")).text
    assert _current_links(forgotten) == {"/pro/connexion": "true"}
    assert _current_links((await client.get("/aide")).text) == {}


async def test_the_staff_navigation_marks_the_current_page(client: httpx.AsyncClient) -> None:
    organisation = await make_organisation()
    user = await make_user(organisation, role=Role.COORDINATOR)
    await log_in(client, user.email)
    # « Espace professionnel » and « Accueil pro » both lead to the dashboard.
    assert _current_links((await client.get("/pro/")).text) == {"/pro/": "page"}
    assert _current_links((await client.get("/pro/structures")).text) == {"/pro/structures": "page"}
    detail = (await client.get(f"/pro/structures/{organisation.id}")).text
    assert _current_links(detail) == {"/pro/structures": "true"}


def _document(rows: list[str]) -> str:
    return "Date de l'audit : 2026-12-01\n\n| Critère | Intitulé | Résultat | Note |\n" + "\n".join(
        rows
    )


def _all_criteria(result: str = "C", note: str = "") -> list[str]:
    sizes = [9, 2, 3, 13, 8, 2, 5, 10, 4, 14, 13, 11, 12]
    return [
        f"| {theme}.{index} | Intitulé | {result} | {note} |"
        for theme, size in enumerate(sizes, start=1)
        for index in range(1, size + 1)
    ]


def test_the_status_follows_the_legal_model() -> None:
    assert parse_audit(_document(_all_criteria())).status == "totalement conforme"
    rows = _all_criteria()
    rows[0] = "| 1.1 | Intitulé | NC | Une image sans alternative. |"
    partial = parse_audit(_document(rows))
    assert partial.status == "partiellement conforme"
    assert partial.rate_text == _french_percent(100 * 105 / 106)
    failing = parse_audit(_document(_all_criteria("NC", "Échoue.")))
    assert (failing.status, failing.rate) == ("non conforme", 0)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (_all_criteria()[:-1], "manquants : ['13.12']"),
        ([*_all_criteria(), "| 13.13 | Intitulé | C | |"], "en trop ou répétés : ['13.13']"),
        (["| 1.1 | Intitulé | NC | |", *_all_criteria()[1:]], "ce qui échoue : ['1.1']"),
    ],
)
def test_an_audit_table_that_is_not_rgaa_4_1_is_refused(rows: list[str], message: str) -> None:
    with pytest.raises(AuditError) as error:
        parse_audit(_document(rows))
    assert message in str(error.value)


def test_a_missing_audit_document_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "accessibilite.md"
    with pytest.raises(AuditError, match=r"accessibilite\.md est illisible"):
        load_audit(missing)


def test_the_audit_document_is_shipped_with_the_image(tmp_path: Path) -> None:
    """The app reads the audit beside its package, like templates/: the image must copy it."""
    containerfile = (PROJECT_ROOT / "Containerfile").read_text(encoding="utf-8")
    assert "COPY docs/accessibilite.md ./docs/accessibilite.md" in containerfile

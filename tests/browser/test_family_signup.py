"""A family on a phone filters the catalogue, opens a workshop and signs up, with or without JS."""

from __future__ import annotations

import itertools

from playwright.sync_api import FloatRect, Page, expect

from tests.browser.conftest import LiveServer, assert_accessible
from tests.signup.helpers import months_ago

_numbers = itertools.count(1)


def test_a_family_filters_the_catalogue_and_signs_up_for_a_workshop(
    page: Page, live_server: LiveServer, javascript: bool, typed_personal_data: set[str]
) -> None:
    email = f"lea{next(_numbers)}.{javascript}@exemple.fr"
    typed_personal_data.update({"Léa Martin", email})
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="4 ateliers à venir")).to_be_visible()
    page.get_by_label("Commune").select_option("Schweighouse-sur-Moder")
    if not javascript:
        page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("heading", name="1 atelier à venir")).to_be_visible()
    assert_accessible(page, javascript=javascript)

    page.get_by_role("link", name="Portage en écharpe : premiers nœuds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Portage en écharpe : premiers nœuds")
    assert_accessible(page, javascript=javascript)
    # The browser read each attribute of the fields: none is glued to the next one.
    for label, autocomplete, maxlength in (
        ("Votre nom", "name", 150),
        ("Adresse e-mail", "email", 254),
        ("Commune de résidence", "address-level2", 100),
    ):
        field = page.get_by_label(label)
        expect(field).to_have_js_property("required", True)
        expect(field).to_have_js_property("maxLength", maxlength)
        expect(field).to_have_js_property("autocomplete", autocomplete)
    expect(page.get_by_label("Téléphone")).to_have_js_property("required", False)

    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez votre nom.")
    assert_accessible(page, javascript=javascript)

    page.get_by_label("Votre nom").fill("Léa Martin")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Commune de résidence").fill("Haguenau")
    if javascript:
        # htmx proposes the communes while typing; the typed name alone is enough.
        expect(page.get_by_label("Haguenau (67), 67500")).to_be_visible()
    page.locator("#champ-child_1_month").fill(months_ago(3).strftime("%Y-%m"))
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci !")
    assert_accessible(page, javascript=javascript)


def test_on_a_phone_the_filters_go_two_a_row_and_the_first_workshop_shows_soon(
    page: Page, live_server: LiveServer, javascript: bool
) -> None:
    page.goto(live_server.url + "/")

    def box(label: str) -> FloatRect:
        found = page.get_by_label(label).bounding_box()
        assert found is not None
        return found

    commune, centre = box("Commune"), box("Centre")
    assert commune["y"] == centre["y"] and commune["x"] < centre["x"]
    assert box("Type d'atelier")["y"] == box("Âge de l'enfant")["y"] > commune["y"]
    # Every filter fits in the screen's width, and the first workshop starts within about
    # one screen and a half (it was past two screens with a filter a row).
    assert all(box(label)["x"] + box(label)["width"] <= 375 for label in ("Centre", "Jusqu'au"))
    first = page.locator("#resultats .card").first.bounding_box()
    assert first is not None and first["y"] < 812 * 1.5


def test_a_family_finds_its_commune_among_homonyms_on_a_phone(
    page: Page, live_server: LiveServer, javascript: bool, typed_personal_data: set[str]
) -> None:
    email = f"nadia{next(_numbers)}.{javascript}@exemple.fr"
    typed_personal_data.update({"Nadia Benali", email})
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Portage en écharpe : premiers nœuds").click()
    page.get_by_label("Votre nom").fill("Nadia Benali")
    page.get_by_label("Adresse e-mail").fill(email)
    commune = page.get_by_label("Commune de résidence")
    commune.fill("st denis")
    page.locator("#champ-child_1_month").fill(months_ago(3).strftime("%Y-%m"))
    if not javascript:
        # Without JavaScript the server asks which Saint-Denis, with the same choices.
        page.get_by_role("button", name="M'inscrire").click()
        expect(page.get_by_role("alert")).to_contain_text("Plusieurs communes correspondent")
    choice = page.get_by_label("Saint-Denis (93), 93200")
    expect(choice).to_be_visible()
    expect(page.get_by_label("Saint-Denis (974), 97400")).to_be_visible()
    expect(page.get_by_label("Hors de France ou autre : garder ce que j'ai écrit")).to_be_visible()
    field, proposal = commune.bounding_box(), choice.bounding_box()
    assert field is not None and proposal is not None
    assert field["x"] + field["width"] <= 375 and proposal["x"] + proposal["width"] <= 375
    assert_accessible(page, javascript=javascript)
    choice.check()
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci !")

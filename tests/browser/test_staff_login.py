"""A centre manager signs in on a phone, with the keyboard alone, and finds their centre."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, assert_accessible
from workshops.demo import CSC_SCHUMAN, DEMO_PASSWORD, SCHWEIGHOUSE


def test_home_and_login_pages_are_accessible(
    page: Page, live_server: LiveServer, javascript: bool
) -> None:
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ateliers parents-enfants")
    assert_accessible(page, javascript=javascript)
    page.get_by_role("link", name="Espace professionnel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion à l'espace professionnel")
    assert_accessible(page, javascript=javascript)


def test_centre_manager_signs_in_with_the_keyboard_and_sees_only_their_centre(
    page: Page, live_server: LiveServer, javascript: bool
) -> None:
    page.goto(live_server.url + "/pro/connexion")
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    page.get_by_label("Adresse e-mail").focus()
    page.keyboard.type("csc-schuman@demo.ateliers.example")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mot de passe")).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Marc Weber")
    assert_accessible(page, javascript=javascript)

    page.get_by_role("link", name=CSC_SCHUMAN).click()
    expect(page.get_by_role("heading", name="Membres")).to_be_visible()
    assert_accessible(page, javascript=javascript)
    page.goto(live_server.url + "/pro/structures")
    expect(page.get_by_role("link", name=CSC_SCHUMAN)).to_be_visible()
    expect(page.get_by_role("link", name=SCHWEIGHOUSE)).to_have_count(0)


def test_a_missing_password_is_explained_at_the_top_and_next_to_the_field(
    page: Page, live_server: LiveServer, javascript: bool
) -> None:
    page.goto(live_server.url + "/pro/connexion")
    page.get_by_label("Adresse e-mail").fill("schweighouse@demo.ateliers.example")
    page.get_by_role("button", name="Se connecter").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Indiquez votre mot de passe.")
    summary.get_by_role("link", name="Indiquez votre mot de passe.").click()
    expect(page.get_by_label("Mot de passe")).to_be_focused()
    expect(page.get_by_label("Adresse e-mail")).to_have_value("schweighouse@demo.ateliers.example")
    assert_accessible(page, javascript=javascript)

"""After a form refused by the server, the errors come first: the title says « Erreur : », the focus
is on the error summary (seen on screen), and each of its links takes the focus to its own field,
with or without JavaScript."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, assert_accessible, sign_in


def _focused_id(page: Page) -> str:
    return str(page.evaluate("document.activeElement ? document.activeElement.id : ''"))


def _in_view(page: Page, selector: str) -> bool:
    return bool(
        page.locator(selector).evaluate(
            "element => { const box = element.getBoundingClientRect();"
            " return box.top >= 0 && box.top < window.innerHeight; }"
        )
    )


def _follow_first_link_of_the_summary(page: Page) -> None:
    """As a keyboard user: from the focused summary, Tab to its first link, then Enter."""
    page.keyboard.press("Tab")
    expect(page.locator("#erreurs a").first).to_be_focused()
    page.keyboard.press("Enter")


def test_a_refused_sign_up_puts_the_focus_on_the_errors_then_on_the_field(
    page: Page, live_server: LiveServer, javascript: bool
) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Portage en écharpe : premiers nœuds").click()
    expect(page).to_have_title(re.compile(r"^Portage en écharpe : premiers nœuds, "))
    page.get_by_role("button", name=re.compile("^M'inscrire")).click()

    expect(page).to_have_title(re.compile(r"^Erreur : Portage en écharpe : premiers nœuds, "))
    summary = page.locator("#erreurs")
    expect(summary).to_be_focused()
    assert _in_view(page, "#erreurs")
    expect(summary).to_contain_text("Indiquez votre nom.")
    assert_accessible(page, javascript=javascript)

    _follow_first_link_of_the_summary(page)
    name = page.get_by_label("Votre nom")
    expect(name).to_be_focused()
    expect(name).to_have_attribute("aria-invalid", "true")
    # The field stops low enough for its label and its error to show above it.
    assert _in_view(page, "label[for='champ-parent_name']")
    assert _in_view(page, "#erreur-parent_name")


def test_an_empty_message_to_cancel_a_session_leads_to_that_session_s_field(
    page: Page, live_server: LiveServer, javascript: bool
) -> None:
    sign_in(page, live_server, "puericultrice@demo.ateliers.example")
    page.goto(live_server.url + "/pro/ateliers")
    page.get_by_role("link", name="Massage bébé – cycle de trois séances").click()
    second = page.get_by_role("button", name="Annuler cette séance").nth(1)
    # The field in the same form as the button: the second session's message.
    message = second.locator("xpath=ancestor::form//input[@name='message']")
    field_id = message.get_attribute("id") or ""
    label = page.locator(f"label[for='{field_id}']").inner_text()
    assert label.startswith("Message aux familles pour la séance du ")
    second.click()

    expect(page).to_have_title(re.compile(r"^Erreur : Suivi de l'atelier : Massage bébé"))
    expect(page.locator("#erreurs")).to_be_focused()
    assert_accessible(page, javascript=javascript)
    _follow_first_link_of_the_summary(page)
    assert _focused_id(page) == field_id
    focused = page.locator(f"#{field_id}")
    expect(focused).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(label)).to_be_focused()
    assert _in_view(page, f"label[for='{field_id}']")
    expect(
        page.get_by_label("Message aux familles pour annuler tout l'atelier")
    ).not_to_have_attribute("aria-invalid", "true")

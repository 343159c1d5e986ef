"""A family on a phone reaches the legal pages from the footer, with the keyboard alone; each
page is accessible, the current page is marked in the navigation, and no icon is missing."""

from __future__ import annotations

import re

from playwright.sync_api import Page, Response, expect

from tests.browser.conftest import LiveServer, assert_accessible, tab_to
from workshops.web.legal import load_audit


def test_a_family_reaches_every_legal_page_from_the_footer_with_the_keyboard(
    page: Page, live_server: LiveServer, javascript: bool
) -> None:
    missing: list[str] = []

    def note_missing(response: Response) -> None:
        if response.status == 404:
            missing.append(response.url)

    page.on("response", note_missing)
    status = load_audit().status
    page.goto(live_server.url + "/")
    current = page.get_by_role("navigation", name="Navigation principale").locator(
        "[aria-current=page]"
    )
    expect(current).to_have_text("Les ateliers")

    footer = page.locator("footer")
    for link, heading in [
        (f"Accessibilité : {status}", "Déclaration d'accessibilité"),
        ("Mentions légales", "Mentions légales"),
        ("Aide et contact", "Aide et contact"),
        ("Plan du site", "Plan du site"),
    ]:
        tab_to(page, footer.get_by_role("link", name=link))
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page, javascript=javascript)
        # None of these pages is in the main navigation: nothing is marked current there.
        expect(current).to_have_count(0)

    page.goto(live_server.url + "/accessibilite")
    expect(page.get_by_text(re.compile(rf"est {status} avec le référentiel"))).to_be_visible()
    expect(page.get_by_role("heading", name="Voies de recours")).to_be_visible()
    assert missing == [], missing


def test_the_favicon_is_found(page: Page, live_server: LiveServer) -> None:
    response = page.goto(live_server.url + "/favicon.ico")
    assert response is not None and response.ok
    assert response.url.endswith("/static/favicon.svg")

"""A facilitator on a phone goes through her workshop's staff pages; each passes axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, assert_accessible, sign_in


def test_a_facilitator_opens_her_workshop_its_families_and_attendance(
    page: Page, live_server: LiveServer, javascript: bool
) -> None:
    sign_in(page, live_server, "puericultrice@demo.ateliers.example")
    page.goto(live_server.url + "/pro/ateliers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ateliers")
    assert_accessible(page, javascript=javascript)

    page.get_by_role("link", name="Massage bébé – cycle de trois séances").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Massage bébé – cycle de trois séances"
    )
    assert_accessible(page, javascript=javascript)

    page.get_by_role("link", name="Voir les familles inscrites").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscriptions")
    assert_accessible(page, javascript=javascript)

    page.goto(live_server.url + "/pro/ateliers/seances")
    assert_accessible(page, javascript=javascript)
    # Attendance is taken from a session's start on: the demo's cycle held in spring 2026.
    page.goto(live_server.url + "/pro/ateliers")
    page.get_by_role("link", name="Massage bébé – cycle du printemps 2026").click()
    page.get_by_role("link", name="Présences").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Présences du")
    assert_accessible(page, javascript=javascript)

    page.goto(live_server.url + "/pro/ateliers/nouveau")
    assert_accessible(page, javascript=javascript)

"""A family on a 375-pixel phone, keyboard alone: finds a baby-massage workshop by the child's age
and the commune, signs up, opens the link of the confirmation e-mail, and cancels."""

from __future__ import annotations

import re
from datetime import date

import time_machine
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    LiveServer,
    assert_accessible,
    choose_with_keyboard,
    tab_to,
    wait_for_mail,
)
from tests.signup.helpers import months_ago
from workshops.kernel.clock import utc_now

MASSAGE = "Massage bébé – cycle de trois séances"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/inscription/[A-Za-z0-9_-]+")


def enter_month_with_arrows(page: Page, month: date) -> None:
    """Chromium's month field, from the keyboard: the month part steps from January with the
    up arrow, then Tab reaches the year part, which starts at the current year: the machine's
    real one, which the suite's clock (`tests/clock.py`) does not move."""
    for _ in range(month.month):
        page.keyboard.press("ArrowUp")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowUp")
    years_back = _real_year() - month.year  # negative when the suite's clock is ahead
    for _ in range(abs(years_back)):
        page.keyboard.press("ArrowDown" if years_back > 0 else "ArrowUp")


def _real_year() -> int:
    if time_machine.escape_hatch.is_travelling():
        return time_machine.escape_hatch.datetime.datetime.now().year
    return utc_now().year


def test_a_family_finds_baby_massage_signs_up_and_cancels_with_the_keyboard_alone(
    page: Page, live_server: LiveServer, javascript: bool, typed_personal_data: set[str]
) -> None:
    email = f"camille.keller.{'js' if javascript else 'html'}@exemple.fr"
    typed_personal_data.update({"Camille Keller", email, "06 12 34 56 78", "0612345678"})
    page.goto(live_server.url + "/")
    choose_with_keyboard(page, page.get_by_label("Commune"), "Haguenau")
    choose_with_keyboard(page, page.get_by_label("Âge de l'enfant"), "4 mois")
    if not javascript:
        tab_to(page, page.get_by_role("button", name="Filtrer"))
        page.keyboard.press("Enter")
    results = page.locator("#resultats")
    expect(results.get_by_role("link", name=MASSAGE)).to_be_visible()
    expect(results.get_by_role("link", name="Temps d'échange entre futurs parents")).to_have_count(
        0
    )
    assert_accessible(page, javascript=javascript)

    tab_to(page, results.get_by_role("link", name=MASSAGE))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(MASSAGE)
    assert_accessible(page, javascript=javascript)

    tab_to(page, page.get_by_label("Votre nom"))
    page.keyboard.type("Camille Keller")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Adresse e-mail")).to_be_focused()
    page.keyboard.type(email)
    tab_to(page, page.get_by_label("Téléphone"))
    page.keyboard.type("06 12 34 56 78")
    tab_to(page, page.get_by_label("Commune de résidence"))
    page.keyboard.type("Haguenau")
    if javascript:
        # The proposals come under the field; the typed name alone is enough to go on.
        expect(page.get_by_label("Haguenau (67), 67500")).to_be_visible()
    tab_to(page, page.locator("#champ-child_1_month"))
    born = months_ago(4)
    enter_month_with_arrows(page, born)
    expect(page.locator("#champ-child_1_month")).to_have_value(born.strftime("%Y-%m"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci !")
    expect(page.get_by_text("Un e-mail vient de vous être envoyé")).to_be_visible()
    assert_accessible(page, javascript=javascript)

    text = wait_for_mail(live_server.data_dir / "mail", email)
    link = LINK.search(text)
    assert link is not None, text
    typed_personal_data.add(link.group(0).rsplit("/", 1)[1])
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon inscription")
    expect(page.get_by_text("Vous êtes sur la liste d'attente, en position")).to_be_visible()
    assert_accessible(page, javascript=javascript)

    tab_to(page, page.get_by_role("button", name="Quitter la liste d'attente"))
    page.keyboard.press("Space")
    # The family had no place: it is told it left the waiting list, nothing about a place.
    expect(page.get_by_role("status")).to_have_text(
        "Vous avez quitté la liste d'attente. Merci de nous avoir prévenus."
    )
    expect(page.get_by_text("Cette inscription est annulée.")).to_be_visible()
    assert_accessible(page, javascript=javascript)

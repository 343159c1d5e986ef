"""Every htmx interaction, with JavaScript on a phone: after the swap the focus is where the user
expects it (never on <body>), the change is read once by the live region, the title follows the
content, and the next Tab reaches a control of the page, not the footer.

One signed-in page per role for the whole module; each story leaves the demo as it found it, or
changes only what it made itself (a closure, a slot, a member it adds and removes)."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import (
    PHONE,
    LiveServer,
    choose_with_keyboard,
    sign_in,
    tab_to,
    wait_for_mail,
)
from tests.browser.html_responses import HtmlResponses, ReceivedHtml
from tests.clock import PARIS
from workshops.demo import christmas_holidays
from workshops.kernel.clock import local_today

MANAGER = "csc-schuman@demo.ateliers.example"
FACILITATOR = "puericultrice@demo.ateliers.example"
ADMIN = "admin@demo.ateliers.example"
SITE_NAME = "Ateliers parents-enfants"


def in_days(days: int) -> str:
    return (local_today(PARIS) + timedelta(days=days)).isoformat()


def an_open_tuesday() -> str:
    """A Tuesday about three months ahead, outside the demo centre's Christmas holidays: its
    « Salle petite enfance » is offered from 9:00 to 12:00 and free, whatever today is (on a
    weekend day, no room of the demo is offered at all)."""
    day = local_today(PARIS) + timedelta(days=90)
    day += timedelta(days=(1 - day.weekday()) % 7)
    while any(
        first <= day <= last
        for first, last in (christmas_holidays(day.year - 1), christmas_holidays(day.year))
    ):
        day += timedelta(weeks=1)
    return day.isoformat()


def focused(page: Page) -> dict[str, Any]:
    """What holds the focus: its tag, id, name, text and pressed state."""
    result: dict[str, Any] = page.evaluate(
        """() => {
            const a = document.activeElement;
            return {tag: a.tagName.toLowerCase(), id: a.id, name: a.getAttribute("name"),
                    text: a.textContent.replace(/\\s+/g, " ").trim(),
                    pressed: a.getAttribute("aria-pressed"),
                    inMain: !!a.closest("main"), inFooter: !!a.closest("footer")};
        }"""
    )
    return result


def announced(page: Page) -> Locator:
    return page.locator("#annonce")


def press(page: Page, control: Locator, key: str = "Enter") -> None:
    tab_to(page, control)
    page.keyboard.press(key)


def next_tab_stays_in_main(page: Page) -> dict[str, Any]:
    page.keyboard.press("Tab")
    after = focused(page)
    assert after["inMain"] and not after["inFooter"], after
    return after


def settled(page: Page) -> None:
    """The swap is done and the live region filled (regions.js waits 100 ms before filling it)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.wait_for_timeout(250)


@pytest.fixture(scope="module")
def signed_in(
    browser: Browser, live_server: LiveServer, received_html: ReceivedHtml
) -> Iterator[Any]:
    """A page per role, signed in once for the module; every HTML answer checked."""
    contexts = []

    def open_as(email: str | None) -> Page:
        context = browser.new_context(
            viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris", java_script_enabled=True
        )
        responses = HtmlResponses(context, received_html, javascript=True)
        contexts.append((context, responses))
        page = context.new_page()
        page.set_default_timeout(10_000)
        if email:
            sign_in(page, live_server, email)
        return page

    pages: dict[str | None, Page] = {}

    def page_of(email: str | None) -> Page:
        if email not in pages:
            pages[email] = open_as(email)
        return pages[email]

    yield page_of
    for context, responses in contexts:
        try:
            for page in context.pages:
                responses.assert_sound(page)
        finally:
            context.close()


def first_site(page: Page, url: str) -> str:
    page.goto(url + "/pro/lieux")
    return str(
        page.locator("main a[href^='/pro/lieux/']:not([href$='nouveau'])").first.get_attribute(
            "href"
        )
    )


def test_the_next_week_keeps_the_focus_on_its_link_is_announced_and_titled(
    signed_in: Any, live_server: LiveServer
) -> None:
    page = signed_in(MANAGER)
    page.goto(live_server.url + first_site(page, live_server.url) + "/semaine")
    this_week = page.locator("#titre-semaine").inner_text()
    press(page, page.get_by_role("link", name="Semaine suivante"))
    expect(page.locator("#titre-semaine")).not_to_have_text(this_week)
    settled(page)
    week = page.locator("#titre-semaine").inner_text()
    assert week.startswith("Semaine du ")
    assert focused(page)["id"] == "semaine-suivante"
    expect(announced(page)).to_have_text(week)
    assert page.title().startswith(week + " · ")
    assert page.title().endswith(" · " + SITE_NAME)
    assert "semaine=" in page.url
    press(page, page.get_by_role("link", name="Semaine précédente"))
    expect(page.locator("#titre-semaine")).to_have_text(this_week)
    settled(page)
    assert focused(page)["id"] == "semaine-precedente"
    expect(announced(page)).to_have_text(this_week)
    assert page.title().startswith(this_week + " · ")
    next_tab_stays_in_main(page)


def test_a_closure_added_then_removed_moves_the_focus_to_the_message_then_the_next_closure(
    signed_in: Any, live_server: LiveServer
) -> None:
    page = signed_in(MANAGER)
    page.goto(live_server.url + first_site(page, live_server.url))
    closures = page.locator("#fermetures ul button")
    before = closures.count()
    page.get_by_label("Premier jour fermé").fill(in_days(60))
    page.get_by_label("Motif").fill("Peinture du hall")
    press(page, page.get_by_role("button", name="Enregistrer la fermeture"))
    expect(closures).to_have_count(before + 1)
    settled(page)
    assert focused(page)["text"] == "La fermeture est enregistrée."
    assert focused(page)["id"] == "message-action"
    # Focused, so read on focus: the live region does not read it a second time.
    expect(announced(page)).to_have_text("")
    assert next_tab_stays_in_main(page)["tag"] == "button"

    ours = page.get_by_role("button", name="Retirer la fermeture « Peinture du hall »")
    position = closures.evaluate_all(
        "(buttons, name) => buttons.findIndex(b => b.textContent.includes(name))",
        "Peinture du hall",
    )
    press(page, ours)
    expect(closures).to_have_count(before)
    settled(page)
    expect(announced(page)).to_have_text("La fermeture est retirée.")
    now = focused(page)
    if before == 0:
        assert now["id"] == "titre-fermetures"
    else:
        # The closure now at its place, or the one before it when it was the last.
        expected = closures.nth(min(position, before - 1)).inner_text()
        assert (now["tag"], now["text"]) == ("button", expected)
    assert page.title() == f"{page.locator('h1').inner_text()} · {SITE_NAME}"

    press(page, page.get_by_role("button", name="Enregistrer la fermeture"))
    expect(page.locator(".error-summary")).to_be_visible()
    settled(page)
    assert focused(page)["id"] == "erreurs"
    assert page.title().startswith("Erreur : ")


def test_an_opening_slot_added_then_removed_moves_the_focus_to_the_slot_before(
    signed_in: Any, live_server: LiveServer
) -> None:
    page = signed_in(MANAGER)
    page.goto(live_server.url + first_site(page, live_server.url))
    page.locator("main ul a[href^='/pro/salles/']").first.click()
    rows = page.locator("#creneaux tbody button")
    before = rows.count()
    choose_with_keyboard(page, page.get_by_label("Jour de la semaine"), "dimanche")
    page.get_by_label("Début").fill("16:00")
    page.get_by_label("Fin").fill("17:00")
    page.get_by_label("À partir du").fill(in_days(30))
    page.get_by_label("Jusqu'au").fill(in_days(60))
    press(page, page.get_by_role("button", name="Proposer ce créneau"))
    expect(rows).to_have_count(before + 1)
    settled(page)
    assert (focused(page)["id"], focused(page)["text"]) == (
        "message-action",
        "Le créneau est ajouté.",
    )
    assert next_tab_stays_in_main(page)["tag"] == "button"

    # Sunday's slot is the last row: once removed, the focus goes to the row before it.
    press(page, page.get_by_role("button", name="Retirer le créneau du dimanche"))
    expect(rows).to_have_count(before)
    settled(page)
    expect(announced(page)).to_have_text("Le créneau est retiré.")
    now = focused(page)
    if before:
        assert (now["tag"], now["text"]) == ("button", rows.nth(before - 1).inner_text())
    else:
        assert now["id"] == "titre-creneaux"
    next_tab_stays_in_main(page)


def test_the_inbox_refusal_needs_its_reason_then_the_count_and_focus_follow_the_decision(
    signed_in: Any, live_server: LiveServer
) -> None:
    page = signed_in(MANAGER)
    page.goto(live_server.url + "/pro/salles/demandes")
    cards = page.locator("article.request-card")
    waiting = cards.count()
    assert waiting, "the demo holds a room request waiting for the centre's answer"
    card = cards.first
    count = page.locator("#compteur-demandes").inner_text()
    reason = card.get_by_label("Raison du refus (obligatoire)")
    expect(reason).to_have_attribute("required", "")
    press(page, card.get_by_role("button", name=re.compile("^Refuser")))
    expect(card.get_by_role("alert")).to_contain_text("raison du refus")
    settled(page)
    now = focused(page)
    assert now["tag"] == "input" and now["name"] == "reason"
    expect(page.locator(f"#{now['id']}")).to_have_attribute("aria-invalid", "true")
    assert page.title() == f"Erreur : Demandes de salle · {SITE_NAME}"
    # The section is no live region any more: only what changed is read.
    expect(page.locator("#demandes")).not_to_have_attribute("aria-live", "polite")

    page.keyboard.type("Salle prise par une réunion")
    press(page, page.get_by_role("button", name=re.compile("^Refuser")).first)
    expect(cards).to_have_count(waiting - 1)
    settled(page)
    expect(announced(page)).to_contain_text("refusée")
    # The navigation's count, out of band.
    expect(page.locator("#compteur-demandes")).not_to_have_text(count)
    now = focused(page)
    if waiting - 1:
        assert now["tag"] == "h3", now
    else:
        assert now["id"] == "titre-demandes", now
        expect(page.locator("#compteur-demandes")).to_have_text("")
    assert page.title() == f"Demandes de salle · {SITE_NAME}"


def test_a_room_search_puts_the_focus_on_its_result(
    signed_in: Any, live_server: LiveServer
) -> None:
    page = signed_in(FACILITATOR)
    page.goto(live_server.url + "/pro/salles/recherche")
    tuesday = an_open_tuesday()
    page.get_by_label("Date").fill(tuesday)
    page.get_by_label("Début").fill("09:30")
    page.get_by_label("Fin").fill("11:00")
    press(page, page.get_by_role("button", name="Chercher"))
    expect(page.locator("#titre-resultats")).to_be_visible()
    settled(page)
    now = focused(page)
    assert now["id"] == "titre-resultats"
    assert re.fullmatch(r"\d+ salles? libres?", now["text"])
    assert f"day={tuesday}" in page.url
    after = next_tab_stays_in_main(page)
    assert after["tag"] == "a" and after["text"].startswith("Demander : ")

    # Hours the wrong way round: the error summary takes the focus, the title says « Erreur ».
    page.get_by_label("Début").fill("11:00")
    page.get_by_label("Fin").fill("09:30")
    press(page, page.get_by_role("button", name="Chercher"))
    expect(page.locator(".error-summary")).to_be_visible()
    settled(page)
    assert focused(page)["id"] == "erreurs"
    assert page.title() == f"Erreur : Trouver une salle · {SITE_NAME}"


def test_attendance_keeps_the_focus_on_the_pressed_button_and_announces_the_family(
    signed_in: Any, live_server: LiveServer
) -> None:
    page = signed_in(FACILITATOR)
    # Attendance is taken from a session's start on: the demo's cycle held in spring 2026.
    page.goto(live_server.url + "/pro/ateliers")
    page.get_by_role("link", name="Massage bébé – cycle du printemps 2026").click()
    page.get_by_role("link", name="Présences").first.click()
    row = page.locator("tbody tr").first
    family = row.get_by_role("rowheader").inner_text()
    present = row.get_by_role("button", name=f"Présent : {family}")
    press(page, present)
    expect(present).to_have_attribute("aria-pressed", "true")
    settled(page)
    now = focused(page)
    assert (now["text"], now["pressed"]) == (f"Présent : {family}", "true")
    expect(announced(page)).to_have_text(f"Présence de {family} enregistrée : présent")
    title = page.title()
    after = next_tab_stays_in_main(page)
    assert after["text"] == f"Absent excusé : {family}"
    page.keyboard.press("Enter")
    expect(row.get_by_role("button", name=f"Absent excusé : {family}")).to_have_attribute(
        "aria-pressed", "true"
    )
    settled(page)
    expect(present).to_have_attribute("aria-pressed", "false")
    assert focused(page)["text"] == f"Absent excusé : {family}"
    expect(announced(page)).to_have_text(f"Présence de {family} enregistrée : absent excusé")
    assert page.title() == title


def test_commune_proposals_are_counted_politely_without_taking_the_focus_or_the_title(
    signed_in: Any, live_server: LiveServer
) -> None:
    page = signed_in(FACILITATOR)
    page.goto(live_server.url + "/pro/ateliers/nouveau")
    title = page.title()
    field = page.locator("#champ-commune")
    tab_to(page, field)
    page.keyboard.type("Haguen", delay=30)
    expect(page.locator("#communes-proposees input[type=radio]").first).to_be_visible()
    settled(page)
    assert focused(page)["id"] == "champ-commune"
    expect(announced(page)).to_have_text(re.compile(r"^\d+ communes? proposées?$"))
    expect(page.locator("#communes-proposees")).not_to_have_attribute("aria-live", "polite")
    assert page.title() == title
    page.keyboard.type("au", delay=30)
    settled(page)
    assert focused(page)["id"] == "champ-commune"
    expect(field).to_have_value("Haguenau")


def test_an_outbox_search_keeps_the_focus_in_its_field_and_announces_the_count(
    signed_in: Any, live_server: LiveServer
) -> None:
    page = signed_in(ADMIN)
    page.goto(live_server.url + "/pro/courriels")
    field = page.get_by_label("Rechercher un destinataire")
    tab_to(page, field)
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("destinataire=demo"))
    settled(page)
    assert focused(page)["id"] == "champ-destinataire"
    expect(announced(page)).to_have_text(re.compile(r"^\d+ courriels?$"))
    assert page.title() == f"Courriels envoyés · {SITE_NAME}"
    next_tab_stays_in_main(page)


def test_a_member_added_then_removed_moves_the_focus_to_the_message_then_the_heading(
    signed_in: Any, live_server: LiveServer
) -> None:
    page = signed_in(ADMIN)
    page.goto(live_server.url + "/pro/structures")
    page.locator("main a", has_text="Caisse d'allocations familiales").first.click()
    members = page.locator("#membres tbody button")
    before = members.count()
    page.get_by_label("Adresse e-mail").fill(FACILITATOR)
    choose_with_keyboard(page, page.get_by_label("Rôle"), "Administrateur·rice")
    press(page, page.get_by_role("button", name="Ajouter", exact=True))
    expect(members).to_have_count(before + 1)
    settled(page)
    assert focused(page)["id"] == "message-action"
    assert next_tab_stays_in_main(page)["tag"] == "button"

    added = page.locator("#membres tbody tr", has_text=FACILITATOR)
    press(page, added.get_by_role("button"))
    expect(members).to_have_count(before)
    settled(page)
    expect(announced(page)).not_to_have_text("")
    now = focused(page)
    if before:
        assert now["tag"] == "button" and now["text"].startswith("Retirer "), now
    else:
        assert now["id"] == "titre-membres", now


def test_a_catalogue_filter_keeps_the_focus_and_announces_how_many_workshops_match(
    signed_in: Any, live_server: LiveServer
) -> None:
    page = signed_in(None)
    page.goto(live_server.url + "/")
    commune = page.get_by_label("Commune")
    choose_with_keyboard(page, commune, "Haguenau")
    expect(page).to_have_url(re.compile("commune=Haguenau"))
    settled(page)
    assert focused(page)["id"] == "champ-commune"
    expect(announced(page)).to_have_text(re.compile(r"^\d+ ateliers? correspond(ent)?$"))
    count = int(announced(page).inner_text().split()[0])
    expect(page.locator("#a-venir")).to_contain_text(str(count))
    assert page.title() == f"Les ateliers · {SITE_NAME}"
    assert next_tab_stays_in_main(page)["tag"] in {"select", "input", "button"}


def test_sending_a_failed_message_again_puts_the_focus_on_what_happened(
    signed_in: Any, live_server: LiveServer
) -> None:
    page = signed_in(ADMIN)
    # An invitation e-mail, sent by the server's worker, then marked failed as after 24 hours.
    recipient = "renvoi.invitation@exemple.fr"
    page.goto(live_server.url + "/pro/structures")
    page.locator("main a", has_text="Caisse d'allocations familiales").first.click()
    page.get_by_label("Adresse e-mail").fill(recipient)
    page.get_by_label("Rôle").select_option(label="Administrateur·rice")
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(page.locator("#message-action")).to_contain_text(recipient)
    wait_for_mail(live_server.data_dir / "mail", recipient)
    with sqlite3.connect(live_server.data_dir / "workshops.sqlite3") as database:
        for _ in range(50):  # the worker records the delivery just after writing the file
            changed = database.execute(
                "UPDATE outbox_message SET status = 'failed', last_error = 'refusé'"
                " WHERE recipient = ? AND status = 'sent'",
                (recipient,),
            ).rowcount
            database.commit()
            if changed:
                break
            time.sleep(0.1)
    page.goto(live_server.url + "/pro/courriels")
    send_again = page.get_by_role("button", name=f"Renvoyer le message à {recipient}")
    press(page, send_again)
    expect(page.locator("#message-action")).to_be_visible()
    settled(page)
    now = focused(page)
    assert now["id"] == "message-action" and "file" in now["text"], now
    # Focused, hence read: the live region does not repeat it.
    expect(announced(page)).to_have_text("")
    assert page.title() == f"Courriels envoyés · {SITE_NAME}"
    next_tab_stays_in_main(page)

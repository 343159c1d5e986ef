"""A facilitator asks the Haguenau centre for a room every week, the centre's manager confirms the
series from the inbox (in place with htmx, by a plain form without JavaScript), and the
facilitator plans a workshop in those dates and publishes it for families: on a phone, with the
keyboard alone (addresses typed in the address bar aside)."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import (
    PHONE,
    LiveServer,
    assert_accessible,
    choose_with_keyboard,
    tab_to,
)
from tests.browser.html_responses import HtmlResponses
from tests.clock import PARIS
from workshops.demo import DEMO_PASSWORD, christmas_holidays
from workshops.kernel.clock import local_today

FACILITATOR = "puericultrice@demo.ateliers.example"
MANAGER = "csc-schuman@demo.ateliers.example"


def first_tuesday_of_an_open_series(weeks: int = 3) -> date:
    """The first Tuesday from next week on whose `weeks` weekly dates all fall outside the demo
    centre's Christmas holidays: the series this journey asks for is then whole on any day."""
    today = local_today(PARIS)
    tuesday = today + timedelta(days=(1 - today.weekday()) % 7 + 7)
    while any(_in_holidays(tuesday + timedelta(weeks=week)) for week in range(weeks)):
        tuesday += timedelta(weeks=1)
    return tuesday


def _in_holidays(day: date) -> bool:
    return any(
        first <= day <= last
        for first, last in (christmas_holidays(day.year - 1), christmas_holidays(day.year))
    )


def type_into(page: Page, field: Locator, text: str) -> None:
    """Reach the field with Tab, select what it holds and type over it."""
    tab_to(page, field)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def press(page: Page, control: Locator, key: str = "Enter") -> None:
    tab_to(page, control)
    page.keyboard.press(key)


def log_in(page: Page, url: str, email: str) -> None:
    page.goto(url + "/pro/connexion")
    type_into(page, page.get_by_label("Adresse e-mail"), email)
    type_into(page, page.get_by_label("Mot de passe"), DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def manager_confirms_the_series(
    browser: Browser, live_server: LiveServer, message: str, *, javascript: bool
) -> None:
    context = browser.new_context(
        viewport=PHONE, java_script_enabled=javascript, locale="fr-FR", timezone_id="Europe/Paris"
    )
    responses = HtmlResponses(context)
    try:
        manager = context.new_page()
        log_in(manager, live_server.url, MANAGER)
        manager.goto(live_server.url + "/pro/salles/demandes")
        expect(manager.get_by_role("heading", level=1)).to_have_text("Demandes de salle")
        assert_accessible(manager, javascript=javascript)
        manager.evaluate("window.sameDocument = true") if javascript else None
        request = manager.locator("article.request-card", has_text=message)
        expect(request).to_contain_text("Série de 3 dates")
        press(manager, request.get_by_role("button", name="Confirmer les 3 dates"))
        # A status message on the new page; after an htmx swap, read by the live region instead.
        expect(manager.locator("main").get_by_text("3 dates confirmées.")).to_be_visible()
        expect(manager.locator("article.request-card", has_text=message)).to_have_count(0)
        if javascript:  # confirmed in place: the page was not reloaded
            assert manager.evaluate("window.sameDocument === true")
        assert_accessible(manager, javascript=javascript)
        responses.assert_sound(manager)
    finally:
        context.close()


def test_a_weekly_room_series_is_asked_confirmed_and_holds_a_published_workshop(
    page: Page, browser: Browser, live_server: LiveServer, javascript: bool
) -> None:
    first = first_tuesday_of_an_open_series()
    starts, ends = ("09:00", "10:00") if javascript else ("10:30", "11:30")
    message = f"Éveil musical, série du mardi {starts} ({'js' if javascript else 'html'})"
    log_in(page, live_server.url, FACILITATOR)
    page.goto(
        f"{live_server.url}/pro/salles/recherche?day={first.isoformat()}"
        f"&starts={starts}&ends={ends}&commune=Haguenau"
    )
    assert_accessible(page, javascript=javascript)
    press(page, page.get_by_role("link", name="Demander : Salle petite enfance"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Demande de salle : Salle petite enfance"
    )
    type_into(page, page.get_by_label("Nombre de semaines"), "3")
    type_into(page, page.get_by_label("Message au centre"), message)
    press(page, page.get_by_role("button", name="Vérifier les dates"))
    expect(page.get_by_text("3 dates seront demandées.")).to_be_visible()
    assert_accessible(page, javascript=javascript)
    press(page, page.get_by_role("button", name="Envoyer la demande"))
    expect(page.get_by_role("status").first).to_be_visible()
    assert_accessible(page, javascript=javascript)

    manager_confirms_the_series(browser, live_server, message, javascript=javascript)

    page.goto(live_server.url + "/pro/ateliers/nouveau")
    choose_with_keyboard(page, page.get_by_label("Type d'atelier"), "Jeux")
    title = f"Éveil musical du mardi {starts}"
    type_into(page, page.get_by_label("Titre"), title)
    type_into(page, page.get_by_label("Nombre de places"), "6")
    series = page.locator("label.choice", has_text="Salle petite enfance").filter(
        has_text=f"{starts}"
    )
    expect(series).to_have_count(3)
    for choice in series.all():
        press(page, choice.get_by_role("checkbox"), "Space")
        expect(choice.get_by_role("checkbox")).to_be_checked()
    press(page, page.get_by_role("button", name="Créer le brouillon"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_accessible(page, javascript=javascript)
    press(page, page.get_by_role("button", name="Publier l'atelier"))
    expect(page.get_by_role("status").first).to_be_visible()

    page.goto(live_server.url + "/?commune=Haguenau")
    expect(page.get_by_role("link", name=title)).to_be_visible()

"""E-mail templates: French text and HTML from one source, in the shared layout."""

from __future__ import annotations

from datetime import UTC, datetime

from workshops.kernel.i18n import get_locale, reset_locale, set_locale
from workshops.kernel.settings import Settings
from workshops.mail.rendering import render_mail

INVITATION = {
    "organisation_name": "Centre Socio-Culturel Robert Schuman",
    "inviter": "Alice <Admin>",
    "role": "Responsable de centre",
    "invitation_url": "https://ateliers.example/pro/invitation/abc?x=1&y=2",
    "expires_at": datetime(2026, 3, 29, 12, 0, tzinfo=UTC),
}


def test_text_and_html_carry_the_same_content_in_the_layout(settings: Settings) -> None:
    mail = render_mail("staff_invitation", INVITATION, settings)

    assert (
        mail.subject
        == "Invitation à rejoindre une structure : Centre Socio-Culturel Robert Schuman"
    )
    for body in (mail.text, mail.html):
        assert "Centre Socio-Culturel Robert Schuman" in body
        assert "Ateliers parents-enfants" in body
        assert "Vous recevez ce message parce que" in body
        assert "dimanche 29 mars 2026 à 14:00" in body
        assert f"{settings.base_url}/aide" in body
        assert f"{settings.base_url}/accessibilite" in body
    assert "Alice <Admin> vous invite" in mail.text
    assert "https://ateliers.example/pro/invitation/abc?x=1&y=2" in mail.text
    assert "<p" not in mail.text and "&lt;" not in mail.text
    assert "\n\n\n" not in mail.text


def test_html_escapes_what_people_typed(settings: Settings) -> None:
    mail = render_mail("staff_invitation", INVITATION, settings)

    assert "Alice &lt;Admin&gt; vous invite" in mail.html
    assert 'href="https://ateliers.example/pro/invitation/abc?x=1&amp;y=2"' in mail.html
    assert '<html lang="fr">' in mail.html


def test_a_message_is_written_in_french_even_from_an_english_page(settings: Settings) -> None:
    token = set_locale("en")
    try:
        mail = render_mail("password_reset", {"full_name": "Zoé", "reset_url": "x"}, settings)
        assert get_locale() == "en"
    finally:
        reset_locale(token)

    assert mail.subject == "Choisir un nouveau mot de passe"
    assert "Bonjour Zoé," in mail.text

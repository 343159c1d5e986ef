"""Signing in and out through HTTP, as a member of staff would."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import make_settings
from tests.factories import PASSWORD, log_in, make_organisation, make_user
from tests.html_check import CHECK_HTML
from workshops.accounts.models import User
from workshops.app import create_app
from workshops.kernel.settings import Settings


async def test_login_page_is_french_with_labelled_fields(client: httpx.AsyncClient) -> None:
    response = await client.get("/pro/connexion")
    assert response.status_code == 200
    assert "Connexion à l'espace professionnel" in response.text
    assert '<label for="champ-email">Adresse e-mail' in response.text
    assert 'id="champ-email"' in response.text


async def test_staff_pages_send_a_visitor_to_the_login_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/pro/structures")
    assert response.status_code == 303
    assert response.headers["location"] == "/pro/connexion?suivant=/pro/structures"


async def test_signing_in_opens_the_staff_area_with_a_safe_cookie(
    client: httpx.AsyncClient,
) -> None:
    user = await make_user(await make_organisation(name="PMI Nord"), full_name="Sophie Keller")
    response = await client.post(
        "/pro/connexion",
        data={"email": user.email, "password": PASSWORD, "suivant": "/pro/structures"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/pro/structures"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    home = await client.get("/pro/")
    assert "Bonjour Sophie Keller" in home.text
    assert "PMI Nord" in home.text


async def test_the_cookie_is_secure_behind_https(tmp_path: Path, database: Settings) -> None:
    settings = make_settings(tmp_path, BASE_URL="https://ateliers.exemple.fr")
    app = create_app(settings)
    user = await make_user(await make_organisation())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="https://testserver", event_hooks=CHECK_HTML
    ) as client:
        response = await client.post(
            "/pro/connexion", data={"email": user.email, "password": PASSWORD}
        )
    assert "secure" in response.headers["set-cookie"].lower()
    assert response.headers["strict-transport-security"] == "max-age=31536000"


async def test_after_login_we_never_go_to_another_site(client: httpx.AsyncClient) -> None:
    user = await make_user(await make_organisation())
    response = await client.post(
        "/pro/connexion",
        data={"email": user.email, "password": PASSWORD, "suivant": "//evil.example/pro/"},
    )
    assert response.headers["location"] == "/pro/"


async def test_missing_fields_are_named_next_to_the_fields(client: httpx.AsyncClient) -> None:
    response = await client.post("/pro/connexion", data={"email": "claire@exemple.fr"})
    assert response.status_code == 422
    assert "Indiquez votre mot de passe." in response.text
    assert 'href="#champ-password"' in response.text  # the error summary links to the field
    assert 'value="claire@exemple.fr"' in response.text  # what was typed is kept


async def test_an_over_long_value_is_refused_in_french(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/pro/connexion", data={"email": "a" * 5000 + "@exemple.fr", "password": "x"}
    )
    assert response.status_code == 422
    assert "Ce champ ne doit pas dépasser 254 caractères." in response.text


async def test_a_file_where_text_was_expected_is_a_clear_refusal(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/pro/connexion",
        files={"email": ("mail.txt", b"claire@exemple.fr"), "password": ("p.txt", b"x")},
    )
    assert response.status_code in (400, 422)
    assert '<html lang="fr">' in response.text


async def test_a_garbled_body_is_a_400_not_a_500(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/pro/connexion",
        content=b"--xyz\r\nnot really multipart",
        headers={"content-type": "multipart/form-data; boundary=xyz"},
    )
    assert response.status_code == 400
    assert "Le formulaire envoyé est illisible." in response.text


async def test_wrong_password_shows_the_generic_message(client: httpx.AsyncClient) -> None:
    user = await make_user(await make_organisation())
    response = await client.post(
        "/pro/connexion", data={"email": user.email, "password": "mauvais mot de passe"}
    )
    assert response.status_code == 422
    assert "Adresse e-mail ou mot de passe incorrect." in response.text
    assert "mauvais mot de passe" not in response.text


async def test_sixth_wrong_attempt_locks_even_the_right_password(
    client: httpx.AsyncClient,
) -> None:
    user = await make_user(await make_organisation())
    for _ in range(5):
        await client.post("/pro/connexion", data={"email": user.email, "password": "non non non"})
    response = await client.post("/pro/connexion", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 422
    assert "Trop de tentatives de connexion. Réessayez dans 15 minutes." in response.text
    assert (await client.get("/pro/")).status_code == 303


async def test_logging_out_ends_the_session(client: httpx.AsyncClient) -> None:
    user = await make_user(await make_organisation())
    await log_in(client, user.email)
    response = await client.post("/pro/deconnexion")
    assert response.headers["location"] == "/pro/connexion?deconnecte=1"
    assert (await client.get("/pro/")).status_code == 303


async def test_changing_the_password_signs_out_the_other_devices(app: object) -> None:
    user = await make_user(await make_organisation())
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with (
        httpx.AsyncClient(
            transport=transport, base_url="http://testserver", event_hooks=CHECK_HTML
        ) as office,
        httpx.AsyncClient(
            transport=transport, base_url="http://testserver", event_hooks=CHECK_HTML
        ) as phone,
    ):
        await log_in(office, user.email)
        await log_in(phone, user.email)
        response = await office.post(
            "/pro/profil/mot-de-passe",
            data={
                "current_password": PASSWORD,
                "new_password": "ma nouvelle phrase secrète",
                "confirmation": "ma nouvelle phrase secrète",
            },
        )
        assert "Votre mot de passe a été changé." in response.text
        assert (await office.get("/pro/")).status_code == 200
        assert (await phone.get("/pro/")).status_code == 303


async def test_a_refused_password_change_never_echoes_passwords(
    client: httpx.AsyncClient,
) -> None:
    user = await make_user(await make_organisation())
    await log_in(client, user.email)
    response = await client.post(
        "/pro/profil/mot-de-passe",
        data={"current_password": "oublié oublié", "new_password": "court", "confirmation": ""},
    )
    assert response.status_code == 422
    assert "Le mot de passe actuel est incorrect." in response.text
    assert "au moins 12 caractères" in response.text
    assert "oublié oublié" not in response.text


async def test_a_session_ends_after_the_idle_delay(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await make_user(await make_organisation())
    await log_in(client, user.email)
    assert (await client.get("/pro/")).status_code == 200
    later = time.time() + 8 * 3600 + 60
    monkeypatch.setattr("time.time", lambda: later)  # as seen by the auth guard and the cookie
    assert (await client.get("/pro/")).status_code == 303


async def test_a_disabled_account_loses_its_session(client: httpx.AsyncClient) -> None:
    user = await make_user(await make_organisation())
    await log_in(client, user.email)
    await User.filter(id=user.id).update(is_active=False)
    assert (await client.get("/pro/")).status_code == 303

"""The forgotten-password procedure, end to end over HTTP, with the e-mail written to a file."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import timedelta

import httpx
from starlette.applications import Starlette

from tests.factories import PASSWORD, log_in, make_organisation, make_user
from tests.html_check import CHECK_HTML
from tests.mail.helpers import plain_text, read_only_mail
from workshops.accounts.models import PasswordReset, User
from workshops.audit.models import AuditEvent
from workshops.kernel.clock import utc_now
from workshops.kernel.settings import Settings
from workshops.mail.delivery import deliver_due_mail
from workshops.mail.models import OutboxMessage

NEW_PASSWORD = "trois pommes vertes au marché"
SAME_ANSWER = "Si un compte professionnel existe pour l'adresse"
LINK = re.compile(r"http://127\.0\.0\.1:8000(/pro/mot-de-passe-oublie/[A-Za-z0-9_-]+)")


async def _ask_link(client: httpx.AsyncClient, settings: Settings, email: str) -> str:
    response = await client.post("/pro/mot-de-passe-oublie", data={"email": email})
    assert response.status_code == 200
    await deliver_due_mail(settings)
    [path] = LINK.findall(plain_text(read_only_mail(settings)))
    return str(path)


async def test_a_forgotten_password_is_replaced_through_the_emailed_link(
    app: Starlette, client: httpx.AsyncClient, database: Settings
) -> None:
    user = await make_user(await make_organisation(), email="claire.martin@exemple.fr")
    form = await client.get("/pro/mot-de-passe-oublie")
    assert form.status_code == 200
    assert "Mot de passe oublié" in form.text

    response = await client.post(
        "/pro/mot-de-passe-oublie", data={"email": "Claire.Martin@exemple.fr"}
    )
    assert response.status_code == 200
    assert SAME_ANSWER in html.unescape(response.text)

    await deliver_due_mail(database)
    mail = read_only_mail(database)
    assert mail["To"] == "claire.martin@exemple.fr"
    assert mail["Subject"] == "Choisir un nouveau mot de passe"
    [path] = LINK.findall(plain_text(mail))

    page = await client.get(path)
    assert page.status_code == 200
    assert "Choisir un nouveau mot de passe" in page.text
    saved = await client.post(path, data={"password": NEW_PASSWORD, "confirmation": NEW_PASSWORD})
    assert saved.status_code == 303
    assert saved.headers["location"] == "/pro/connexion?mot-de-passe=nouveau"
    login_page = await client.get(saved.headers["location"])
    assert "Votre nouveau mot de passe est enregistré" in login_page.text

    await log_in(client, user.email, NEW_PASSWORD)
    assert (await client.get("/pro/")).status_code == 200
    old = await client.post("/pro/connexion", data={"email": user.email, "password": PASSWORD})
    assert old.status_code == 422
    assert await AuditEvent.filter(action="password.reset", object_id=str(user.id)).exists()


async def test_an_unknown_address_gets_the_same_page_and_an_email_saying_there_is_no_account(
    client: httpx.AsyncClient, database: Settings
) -> None:
    await make_user(email="connue@exemple.fr")

    known = await client.post("/pro/mot-de-passe-oublie", data={"email": "connue@exemple.fr"})
    unknown = await client.post("/pro/mot-de-passe-oublie", data={"email": "inconnue@exemple.fr"})

    assert unknown.status_code == known.status_code == 200
    assert unknown.text.replace("inconnue@", "connue@") == known.text
    # Both write one e-mail: the same work, so the delay tells nothing either.
    mails = {message.recipient: message for message in await OutboxMessage.all()}
    assert sorted(mails) == ["connue@exemple.fr", "inconnue@exemple.fr"]
    assert "/pro/mot-de-passe-oublie/" in mails["connue@exemple.fr"].text_body
    told = mails["inconnue@exemple.fr"].text_body
    assert "aucun compte actif n'utilise cette adresse" in told
    assert "/pro/mot-de-passe-oublie/" not in told


async def test_the_reset_ends_sessions_opened_with_the_old_password(
    app: Starlette, client: httpx.AsyncClient, database: Settings
) -> None:
    user = await make_user(email="sophie@exemple.fr")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", event_hooks=CHECK_HTML
    ) as laptop:
        await log_in(laptop, user.email)
        assert (await laptop.get("/pro/")).status_code == 200

        path = await _ask_link(client, database, user.email)
        await client.post(path, data={"password": NEW_PASSWORD, "confirmation": NEW_PASSWORD})

        after = await laptop.get("/pro/")
        assert after.status_code == 303
        assert after.headers["location"].startswith("/pro/connexion")
    assert (await User.get(id=user.id)).session_version == 2


async def test_a_link_serves_once_and_only_its_hash_is_stored(
    client: httpx.AsyncClient, database: Settings
) -> None:
    user = await make_user(email="nadia@exemple.fr")
    path = await _ask_link(client, database, user.email)
    token = path.rsplit("/", 1)[1]

    [reset] = await PasswordReset.all()
    assert reset.token_hash == hashlib.sha256(token.encode()).hexdigest()
    [message] = await OutboxMessage.all()
    assert token not in message.text_body + message.html_body

    await client.post(path, data={"password": NEW_PASSWORD, "confirmation": NEW_PASSWORD})
    again = await client.get(path)
    reuse = await client.post(
        path, data={"password": "encore un autre essai", "confirmation": "encore un autre essai"}
    )
    assert again.status_code == reuse.status_code == 404
    assert "Ce lien n'est plus valable" in html.unescape(again.text)


async def test_a_link_older_than_one_hour_no_longer_works(
    client: httpx.AsyncClient, database: Settings
) -> None:
    user = await make_user(email="marc@exemple.fr")
    path = await _ask_link(client, database, user.email)
    await PasswordReset.all().update(expires_at=utc_now() - timedelta(seconds=1))

    assert (await client.get(path)).status_code == 404


async def test_a_weak_or_mismatched_password_is_refused_and_the_link_kept(
    client: httpx.AsyncClient, database: Settings
) -> None:
    user = await make_user(email="julie@exemple.fr")
    path = await _ask_link(client, database, user.email)

    short = await client.post(path, data={"password": "court", "confirmation": "court"})
    mismatch = await client.post(
        path, data={"password": NEW_PASSWORD, "confirmation": NEW_PASSWORD + "!"}
    )

    assert short.status_code == mismatch.status_code == 422
    assert "au moins 12 caractères" in short.text
    assert "Les deux mots de passe ne sont pas identiques." in mismatch.text
    assert NEW_PASSWORD not in mismatch.text
    assert (await client.get(path)).status_code == 200


async def test_requests_are_throttled_per_address(
    client: httpx.AsyncClient, database: Settings
) -> None:
    await make_user(email="alice@exemple.fr")
    answers = [
        (await client.post("/pro/mot-de-passe-oublie", data={"email": "alice@exemple.fr"}))
        for _request in range(4)
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert "Trop de demandes" in html.unescape(answers[-1].text)
    assert await OutboxMessage.all().count() == 3


async def test_a_malformed_address_gets_a_french_message(
    client: httpx.AsyncClient, database: Settings
) -> None:
    response = await client.post("/pro/mot-de-passe-oublie", data={"email": "pas-une-adresse"})

    assert response.status_code == 422
    assert "Indiquez une adresse e-mail valide" in response.text
    assert 'value="pas-une-adresse"' in response.text

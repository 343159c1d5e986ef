"""The staff outbox page: status, attempts, last error, search, pagination, send again."""

from __future__ import annotations

import html

import httpx

from tests.factories import log_in, make_organisation, make_user
from tests.mail.helpers import queue_reset_mail
from workshops.accounts.models import Role
from workshops.audit.models import AuditEvent
from workshops.kernel.settings import Settings
from workshops.mail.models import MailAttempt, MailStatus, OutboxMessage


async def _log_in_as(client: httpx.AsyncClient, role: Role) -> None:
    user = await make_user(await make_organisation(), role)
    await log_in(client, user.email)


async def test_only_an_administrator_sees_the_outbox(
    client: httpx.AsyncClient, database: Settings
) -> None:
    await _log_in_as(client, Role.COORDINATOR)
    assert (await client.get("/pro/courriels")).status_code == 403

    await client.post("/pro/deconnexion")
    anonymous = await client.get("/pro/courriels")
    assert anonymous.status_code == 303


async def test_the_outbox_shows_status_attempts_and_last_error(
    client: httpx.AsyncClient, database: Settings
) -> None:
    await _log_in_as(client, Role.ADMIN)
    message = await queue_reset_mail(database, "famille.durand@exemple.fr")
    await OutboxMessage.filter(id=message.id).update(
        status=MailStatus.FAILED, attempts=3, last_error="SMTPConnectError : Connexion refusée"
    )
    await MailAttempt.create(
        message_id=message.id, attempted_at=message.created_at, error="Connexion refusée"
    )

    page = await client.get("/pro/courriels")

    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "famille.durand@exemple.fr" in text
    assert "Choisir un nouveau mot de passe" in text
    assert "Échec" in text
    assert "SMTPConnectError : Connexion refusée" in text
    assert "Renvoyer le message à famille.durand@exemple.fr" in text
    detail = await client.get(f"/pro/courriels/{message.id}")
    assert detail.status_code == 200
    assert "Connexion refusée" in detail.text
    assert "https://ateliers.example/lien" not in detail.text
    assert (await client.get("/pro/courriels/999999")).status_code == 404


async def test_searching_by_recipient_keeps_the_search_across_pages(
    client: httpx.AsyncClient, database: Settings
) -> None:
    await _log_in_as(client, Role.ADMIN)
    for number in range(30):
        await queue_reset_mail(database, f"claire{number}@exemple.fr")
    await queue_reset_mail(database, "marc@exemple.fr")

    first = await client.get("/pro/courriels", params={"destinataire": "claire"})
    second = await client.get("/pro/courriels", params={"destinataire": "claire", "page": "2"})
    nothing = await client.get("/pro/courriels", params={"destinataire": "personne"})

    assert first.text.count("@exemple.fr</td>") == 25
    assert "marc@exemple.fr" not in first.text
    assert 'href="?page=2&amp;destinataire=claire"' in first.text
    assert second.text.count("@exemple.fr</td>") == 5
    assert "Aucun courriel pour « personne »." in html.unescape(nothing.text)


async def test_an_administrator_sends_a_failed_message_again(
    client: httpx.AsyncClient, database: Settings
) -> None:
    await _log_in_as(client, Role.ADMIN)
    message = await queue_reset_mail(database, "famille@exemple.fr")
    await OutboxMessage.filter(id=message.id).update(status=MailStatus.FAILED)

    response = await client.post(f"/pro/courriels/{message.id}/renvoi")

    assert response.status_code == 200
    assert "Le message à famille@exemple.fr est remis en file d'envoi." in html.unescape(
        response.text
    )
    assert (await OutboxMessage.get(id=message.id)).status is MailStatus.QUEUED
    assert await AuditEvent.filter(action="mail.resent", object_id=str(message.id)).exists()

    again = await client.post(f"/pro/courriels/{message.id}/renvoi")
    assert again.status_code == 409
    assert "Seul un message en échec peut être renvoyé." in html.unescape(again.text)


async def test_send_again_from_htmx_answers_with_the_list_only(
    client: httpx.AsyncClient, database: Settings
) -> None:
    await _log_in_as(client, Role.ADMIN)
    message = await queue_reset_mail(database)
    await OutboxMessage.filter(id=message.id).update(status=MailStatus.FAILED)

    response = await client.post(
        f"/pro/courriels/{message.id}/renvoi", headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "remis en file d" in response.text
    # The message saying what happened takes the focus once swapped; the page keeps its title.
    assert '<p class="notice" id="message-action" data-focus>' in response.text
    assert response.text.startswith("<head><title>Courriels envoyés · ")


async def test_any_search_text_is_taken_literally(
    client: httpx.AsyncClient, database: Settings
) -> None:
    await _log_in_as(client, Role.ADMIN)
    await queue_reset_mail(database, "claire@exemple.fr")

    for search in ("%", "_", "\\", "'", '"', "é%_\\'x", "a" * 1000, "\x00"):
        response = await client.get("/pro/courriels", params={"destinataire": search})
        assert response.status_code == 200, search
        if search not in ("\x00",):
            assert "claire@exemple.fr" not in response.text, search

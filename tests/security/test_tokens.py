"""The secrets behind families' links and private feeds cannot be guessed, and an old link stops
opening anything once it has been replaced (DESIGN sections 2 and 4)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable

import httpx
import pytest

from tests.html_check import CHECK_HTML
from tests.mail.conftest import smtp_settings
from tests.mail.smtp import SmtpServer
from tests.planning.factories import make_workshop
from tests.signup.test_journey import _form, _text
from workshops.app import create_app
from workshops.calendars import feeds as feeds
from workshops.kernel.settings import Settings
from workshops.mail.delivery import deliver_due_mail
from workshops.planning.models import Workshop
from workshops.signup import links
from workshops.signup.models import Registration, RegistrationStatus

LINK = re.compile(r"http://127\.0\.0\.1:8000(/inscription/([A-Za-z0-9_-]+))")
URL_SAFE = re.compile(r"^[A-Za-z0-9_-]+$")


@pytest.mark.parametrize(
    "make_token", [links.new_token, feeds.new_token], ids=["lien-famille", "flux-prive"]
)
def test_a_thousand_secrets_are_distinct_long_and_spread_over_the_whole_alphabet(
    make_token: Callable[[], str],
) -> None:
    tokens = [make_token() for _ in range(1000)]
    assert len(set(tokens)) == 1000
    assert all(len(token) >= 43 and URL_SAFE.match(token) for token in tokens)
    # 43 URL-safe characters carry 256 bits only if each is drawn from all 64: measured over
    # 43,000 characters, the entropy per character of a random source is within a hair of 6 bits.
    counts = Counter("".join(tokens))
    total = sum(counts.values())
    entropy = -sum(n / total * math.log2(n / total) for n in counts.values())
    assert len(counts) == 64
    assert entropy > 5.95
    assert 43 * entropy >= 128


async def _links_to(smtp_server: SmtpServer, email: str) -> list[str]:
    return [
        match.group(1)
        for mail in smtp_server.inbox.received
        if mail["To"] == email and (match := LINK.search(_text(mail)))
    ]


async def test_asking_for_the_link_again_closes_the_old_link_and_the_database_keeps_no_secret(
    database: Settings, smtp_server: SmtpServer
) -> None:
    settings = smtp_settings(database.data_dir, smtp_server.port)
    workshop = await make_workshop(capacity=4)
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", event_hooks=CHECK_HTML
    ) as client:
        for _attempt in range(2):
            answer = await client.post(
                f"/ateliers/{workshop.id}/inscription", data=_form("Léa Martin", "lea@exemple.fr")
            )
            assert answer.status_code == 200
        await deliver_due_mail(settings)
        old, new = await _links_to(smtp_server, "lea@exemple.fr")
        assert old != new
        assert (await client.get(old)).status_code == 404
        assert (await client.post(f"{old}/annulation")).status_code == 404
        assert "Inscription confirmée pour 1 place" in (await client.get(new)).text

    registration = await Registration.get(email="lea@exemple.fr")
    assert registration.status == RegistrationStatus.CONFIRMED
    secret = new.rsplit("/", 1)[1]
    assert registration.token_hash == links.hash_token(secret)
    assert secret not in str(await Registration.filter(id=registration.id).values())


async def test_after_cancelling_the_link_shows_the_cancellation_and_frees_no_second_place(
    database: Settings, smtp_server: SmtpServer
) -> None:
    settings = smtp_settings(database.data_dir, smtp_server.port)
    workshop = await make_workshop(capacity=4)
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", event_hooks=CHECK_HTML
    ) as client:
        for name, email in (("Léa Martin", "lea@exemple.fr"), ("Omar Haddad", "omar@exemple.fr")):
            await client.post(f"/ateliers/{workshop.id}/inscription", data=_form(name, email))
        await deliver_due_mail(settings)
        [link] = await _links_to(smtp_server, "lea@exemple.fr")
        assert "Votre inscription est annulée" in (await client.post(f"{link}/annulation")).text

        again = await client.get(link)
        assert again.status_code == 200
        assert "Cette inscription est annulée." in again.text
        assert "Annuler mon inscription" not in again.text
        twice = await client.post(f"{link}/annulation")
        assert twice.status_code < 500

    assert (await Workshop.get(id=workshop.id)).places_taken == 1

"""A family's whole journey over HTTP, with the e-mails going through a real SMTP server."""

from __future__ import annotations

import re
from email.message import EmailMessage

import httpx

from tests.html_check import CHECK_HTML
from tests.mail.conftest import smtp_settings
from tests.mail.smtp import SmtpServer
from tests.planning.factories import make_workshop
from tests.signup.helpers import months_ago
from workshops.app import create_app
from workshops.kernel.settings import Settings
from workshops.mail.delivery import deliver_due_mail

LINK = re.compile(r"http://127\.0\.0\.1:8000(/inscription/[A-Za-z0-9_-]+)")


def _form(name: str, email: str) -> dict[str, str]:
    return {
        "parent_name": name,
        "email": email,
        "commune": "Haguenau",
        "adults": "1",
        "child_1_kind": "born",
        "child_1_month": months_ago(4).strftime("%Y-%m"),
        "first_time": "oui",
        "heard_from": "pmi",
        "reminders": "oui",
    }


def _text(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def _calendar(mail: EmailMessage) -> str:
    for part in mail.walk():
        if part.get_content_type() == "text/calendar":
            return str(part.get_content())
    return ""


async def test_a_family_signs_up_cancels_by_its_link_and_the_next_family_gets_the_place(
    database: Settings, smtp_server: SmtpServer
) -> None:
    settings = smtp_settings(database.data_dir, smtp_server.port)
    workshop = await make_workshop(capacity=1, sessions=2)
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", event_hooks=CHECK_HTML
    ) as client:
        page = await client.get(f"/ateliers/{workshop.id}")
        assert page.status_code == 200
        assert "1 place restante" in page.text

        first = await client.post(
            f"/ateliers/{workshop.id}/inscription", data=_form("Léa Martin", "lea@exemple.fr")
        )
        assert first.status_code == 200
        assert "Votre demande d'inscription à l'atelier « Massage bébé » est enregistrée" in (
            first.text
        )
        second = await client.post(
            f"/ateliers/{workshop.id}/inscription", data=_form("Omar Haddad", "omar@exemple.fr")
        )
        # The page says the same to both (rule 7): each family's e-mail says what happened.
        assert second.text == first.text

        assert await deliver_due_mail(settings) == 2
        [to_lea] = [m for m in smtp_server.inbox.received if m["To"] == "lea@exemple.fr"]
        assert "Inscription confirmée" in str(to_lea["Subject"])
        [waiting] = [m for m in smtp_server.inbox.received if m["To"] == "omar@exemple.fr"]
        assert "Liste d'attente" in str(waiting["Subject"])
        assert _calendar(to_lea).count("BEGIN:VEVENT") == 2
        match = LINK.search(_text(to_lea))
        assert match is not None
        link = match.group(1)

        mine = await client.get(link)
        assert mine.status_code == 200
        assert "Inscription confirmée pour 1 place" in mine.text
        cancelled = await client.post(f"{link}/annulation")
        assert cancelled.status_code == 200
        assert "Votre inscription est annulée" in cancelled.text

    await deliver_due_mail(settings)
    [promoted] = [
        m
        for m in smtp_server.inbox.received
        if m["To"] == "omar@exemple.fr" and "place s'est libérée" in str(m["Subject"])
    ]
    assert "METHOD:REQUEST" in _calendar(promoted)
    to_omar = [m for m in smtp_server.inbox.received if m["To"] == "omar@exemple.fr"]
    assert len(to_omar) == 2  # the waiting-list e-mail, then the promotion, once

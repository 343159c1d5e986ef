"""SMTP settings reach the server: security mode, login, timeout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.conftest import make_settings
from tests.mail.helpers import queue_reset_mail
from tests.mail.smtp import SmtpServer, free_port
from workshops.kernel.settings import Settings
from workshops.mail.delivery import deliver_due_mail
from workshops.mail.models import MailStatus, OutboxMessage
from workshops.mail.transports import FileTransport, SmtpTransport, smtp_options, transport_for


def test_each_security_mode_maps_to_the_aiosmtplib_options(tmp_path: Path) -> None:
    def options(mode: str) -> dict[str, Any]:
        return smtp_options(make_settings(tmp_path, SMTP_HOST="smtp.example", SMTP_SECURITY=mode))

    assert options("starttls")["start_tls"] is True
    assert options("starttls")["use_tls"] is False
    assert options("tls")["use_tls"] is True
    assert options("tls")["start_tls"] is False
    assert options("none")["use_tls"] is options("none")["start_tls"] is False
    assert options("none")["username"] is None
    assert options("none")["port"] == 587
    assert options("none")["timeout"] == 30.0


def test_without_smtp_host_mail_goes_to_files(tmp_path: Path) -> None:
    assert isinstance(transport_for(make_settings(tmp_path)), FileTransport)
    assert isinstance(transport_for(make_settings(tmp_path, SMTP_HOST="smtp.x")), SmtpTransport)


class Authenticator:
    def __init__(self) -> None:
        self.logins: list[tuple[str, str]] = []

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        login = (data.login.decode(), data.password.decode())
        self.logins.append(login)
        return AuthResult(success=login == ("ateliers", "mot de passe du relais"), handled=False)


async def test_the_sender_logs_in_with_the_configured_account(database: Settings) -> None:
    authenticator = Authenticator()
    server = SmtpServer(free_port(), authenticator=authenticator, auth_require_tls=False)
    server.start()
    try:
        settings = make_settings(
            database.data_dir,
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(server.port),
            SMTP_SECURITY="none",
            SMTP_USERNAME="ateliers",
            SMTP_PASSWORD="mot de passe du relais",
        )
        message = await queue_reset_mail(settings)
        await deliver_due_mail(settings)

        wrong = make_settings(
            database.data_dir,
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(server.port),
            SMTP_SECURITY="none",
            SMTP_USERNAME="ateliers",
            SMTP_PASSWORD="mauvais",
        )
        refused = await queue_reset_mail(wrong, "autre@exemple.fr")
        await deliver_due_mail(wrong)
    finally:
        server.stop()

    assert authenticator.logins[0] == ("ateliers", "mot de passe du relais")
    assert len(server.inbox.received) == 1
    assert (await OutboxMessage.get(id=message.id)).status is MailStatus.SENT
    kept = await OutboxMessage.get(id=refused.id)
    assert kept.status is MailStatus.QUEUED
    assert "535" in kept.last_error


async def _send_with_security(database: Settings, server: SmtpServer, mode: str) -> OutboxMessage:
    settings = make_settings(
        database.data_dir,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(server.port),
        SMTP_SECURITY=mode,
        SMTP_TIMEOUT="5",
    )
    message = await queue_reset_mail(settings)
    await deliver_due_mail(settings)
    return await OutboxMessage.get(id=message.id)


async def test_starttls_mode_sends_nothing_in_clear_to_a_server_without_starttls(
    database: Settings, smtp_server: SmtpServer
) -> None:
    kept = await _send_with_security(database, smtp_server, "starttls")

    assert smtp_server.inbox.received == []
    assert kept.status is MailStatus.QUEUED
    assert "STARTTLS" in kept.last_error


async def test_tls_mode_speaks_tls_from_the_first_byte(
    database: Settings, smtp_server: SmtpServer
) -> None:
    kept = await _send_with_security(database, smtp_server, "tls")

    assert smtp_server.inbox.received == []
    assert kept.status is MailStatus.QUEUED
    assert "SSL" in kept.last_error  # A TLS handshake, refused by this plain-text server.

"""Where composed messages go: an SMTP server (aiosmtplib), or `.eml` files without one.

`transport_for(settings)` chooses: with `SMTP_HOST` set, SMTP with the configured security, login
and timeout; without it, one readable `.eml` file per message in `DATA_DIR/mail`, so that a
newcomer running the demo sees every message the platform would have sent.
"""

from __future__ import annotations

import os
import re
import tempfile
from email import policy
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self

import aiosmtplib

from workshops.kernel.settings import Settings
from workshops.mail.composer import envelope_sender


class PermanentFailure(Exception):
    """The server refused the message for good (5xx on the recipient): retrying cannot help."""


class Transport(Protocol):
    # True when a person reads what is sent as a file: bodies are then written as plain UTF-8.
    readable: bool

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    async def send(self, mail: EmailMessage, *, name: str) -> None:
        """Deliver one message; raise on failure (`PermanentFailure` when it is final)."""


def smtp_options(settings: Settings) -> dict[str, Any]:
    """The aiosmtplib connection options that the SMTP_* settings call for."""
    return {
        "hostname": settings.smtp_host,
        "port": settings.smtp_port,
        "username": settings.smtp_username or None,
        "password": settings.smtp_password or None,
        "use_tls": settings.smtp_security == "tls",
        "start_tls": settings.smtp_security == "starttls",
        "timeout": settings.smtp_timeout,
    }


class SmtpTransport:
    """One SMTP connection for a batch, opened on first use and reopened after it breaks."""

    readable = False

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client: aiosmtplib.SMTP | None = None
        # When the server cannot be reached, the rest of the batch fails at once with the same
        # error instead of waiting for the timeout once per message.
        self.connect_error: Exception | None = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._close()

    async def _close(self) -> None:
        client, self.client = self.client, None
        if client is not None and client.is_connected:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError):
                client.close()

    async def _connected(self) -> aiosmtplib.SMTP:
        if self.connect_error is not None:
            raise self.connect_error
        if self.client is None or not self.client.is_connected:
            client = aiosmtplib.SMTP(**smtp_options(self.settings))
            try:
                await client.connect()
            except (aiosmtplib.SMTPException, OSError) as error:
                client.close()
                self.connect_error = error
                raise
            self.client = client
        return self.client

    async def send(self, mail: EmailMessage, *, name: str) -> None:
        client = await self._connected()
        try:
            await client.send_message(mail, sender=envelope_sender(self.settings))
        except aiosmtplib.SMTPRecipientsRefused as refused:
            if all(error.code >= 500 for error in refused.recipients):
                raise PermanentFailure(str(refused)) from refused
            raise
        except (aiosmtplib.SMTPServerDisconnected, OSError):
            await self._close()
            raise


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class FileTransport:
    """Write each message to `<mail_dir>/<name>.eml`; writing it again replaces the same file."""

    readable = True

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def __aenter__(self) -> Self:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None

    async def send(self, mail: EmailMessage, *, name: str) -> None:
        data = mail.as_bytes(policy=policy.default)
        target = self.folder / f"{_UNSAFE_NAME.sub('-', name)}.eml"
        # Write then rename: a reader never sees half a message.
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, target)


def transport_for(settings: Settings) -> Transport:
    if settings.smtp_host:
        return SmtpTransport(settings)
    return FileTransport(settings.mail_dir)

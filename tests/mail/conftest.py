"""Fixtures of the mail tests: a real SMTP server, and settings that send to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import make_settings
from tests.mail.smtp import SmtpServer, free_port
from workshops.kernel.settings import Settings


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def smtp_settings(data_dir: Path, port: int) -> Settings:
    return make_settings(
        data_dir,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(port),
        SMTP_SECURITY="none",
        SMTP_TIMEOUT="5",
        MAIL_FROM="Ateliers parents-enfants <ne-pas-repondre@ateliers.example>",
    )

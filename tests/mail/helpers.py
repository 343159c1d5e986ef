"""Queueing messages in tests through the one real entry point, `enqueue_mail`."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

from workshops.kernel.db import transaction
from workshops.kernel.settings import Settings
from workshops.mail import enqueue_mail
from workshops.mail.models import OutboxMessage


async def queue_reset_mail(
    settings: Settings,
    to: str = "claire.martin@exemple.fr",
    *,
    name: str = "Claire Martin",
    calendar: bytes | None = None,
    sensitive: bool = False,
) -> OutboxMessage:
    async with transaction():
        return await enqueue_mail(
            settings=settings,
            to=to,
            template="password_reset",
            context={"full_name": name, "reset_url": "https://ateliers.example/lien"},
            calendar=calendar,
            sensitive=sensitive,
        )


def read_only_mail(settings: Settings) -> EmailMessage:
    """The one `.eml` file the embedded transport wrote (no SMTP_HOST in tests)."""
    [path] = settings.mail_dir.glob("*.eml")
    mail = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(mail, EmailMessage)
    return mail


def plain_text(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())

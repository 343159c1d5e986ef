"""E-mail through an outbox: `enqueue_mail` in the transaction of a change, a worker sends it."""

from __future__ import annotations

from workshops.mail.delivery import send_due_mail
from workshops.mail.models import MailStatus, OutboxMessage
from workshops.mail.outbox import ComposedMail, compose_mail, enqueue_composed, enqueue_mail

__all__ = [
    "ComposedMail",
    "MailStatus",
    "OutboxMessage",
    "compose_mail",
    "enqueue_composed",
    "enqueue_mail",
    "send_due_mail",
]

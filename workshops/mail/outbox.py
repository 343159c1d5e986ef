"""The one way to send an e-mail (`enqueue_mail`) and what the staff outbox page needs.

`enqueue_mail` only writes a row: call it inside the transaction of the change that causes the
message, so both are committed together or not at all. The worker (`workshops.mail.delivery`)
sends it later; nothing here talks to an SMTP server.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from workshops.audit import Actor, record_event
from workshops.kernel.clock import utc_now
from workshops.kernel.db import transaction
from workshops.kernel.i18n import N_, _
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid, email_problem, normalise_email
from workshops.mail.models import MailAttempt, MailStatus, OutboxMessage
from workshops.mail.rendering import render_mail

STATUS_LABELS = {
    MailStatus.QUEUED: N_("En attente"),
    MailStatus.SENDING: N_("Envoi en cours"),
    MailStatus.SENT: N_("Envoyé"),
    MailStatus.FAILED: N_("Échec"),
}
_METHOD = re.compile(rb"^METHOD:([A-Z-]+)\r?$", re.MULTILINE)


def message_id_for(settings: Settings) -> str:
    """A new Message-ID in the domain of the sender address."""
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "localhost"
    return f"<{uuid.uuid4().hex}@{domain}>"


def calendar_method(calendar: bytes) -> str:
    """The METHOD of an iCalendar attachment (REQUEST, CANCEL...), PUBLISH when it has none."""
    found = _METHOD.search(calendar)
    return found.group(1).decode("ascii") if found else "PUBLISH"


@dataclass(frozen=True)
class ComposedMail:
    """A message written and ready to queue: what `enqueue_composed` stores."""

    template: str
    recipient: str
    subject: str
    text: str
    html: str
    calendar: bytes | None
    sensitive: bool


def compose_mail(
    *,
    settings: Settings,
    to: str,
    template: str,
    context: Mapping[str, Any],
    calendar: bytes | None = None,
    sensitive: bool = False,
) -> ComposedMail:
    """Render `templates/mail/<template>.html` for `to`, without queueing it.

    For a change that must hold a lock briefly: the message is written before the lock is taken
    and queued (`enqueue_composed`) inside the transaction of the change.
    """
    recipient = normalise_email(to)
    problem = email_problem(recipient)
    if problem:
        raise Invalid({"to": problem})
    rendered = render_mail(template, context, settings)
    return ComposedMail(
        template=template,
        recipient=recipient,
        subject=rendered.subject[:300],
        text=rendered.text,
        html=rendered.html,
        calendar=calendar,
        sensitive=sensitive,
    )


async def enqueue_composed(composed: ComposedMail, *, settings: Settings) -> OutboxMessage:
    """Queue a composed message; call inside the transaction of the change that causes it."""
    now = utc_now()
    calendar = composed.calendar
    return await OutboxMessage.create(
        queued_at=now,
        next_attempt_at=now,
        template=composed.template,
        recipient=composed.recipient,
        subject=composed.subject,
        text_body=composed.text,
        html_body=composed.html,
        calendar=calendar.decode("utf-8") if calendar else "",
        calendar_method=calendar_method(calendar) if calendar else "",
        message_id=message_id_for(settings),
        sensitive=composed.sensitive,
    )


async def enqueue_mail(
    *,
    settings: Settings,
    to: str,
    template: str,
    context: Mapping[str, Any],
    calendar: bytes | None = None,
    sensitive: bool = False,
) -> OutboxMessage:
    """Render `templates/mail/<template>.html` for `to` and queue it; call inside a transaction.

    `calendar` is an iCalendar object (see `workshops.kernel.ics`) sent as a text/calendar
    part; `sensitive` erases the bodies once sent because they hold a secret link.
    """
    composed = compose_mail(
        settings=settings,
        to=to,
        template=template,
        context=context,
        calendar=calendar,
        sensitive=sensitive,
    )
    return await enqueue_composed(composed, settings=settings)


async def list_messages(
    *, recipient: str = "", offset: int = 0, limit: int = 25
) -> tuple[list[OutboxMessage], int]:
    """One page of the outbox, newest first; `recipient` filters on part of the address."""
    query = OutboxMessage.all()
    if recipient:
        query = query.filter(recipient__icontains=recipient.strip().lower())
    total = await query.count()
    return list(await query.offset(offset).limit(limit)), total


async def get_message(message_id: int) -> OutboxMessage | None:
    return await OutboxMessage.get_or_none(id=message_id)


async def list_attempts(message_id: int) -> list[MailAttempt]:
    return list(await MailAttempt.filter(message_id=message_id))


async def resend_message(*, actor: Actor, message_id: int) -> OutboxMessage:
    """Put a failed message back in the queue for a new 24-hour window of attempts."""
    now = utc_now()
    async with transaction():
        requeued = await OutboxMessage.filter(id=message_id, status=MailStatus.FAILED).update(
            status=MailStatus.QUEUED,
            queued_at=now,
            next_attempt_at=now,
            claim_token="",
            claimed_until=None,
        )
        if not requeued:
            raise Invalid({"message": _("Seul un message en échec peut être renvoyé.")})
        message = await OutboxMessage.get(id=message_id)
        await record_event(
            actor=actor,
            action="mail.resent",
            summary=f"Courriel remis en file d'envoi : « {message.subject} » à {message.recipient}",
            object_type="outbox_message",
            object_id=message.id,
        )
    return message

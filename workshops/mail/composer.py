"""The MIME message of an outbox row: what the SMTP server or the `.eml` file receives.

The layout follows the one calendar programs send and read best: `multipart/mixed` holding a
`multipart/alternative` (plain text, HTML and, when dates matter, `text/calendar; method=...`)
and the same calendar as an `invitation.ics` attachment for programs that ignore the inline part.
"""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from workshops.kernel.settings import Settings
from workshops.mail.models import OutboxMessage

CALENDAR_FILENAME = "invitation.ics"


def envelope_sender(settings: Settings) -> str:
    return parseaddr(settings.mail_from)[1]


def compose(message: OutboxMessage, settings: Settings, *, readable: bool = False) -> EmailMessage:
    """The e-mail of `message`, with its stable Message-ID and its creation date.

    Bodies are quoted-printable, which every SMTP server accepts; `readable` writes them as plain
    UTF-8 instead (8bit), for the `.eml` files a person opens in a text editor.
    """
    encoding = "8bit" if readable else "quoted-printable"
    mail = EmailMessage(policy=policy.SMTP)
    mail["From"] = settings.mail_from
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail["Date"] = format_datetime(message.created_at)
    mail["Message-ID"] = message.message_id
    # RFC 3834: an automatic message, to which out-of-office robots should not answer.
    mail["Auto-Submitted"] = "auto-generated"
    mail["X-Auto-Response-Suppress"] = "All"
    mail.set_content(message.text_body, cte=encoding)
    mail.add_alternative(message.html_body, subtype="html", cte=encoding)
    if message.calendar:
        params = {"method": message.calendar_method}
        mail.add_alternative(message.calendar, subtype="calendar", params=params, cte=encoding)
        mail.add_attachment(
            message.calendar.encode("utf-8"),
            maintype="application",
            subtype="ics",
            filename=CALENDAR_FILENAME,
        )
    return mail

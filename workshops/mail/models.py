"""The outbox: every e-mail the platform sends, written before it is sent.

A message is a row from the moment the change that causes it is committed (same transaction), so a
crash or an SMTP outage never loses it; the worker then claims, sends and records each attempt.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model


class MailStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Model):
    id = fields.BigIntField(primary_key=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # Start of the 24-hour retry window: creation, or the last "send again" by an administrator.
    queued_at = fields.DatetimeField()
    template = fields.CharField(max_length=100)
    recipient = fields.CharField(max_length=254)
    subject = fields.CharField(max_length=300)
    text_body = fields.TextField()
    html_body = fields.TextField()
    calendar = fields.TextField(default="")
    calendar_method = fields.CharField(max_length=20, default="")
    # Chosen once at creation: a retry carries the same Message-ID, so a receiving system can
    # recognise a copy that got through twice.
    message_id = fields.CharField(max_length=200, unique=True)
    # A message carrying a secret link (password reset, invitation) loses its bodies once sent.
    sensitive = fields.BooleanField(default=False)
    status = fields.CharEnumField(MailStatus, max_length=10, default=MailStatus.QUEUED)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    claim_token = fields.CharField(max_length=32, default="")
    claimed_until = fields.DatetimeField(null=True)
    last_error = fields.TextField(default="")
    sent_at = fields.DatetimeField(null=True)

    attempt_log: fields.ReverseRelation[MailAttempt]

    class Meta:
        table = "outbox_message"
        ordering = ("-created_at", "-id")
        indexes = (
            Index(fields=("status", "next_attempt_at"), name="outbox_message_due"),
            Index(fields=("created_at",), name="outbox_message_time"),
        )


class MailAttempt(Model):
    """One failed attempt to send a message, with what the server or the network said."""

    id = fields.BigIntField(primary_key=True)
    message: fields.ForeignKeyRelation[OutboxMessage] = fields.ForeignKeyField(
        "workshops.OutboxMessage", related_name="attempt_log", on_delete=fields.CASCADE
    )
    attempted_at = fields.DatetimeField()
    error = fields.TextField()

    class Meta:
        table = "outbox_attempt"
        ordering = ("attempted_at", "id")

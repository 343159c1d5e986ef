"""The outbox worker: claim due messages, send them, record each attempt, retry or give up.

Claiming is safe with several workers. On PostgreSQL the due rows are read with
`FOR UPDATE SKIP LOCKED`, so concurrent workers pick different rows without waiting; on every
database the claim itself is one conditional UPDATE (still due, not claimed by someone else), so
even without row locks (SQLite) a message is claimed by one worker only. A claim is a lease: if the
worker dies, the message becomes due again when the lease ends. The lease is renewed, with the same
conditional check, just before each message is sent.

Retries follow `RETRY_DELAYS` then every `RETRY_INTERVAL`, for `GIVE_UP_AFTER` from the moment the
message was queued; then it is `failed`, and an administrator may send it again.

Once the SMTP server has accepted a message, recording it as sent is tried again for a few
seconds (`RECORD_RETRY_DELAYS`) if the database fails, and a message whose outcome cannot be
recorded does not hold back the rest of the batch. The one duplicate left possible: the server
accepted a message and the worker died (or the database stayed out of reach for the whole of the
retries) before the status was written; the message goes again after the lease, with the same
Message-ID, which lets a mail client show it once.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime, timedelta

from tortoise.expressions import F, Q

from workshops.kernel.clock import utc_now
from workshops.kernel.db import transaction
from workshops.kernel.settings import Settings
from workshops.mail.composer import compose
from workshops.mail.models import MailAttempt, MailStatus, OutboxMessage
from workshops.mail.transports import PermanentFailure, Transport, transport_for

logger = logging.getLogger("workshops.mail")

RETRY_DELAYS = (
    timedelta(seconds=10),
    timedelta(seconds=30),
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
)
RETRY_INTERVAL = timedelta(minutes=30)
GIVE_UP_AFTER = timedelta(hours=24)
BATCH_SIZE = 20
MAX_BATCHES_PER_RUN = 50
ERASED_BODY = "[Contenu effacé après l'envoi : ce message contenait un lien personnel.]"
INTERRUPTED = "Envoi interrompu (le processus d'envoi s'est arrêté) ; message repris."
# Seconds between attempts to record that the SMTP server accepted a message.
RECORD_RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0, 4.0)


def lease_duration(settings: Settings) -> timedelta:
    """How long a claim holds: well beyond one SMTP exchange, whose steps each have the timeout."""
    return max(timedelta(minutes=2), timedelta(seconds=10 * settings.smtp_timeout))


def next_attempt_after(failures: int, *, now: datetime) -> datetime:
    """When to try again after the `failures`-th failed attempt."""
    delay = RETRY_DELAYS[failures - 1] if failures <= len(RETRY_DELAYS) else RETRY_INTERVAL
    return now + delay


def _due(now: datetime) -> Q:
    queued = Q(status=MailStatus.QUEUED, next_attempt_at__lte=now)
    abandoned = Q(status=MailStatus.SENDING, claimed_until__lt=now)
    return queued | abandoned


async def claim_due_messages(
    *, settings: Settings, now: datetime, limit: int = BATCH_SIZE
) -> list[OutboxMessage]:
    """Claim up to `limit` due messages for this worker; each is claimed by one worker only."""
    token = uuid.uuid4().hex
    async with transaction():
        # A model query: Tortoise drops FOR UPDATE from `values_list` queries.
        rows = (
            await OutboxMessage.filter(_due(now))
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "id")
            .limit(limit)
        )
        if not rows:
            return []
        ids = [row.id for row in rows]
        claimed = await OutboxMessage.filter(_due(now), id__in=ids).update(
            status=MailStatus.SENDING,
            claim_token=token,
            claimed_until=now + lease_duration(settings),
            attempts=F("attempts") + 1,
        )
        if not claimed:
            return []
        abandoned = [row.id for row in rows if row.status is MailStatus.SENDING]
        if abandoned:
            await _log_interrupted(token, abandoned, now)
    return list(await OutboxMessage.filter(claim_token=token).order_by("next_attempt_at", "id"))


async def _log_interrupted(token: str, ids: list[int], now: datetime) -> None:
    taken = await OutboxMessage.filter(claim_token=token, id__in=ids).values_list("id", flat=True)
    await MailAttempt.bulk_create(
        [
            MailAttempt(message_id=message_id, attempted_at=now, error=INTERRUPTED)
            for message_id in taken
        ]
    )


async def _renew_lease(message: OutboxMessage, settings: Settings) -> bool:
    """Make sure our claim holds long enough to send; False if another worker has taken it over.

    While more than half of the lease is left nobody else can have claimed the message, so the
    database is only asked again when the batch has been slow.
    """
    lease = lease_duration(settings)
    now = utc_now()
    if message.claimed_until is not None and message.claimed_until - now > lease / 2:
        return True
    renewed = await OutboxMessage.filter(
        id=message.id, claim_token=message.claim_token, status=MailStatus.SENDING
    ).update(claimed_until=now + lease)
    return renewed == 1


async def _record_sent(message: OutboxMessage) -> None:
    """Record the server's acceptance, tried again while the database recovers: giving up
    here means sending the message a second time after the lease."""
    for delay in RECORD_RETRY_DELAYS:
        try:
            await _mark_sent(message)
            return
        except Exception as error:
            logger.warning("Courriel %s envoyé, état pas encore enregistré : %r", message.id, error)
            await asyncio.sleep(delay)
    await _mark_sent(message)


async def _mark_sent(message: OutboxMessage) -> None:
    changes: dict[str, object] = {
        "status": MailStatus.SENT,
        "sent_at": utc_now(),
        "claimed_until": None,
        "last_error": "",
    }
    if message.sensitive:
        changes.update(text_body=ERASED_BODY, html_body=ERASED_BODY)
    await OutboxMessage.filter(id=message.id, claim_token=message.claim_token).update(**changes)


async def _record_failure(
    message: OutboxMessage, error: BaseException, *, now: datetime, permanent: bool = False
) -> None:
    text = f"{type(error).__name__} : {error}".strip()[:2000]
    retry_at = next_attempt_after(message.attempts, now=now)
    gives_up = permanent or retry_at > message.queued_at + GIVE_UP_AFTER
    async with transaction():
        await MailAttempt.create(message_id=message.id, attempted_at=now, error=text)
        await OutboxMessage.filter(id=message.id, claim_token=message.claim_token).update(
            status=MailStatus.FAILED if gives_up else MailStatus.QUEUED,
            next_attempt_at=message.next_attempt_at if gives_up else retry_at,
            claimed_until=None,
            last_error=text,
        )
    logger.warning("Courriel %s vers %s : %s", message.id, message.recipient, text)


async def _deliver(
    message: OutboxMessage, transport: Transport, settings: Settings, now: datetime
) -> None:
    if not await _renew_lease(message, settings):
        return
    try:
        mail = compose(message, settings, readable=transport.readable)
        await transport.send(mail, name=f"{message.id:08d}-{message.recipient}")
    except PermanentFailure as refusal:
        await _record_failure(message, refusal, now=now, permanent=True)
    except Exception as error:  # Any failure of the network or the server: try again later.
        await _record_failure(message, error, now=now)
    else:
        await _record_sent(message)


async def _deliver_apart(
    message: OutboxMessage, transport: Transport, settings: Settings, now: datetime
) -> None:
    """One message whose outcome cannot be recorded stays claimed until its lease ends and is
    taken up again then; the rest of the batch goes on."""
    try:
        await _deliver(message, transport, settings, now)
    except Exception as error:
        logger.warning(
            "Courriel %s : état non enregistré (%r) ; repris après le bail.", message.id, error
        )


async def deliver_due_mail(settings: Settings, *, now: datetime | None = None) -> int:
    """Send what is due, batch after batch; return how many messages were attempted."""
    attempted = 0
    for _batch in range(MAX_BATCHES_PER_RUN):
        moment = now or utc_now()
        messages = await claim_due_messages(settings=settings, now=moment)
        if not messages:
            break
        async with transport_for(settings) as transport:
            for message in messages:
                await _deliver_apart(message, transport, settings, moment)
        attempted += len(messages)
    return attempted


async def send_due_mail(settings: Settings) -> None:
    """The worker job (see `workshops.worker.JOBS`)."""
    await deliver_due_mail(settings)

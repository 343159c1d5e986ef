"""Sending the outbox to a real SMTP server: arrival, outages, retries, leases, giving up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest

from tests.conftest import TEST_DATABASE_URL
from tests.mail.conftest import smtp_settings
from tests.mail.helpers import queue_reset_mail
from tests.mail.smtp import RefusingInbox, SmtpServer, free_port
from workshops.kernel.clock import utc_now
from workshops.kernel.db import transaction
from workshops.kernel.ics import CalendarEvent, build_attachment
from workshops.kernel.settings import Settings
from workshops.mail import delivery, enqueue_mail
from workshops.mail.delivery import (
    ERASED_BODY,
    GIVE_UP_AFTER,
    INTERRUPTED,
    claim_due_messages,
    deliver_due_mail,
    next_attempt_after,
)
from workshops.mail.models import MailAttempt, MailStatus, OutboxMessage


async def _queue_many(settings: Settings, count: int) -> None:
    async with transaction():
        for number in range(count):
            await enqueue_mail(
                settings=settings,
                to=f"famille{number}@exemple.fr",
                template="password_reset",
                context={"full_name": f"Famille {number}", "reset_url": "https://x.example/"},
            )


async def _assert_each_arrived_once(server: SmtpServer, count: int) -> None:
    received = server.inbox.message_ids()
    expected = [message.message_id for message in await OutboxMessage.all()]
    assert len(received) == count
    assert sorted(received) == sorted(expected)
    assert await OutboxMessage.filter(status=MailStatus.SENT).count() == count


def _parts(mail: EmailMessage) -> dict[str, EmailMessage]:
    return {part.get_content_type(): part for part in mail.walk() if not part.is_multipart()}


def _session_event(*, cancelled: bool = False, sequence: int = 0) -> CalendarEvent:
    return CalendarEvent(
        uid="session-7@ateliers.example",
        sequence=sequence,
        start=datetime(2026, 3, 28, 9, 0, tzinfo=UTC),
        end=datetime(2026, 3, 28, 10, 30, tzinfo=UTC),
        summary="Massage bébé – séance 1",
        updated_at=datetime(2026, 3, 1, tzinfo=UTC),
        location="Centre socio-culturel Robert Schuman, Haguenau",
        cancelled=cancelled,
    )


async def test_a_message_arrives_once_as_text_and_html_with_french_accents(
    database: Settings, smtp_server: SmtpServer
) -> None:
    settings = smtp_settings(database.data_dir, smtp_server.port)
    message = await queue_reset_mail(settings, name="Hélène Gaël Çelik")

    assert await deliver_due_mail(settings) == 1
    assert await deliver_due_mail(settings) == 0

    assert len(smtp_server.inbox.received) == 1
    mail = smtp_server.inbox.received[0]
    assert mail["Subject"] == "Choisir un nouveau mot de passe"
    assert mail["Message-ID"] == message.message_id
    assert mail["To"] == "claire.martin@exemple.fr"
    assert mail.get_content_type() == "multipart/alternative"
    parts = _parts(mail)
    assert set(parts) == {"text/plain", "text/html"}
    text = parts["text/plain"].get_content()
    html = parts["text/html"].get_content()
    assert "Bonjour Hélène Gaël Çelik," in text
    assert "<" not in text
    assert "Bonjour Hélène Gaël Çelik," in html
    assert '<a href="https://ateliers.example/lien"' in html
    assert smtp_server.inbox.envelopes == [
        ("ne-pas-repondre@ateliers.example", ["claire.martin@exemple.fr"])
    ]
    stored = await OutboxMessage.get(id=message.id)
    assert stored.status is MailStatus.SENT
    assert stored.sent_at is not None
    assert stored.attempts == 1


async def test_an_accented_subject_survives_the_trip(
    database: Settings, smtp_server: SmtpServer
) -> None:
    settings = smtp_settings(database.data_dir, smtp_server.port)
    await queue_reset_mail(settings, "b@exemple.fr")
    await OutboxMessage.all().update(subject="Séance annulée : éveil à la lecture")

    await deliver_due_mail(settings)

    assert smtp_server.inbox.received[0]["Subject"] == "Séance annulée : éveil à la lecture"


async def test_a_calendar_attachment_travels_as_a_text_calendar_part(
    database: Settings, smtp_server: SmtpServer
) -> None:
    settings = smtp_settings(database.data_dir, smtp_server.port)
    calendar = build_attachment(
        _session_event(),
        zone="Europe/Paris",
        organizer_email="ne-pas-repondre@ateliers.example",
        organizer_name="Ateliers parents-enfants",
        attendee="famille@exemple.fr",
    )
    await queue_reset_mail(settings, "famille@exemple.fr", calendar=calendar)

    await deliver_due_mail(settings)

    mail = smtp_server.inbox.received[0]
    assert mail.get_content_type() == "multipart/mixed"
    inline = [part for part in mail.walk() if part.get_content_type() == "text/calendar"]
    assert len(inline) == 1
    assert inline[0].get_param("method") == "REQUEST"
    content = inline[0].get_content()
    assert "METHOD:REQUEST" in content
    assert "UID:session-7@ateliers.example" in content
    assert "SUMMARY:Massage bébé – séance 1" in content
    attachments = [part for part in mail.iter_attachments()]
    assert [part.get_filename() for part in attachments] == ["invitation.ics"]


async def test_smtp_down_keeps_the_message_queued_then_it_arrives_exactly_once(
    database: Settings,
) -> None:
    port = free_port()
    settings = smtp_settings(database.data_dir, port)
    message = await queue_reset_mail(settings)
    now = utc_now()

    await deliver_due_mail(settings, now=now)

    queued = await OutboxMessage.get(id=message.id)
    assert queued.status is MailStatus.QUEUED
    assert queued.attempts == 1
    assert queued.last_error
    assert queued.next_attempt_at == now + timedelta(seconds=10)
    errors = [attempt.error for attempt in await MailAttempt.filter(message_id=message.id)]
    assert errors == [queued.last_error]

    server = SmtpServer(port)
    server.start()
    try:
        assert await deliver_due_mail(settings, now=now + timedelta(seconds=5)) == 0
        assert server.inbox.received == []
        await deliver_due_mail(settings, now=now + timedelta(seconds=11))
        await deliver_due_mail(settings, now=now + timedelta(minutes=5))
    finally:
        server.stop()

    assert server.inbox.message_ids() == [message.message_id]
    sent = await OutboxMessage.get(id=message.id)
    assert sent.status is MailStatus.SENT
    assert sent.attempts == 2
    assert sent.last_error == ""


async def test_every_failed_attempt_is_kept_with_growing_delays(database: Settings) -> None:
    settings = smtp_settings(database.data_dir, free_port())
    message = await queue_reset_mail(settings)
    moment = utc_now()
    delays = []
    for _attempt in range(7):
        await deliver_due_mail(settings, now=moment)
        current = await OutboxMessage.get(id=message.id)
        delays.append(current.next_attempt_at - moment)
        moment = current.next_attempt_at

    assert delays == [
        timedelta(seconds=10),
        timedelta(seconds=30),
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=15),
        timedelta(minutes=30),
        timedelta(minutes=30),
    ]
    assert await MailAttempt.filter(message_id=message.id).count() == 7


async def test_a_message_still_failing_after_24_hours_is_marked_failed(
    database: Settings,
) -> None:
    settings = smtp_settings(database.data_dir, free_port())
    message = await queue_reset_mail(settings)
    moment = utc_now()
    for _attempt in range(60):
        await deliver_due_mail(settings, now=moment)
        current = await OutboxMessage.get(id=message.id)
        if current.status is MailStatus.FAILED:
            break
        moment = current.next_attempt_at

    assert current.status is MailStatus.FAILED
    assert moment - message.queued_at <= GIVE_UP_AFTER
    assert current.attempts == await MailAttempt.filter(message_id=message.id).count()
    assert current.attempts > 40


def test_retry_delays_follow_the_design() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert next_attempt_after(1, now=start) == start + timedelta(seconds=10)
    assert next_attempt_after(5, now=start) == start + timedelta(minutes=15)
    assert next_attempt_after(6, now=start) == start + timedelta(minutes=30)
    assert next_attempt_after(40, now=start) == start + timedelta(minutes=30)


async def test_a_refused_recipient_fails_at_once_without_retrying(database: Settings) -> None:
    server = SmtpServer(free_port(), RefusingInbox())
    server.start()
    try:
        settings = smtp_settings(database.data_dir, server.port)
        message = await queue_reset_mail(settings, "inconnu@exemple.fr")
        await deliver_due_mail(settings)
    finally:
        server.stop()

    failed = await OutboxMessage.get(id=message.id)
    assert failed.status is MailStatus.FAILED
    assert "550" in failed.last_error
    assert server.inbox.received == []


async def test_a_claimed_message_is_not_claimed_again_until_its_lease_ends(
    database: Settings,
) -> None:
    settings = smtp_settings(database.data_dir, free_port())
    message = await queue_reset_mail(settings)
    now = utc_now()

    first = await claim_due_messages(settings=settings, now=now)
    second = await claim_due_messages(settings=settings, now=now + timedelta(seconds=30))
    assert [m.id for m in first] == [message.id]
    assert second == []

    # The worker that claimed it died: after the lease, another one takes it over.
    after_lease = now + timedelta(minutes=6)
    third = await claim_due_messages(settings=settings, now=after_lease)
    assert [m.id for m in third] == [message.id]
    assert third[0].claim_token != first[0].claim_token
    assert third[0].attempts == 2
    log = [attempt.error for attempt in await MailAttempt.filter(message_id=message.id)]
    assert log == [INTERRUPTED]


async def test_a_worker_that_lost_its_lease_does_not_send(
    database: Settings, smtp_server: SmtpServer
) -> None:
    from workshops.mail.delivery import _deliver
    from workshops.mail.transports import transport_for

    settings = smtp_settings(database.data_dir, smtp_server.port)
    await queue_reset_mail(settings)
    now = utc_now()
    await OutboxMessage.all().update(next_attempt_at=now - timedelta(minutes=10))
    # A worker claimed it six minutes ago and stalled; another one took it over just now.
    [stale] = await claim_due_messages(settings=settings, now=now - timedelta(minutes=6))
    [fresh] = await claim_due_messages(settings=settings, now=now)

    async with transport_for(settings) as transport:
        await _deliver(stale, transport, settings, now)
    assert smtp_server.inbox.received == []

    async with transport_for(settings) as transport:
        await _deliver(fresh, transport, settings, now)
    assert len(smtp_server.inbox.received) == 1


async def test_a_secret_link_is_erased_from_the_outbox_once_sent(
    database: Settings, smtp_server: SmtpServer
) -> None:
    settings = smtp_settings(database.data_dir, smtp_server.port)
    message = await queue_reset_mail(settings, sensitive=True)

    await deliver_due_mail(settings)

    stored = await OutboxMessage.get(id=message.id)
    assert stored.text_body == ERASED_BODY
    assert "ateliers.example/lien" not in stored.html_body
    assert "https://ateliers.example/lien" in str(
        _parts(smtp_server.inbox.received[0])["text/plain"].get_content()
    )


async def test_without_smtp_host_messages_are_written_as_eml_files(database: Settings) -> None:
    assert not database.smtp_host
    message = await queue_reset_mail(database, name="Zoé")

    await deliver_due_mail(database)
    await deliver_due_mail(database)

    files = sorted(database.mail_dir.glob("*.eml"))
    assert [path.name for path in files] == [f"{message.id:08d}-claire.martin-exemple.fr.eml"]
    content = files[0].read_text(encoding="utf-8")
    assert "Bonjour Zoé," in content  # Plain UTF-8, readable in any text editor.
    assert f"Message-ID: {message.message_id}" in content
    assert "Subject: Choisir un nouveau mot de passe" in content
    assert (await OutboxMessage.get(id=message.id)).status is MailStatus.SENT


async def test_one_worker_sends_a_thousand_messages_each_exactly_once(
    database: Settings, smtp_server: SmtpServer
) -> None:
    settings = smtp_settings(database.data_dir, smtp_server.port)
    await _queue_many(settings, 1000)

    await deliver_due_mail(settings)

    await _assert_each_arrived_once(smtp_server, 1000)


@pytest.mark.skipif(
    not TEST_DATABASE_URL,
    reason="Plusieurs workers en parallèle demandent PostgreSQL (FOR UPDATE SKIP LOCKED) ; "
    "SQLite n'a qu'un worker intégré, testé ci-dessus.",
)
async def test_four_workers_send_a_thousand_messages_each_exactly_once(
    database: Settings, smtp_server: SmtpServer
) -> None:
    import asyncio

    settings = smtp_settings(database.data_dir, smtp_server.port)
    await _queue_many(settings, 1000)

    counts = await asyncio.gather(*(deliver_due_mail(settings) for _worker in range(4)))

    await _assert_each_arrived_once(smtp_server, 1000)
    assert sum(counts) == 1000
    assert sum(1 for count in counts if count) > 1, "the work was shared between workers"


async def test_a_message_left_sending_by_a_dead_worker_arrives_after_the_lease(
    database: Settings, smtp_server: SmtpServer
) -> None:
    settings = smtp_settings(database.data_dir, smtp_server.port)
    message = await queue_reset_mail(settings)
    now = utc_now()
    await OutboxMessage.all().update(next_attempt_at=now - timedelta(minutes=20))
    # A worker claimed it ten minutes ago, then its process was killed before sending.
    [claimed] = await claim_due_messages(settings=settings, now=now - timedelta(minutes=10))
    assert claimed.status is MailStatus.SENDING

    await deliver_due_mail(settings)

    assert smtp_server.inbox.message_ids() == [message.message_id]
    stored = await OutboxMessage.get(id=message.id)
    assert stored.status is MailStatus.SENT
    assert stored.attempts == 2
    assert [a.error for a in await MailAttempt.filter(message_id=message.id)] == [INTERRUPTED]


async def test_recording_sent_is_tried_again_and_one_message_does_not_hold_back_the_batch(
    database: Settings, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = smtp_settings(database.data_dir, smtp_server.port)
    await _queue_many(settings, 3)
    first, stuck, last = [message.id for message in await OutboxMessage.all().order_by("id")]
    failures = {first: 2, stuck: 1_000}  # the database fails twice, or for good, on these
    mark_sent = delivery._mark_sent

    async def flaky_mark_sent(message: OutboxMessage) -> None:
        if failures.get(message.id, 0) > 0:
            failures[message.id] -= 1
            raise ConnectionResetError("connection reset by the database")
        await mark_sent(message)

    monkeypatch.setattr(delivery, "_mark_sent", flaky_mark_sent)
    monkeypatch.setattr(delivery, "RECORD_RETRY_DELAYS", (0.01, 0.01, 0.01))

    assert await deliver_due_mail(settings) == 3

    assert len(smtp_server.inbox.received) == 3  # each went once, none held back
    statuses = dict(await OutboxMessage.all().values_list("id", "status"))
    assert statuses == {first: MailStatus.SENT, stuck: MailStatus.SENDING, last: MailStatus.SENT}
    # Within its lease, the one whose outcome could not be written is not sent again.
    assert await deliver_due_mail(settings) == 0
    assert len(smtp_server.inbox.received) == 3

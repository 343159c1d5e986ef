"""`enqueue_mail` and the outbox operations: one row per message, in the caller's transaction."""

from __future__ import annotations

import pytest

from tests.factories import make_organisation, make_user
from tests.mail.helpers import queue_reset_mail
from workshops.accounts.models import Role
from workshops.accounts.signin import load_staff
from workshops.audit.events import Actor
from workshops.audit.models import AuditEvent
from workshops.kernel.db import transaction
from workshops.kernel.ics import CalendarEvent, build_attachment
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.mail import enqueue_mail, outbox
from workshops.mail.models import MailStatus, OutboxMessage


class Rollback(Exception):
    """Raised inside a transaction to undo it, as a failing change would."""


async def test_a_message_is_only_kept_when_the_change_that_caused_it_is(
    database: Settings,
) -> None:
    with pytest.raises(Rollback):
        async with transaction():
            await enqueue_mail(
                settings=database,
                to="famille@exemple.fr",
                template="password_reset",
                context={"full_name": "Famille", "reset_url": "https://x.example/"},
            )
            raise Rollback()
    assert await OutboxMessage.all().count() == 0

    await queue_reset_mail(database, "famille@exemple.fr")
    assert await OutboxMessage.all().count() == 1


async def test_a_queued_message_is_due_now_with_a_message_id_of_the_sender_domain(
    database: Settings,
) -> None:
    message = await queue_reset_mail(database, " Famille@Exemple.FR ")

    assert message.recipient == "famille@exemple.fr"
    assert message.status is MailStatus.QUEUED
    assert message.attempts == 0
    assert message.next_attempt_at == message.queued_at
    assert message.message_id.startswith("<") and message.message_id.endswith("@localhost>")
    other = await queue_reset_mail(database, "famille@exemple.fr")
    assert other.message_id != message.message_id


async def test_a_malformed_recipient_is_refused(database: Settings) -> None:
    with pytest.raises(Invalid):
        await queue_reset_mail(database, "pas une adresse")
    assert await OutboxMessage.all().count() == 0


async def test_the_calendar_method_is_read_from_the_attachment(database: Settings) -> None:
    from datetime import UTC, datetime, timedelta

    start = datetime(2026, 10, 24, 8, tzinfo=UTC)
    event = CalendarEvent(
        uid="session-1@x",
        sequence=2,
        start=start,
        end=start + timedelta(hours=1),
        summary="Portage",
        updated_at=start,
        cancelled=True,
    )
    calendar = build_attachment(
        event, zone="Europe/Paris", organizer_email="a@b.fr", organizer_name="A", attendee="c@d.fr"
    )

    message = await queue_reset_mail(database, calendar=calendar)

    assert message.calendar_method == "CANCEL"
    assert message.calendar.startswith("BEGIN:VCALENDAR")


async def test_searching_the_outbox_by_part_of_an_address(database: Settings) -> None:
    for address in ("claire@pmi67.fr", "marc@csc.fr", "claire.b@exemple.fr"):
        await queue_reset_mail(database, address)

    found, total = await outbox.list_messages(recipient="CLAIRE")

    assert total == 2
    assert sorted(message.recipient for message in found) == [
        "claire.b@exemple.fr",
        "claire@pmi67.fr",
    ]


async def test_only_a_failed_message_can_be_sent_again_and_it_is_audited(
    database: Settings,
) -> None:
    admin = await make_user(await make_organisation(), Role.ADMIN)
    staff = await load_staff(admin.id, admin.session_version)
    actor = Actor(staff=staff, ip_address="10.0.0.1")
    message = await queue_reset_mail(database)

    with pytest.raises(Invalid):
        await outbox.resend_message(actor=actor, message_id=message.id)

    await OutboxMessage.filter(id=message.id).update(status=MailStatus.FAILED, attempts=48)
    resent = await outbox.resend_message(actor=actor, message_id=message.id)

    assert resent.status is MailStatus.QUEUED
    assert resent.queued_at > message.queued_at
    [event] = await AuditEvent.filter(action="mail.resent")
    assert event.actor_label == admin.email
    assert event.object_id == str(message.id)

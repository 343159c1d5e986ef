"""Reminders to both parties before each deadline: once each, whatever the number of runs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tortoise.exceptions import IntegrityError

from tests.partners.factories import make_partnership
from tests.rooms.factories import make_person
from workshops import worker
from workshops.accounts.models import Organisation, Role
from workshops.kernel.clock import local_today
from workshops.kernel.settings import Settings
from workshops.mail.models import OutboxMessage
from workshops.partners.models import (
    Convention,
    ConventionDocument,
    ConventionReminder,
    DocumentKind,
    ReminderKind,
)
from workshops.partners.reminders import (
    REMINDER_LEAD_DAYS,
    queue_reminders,
    send_convention_reminders,
)
from workshops.partners.terms import add_months


async def _reminders() -> list[tuple[str, date]]:
    rows = await ConventionReminder.all().order_by("due_on")
    return [(str(row.kind), row.due_on) for row in rows]


async def test_the_notice_deadline_is_announced_thirty_days_ahead_and_only_once(
    database: Settings,
) -> None:
    await make_partnership()  # notice deadline of the first renewal: 2026-06-01
    assert REMINDER_LEAD_DAYS == 30

    assert await queue_reminders(settings=database, today=date(2026, 5, 1)) == 0
    assert await queue_reminders(settings=database, today=date(2026, 5, 2)) == 1
    assert await queue_reminders(settings=database, today=date(2026, 5, 2)) == 0
    assert await queue_reminders(settings=database, today=date(2026, 6, 1)) == 0
    assert await queue_reminders(settings=database, today=date(2026, 6, 2)) == 0

    assert await _reminders() == [("notice", date(2026, 6, 1))]


async def test_both_parties_coordinators_managers_and_contact_addresses_are_told(
    database: Settings,
) -> None:
    partnership = await make_partnership()
    await Organisation.filter(id=partnership.centre.id).update(contact_email="accueil@csc.fr")
    await Organisation.filter(id=partnership.pmi.id).update(contact_email="pmi@cd67.fr")
    await make_person(partnership.pmi, Role.FACILITATOR)  # facilitators are not told

    await queue_reminders(settings=database, today=date(2026, 5, 20))

    sent_to = await OutboxMessage.all().values_list("recipient", flat=True)
    recipients = sorted(str(address) for address in sent_to)
    assert recipients == sorted(
        [
            partnership.coordinator.user.email,
            partnership.manager.user.email,
            "accueil@csc.fr",
            "pmi@cd67.fr",
        ]
    )
    message = await OutboxMessage.first()
    assert message is not None
    assert "date limite de dénonciation le lundi 1 juin 2026" in message.subject
    assert f"/pro/conventions/{partnership.convention.id}" in message.text_body


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 8, 1), []),
        (date(2026, 8, 2), [("renewal", date(2026, 9, 1))]),
        (date(2026, 9, 1), [("renewal", date(2026, 9, 1))]),
        (date(2026, 9, 2), []),
        (date(2030, 7, 31), []),
        (date(2030, 8, 1), [("end", date(2030, 8, 31))]),
        (date(2030, 8, 31), [("end", date(2030, 8, 31))]),
        (date(2030, 9, 1), []),
    ],
)
async def test_renewal_and_five_year_end_are_announced_from_thirty_days_before_to_the_day(
    database: Settings, today: date, expected: list[tuple[str, date]]
) -> None:
    await make_partnership()
    await queue_reminders(settings=database, today=today)
    assert await _reminders() == expected


async def test_a_draft_convention_sends_no_reminder(database: Settings) -> None:
    await make_partnership(signed_on=None)
    assert await queue_reminders(settings=database, today=date(2026, 5, 20)) == 0


async def test_a_terminated_convention_announces_its_last_day_not_its_renewals(
    database: Settings,
) -> None:
    partnership = await make_partnership()
    await Convention.filter(id=partnership.convention.id).update(terminated_on=date(2026, 8, 31))

    await queue_reminders(settings=database, today=date(2026, 8, 10))

    assert await _reminders() == [("end", date(2026, 8, 31))]


async def test_only_the_latest_certificate_of_a_party_is_announced_before_it_expires(
    database: Settings,
) -> None:
    partnership = await make_partnership()
    for number, expires_on in enumerate((date(2026, 3, 31), date(2027, 3, 31))):
        await ConventionDocument.create(
            convention_id=partnership.convention.id,
            kind=DocumentKind.INSURANCE,
            party_id=partnership.centre.id,
            expires_on=expires_on,
            stored_name=f"stored-{number}.pdf",
            original_name="attestation.pdf",
            size=10,
        )

    await queue_reminders(settings=database, today=date(2026, 3, 20))
    assert await _reminders() == []  # replaced by next year's certificate
    await queue_reminders(settings=database, today=date(2027, 3, 20))
    assert await _reminders() == [("certificate", date(2027, 3, 31))]


async def test_the_worker_sends_a_reminder_once_even_when_it_runs_twice(
    database: Settings,
) -> None:
    assert send_convention_reminders in worker.JOBS
    partnership = await make_partnership()
    renewal = local_today(database.zone) + timedelta(days=20)
    await Convention.filter(id=partnership.convention.id).update(
        starts_on=add_months(renewal, -12), signed_on=add_months(renewal, -13)
    )

    await worker.run_once(database)
    await worker.run_once(database)

    assert await _reminders() == [("renewal", renewal)]
    # Two recipients (coordinator and manager), one message each, sent by the same runs.
    assert await OutboxMessage.all().count() == 2


async def test_the_database_refuses_a_second_copy_of_a_reminder(database: Settings) -> None:
    partnership = await make_partnership()
    convention_id = partnership.convention.id
    due_on = date(2026, 6, 1)
    await ConventionReminder.create(
        convention_id=convention_id, kind=ReminderKind.NOTICE, due_on=due_on
    )
    with pytest.raises(IntegrityError):
        await ConventionReminder.create(
            convention_id=convention_id, kind=ReminderKind.NOTICE, due_on=due_on
        )

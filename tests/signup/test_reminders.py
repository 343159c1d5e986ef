"""Reminders go out once, 48 hours before each session, to confirmed families who agreed."""

from __future__ import annotations

from datetime import timedelta

from tests.planning.factories import make_workshop
from tests.signup.helpers import family, mails_to
from workshops import worker
from workshops.kernel.clock import utc_now
from workshops.kernel.settings import Settings
from workshops.signup.registering import register_family
from workshops.signup.reminders import queue_due_reminders, send_due_reminders


async def test_a_consenting_family_is_reminded_once_before_each_session(
    database: Settings,
) -> None:
    workshop = await make_workshop(days_ahead=1, sessions=2, capacity=3)
    for one in (
        family("oui@exemple.fr"),
        family("non@exemple.fr", reminders=False),
        family("aussi@exemple.fr"),  # the third and last place
        family("liste@exemple.fr"),  # waitlisted
    ):
        await register_family(settings=database, workshop_id=workshop.id, family=one)

    assert await queue_due_reminders(database) == 2
    assert await queue_due_reminders(database) == 0
    [reminder] = await mails_to("oui@exemple.fr", "session_reminder")
    assert reminder.calendar.count("BEGIN:VEVENT") == 1
    assert await mails_to("non@exemple.fr", "session_reminder") == []
    assert await mails_to("liste@exemple.fr", "session_reminder") == []

    a_week_later = utc_now() + timedelta(days=7)
    assert await queue_due_reminders(database, now=a_week_later) == 2
    assert len(await mails_to("oui@exemple.fr", "session_reminder")) == 2


def test_the_worker_runs_the_reminders() -> None:
    assert send_due_reminders in worker.JOBS

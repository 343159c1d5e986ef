"""A family cancels through its link until the cutoff; after it, it is told to call the centre."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.planning.factories import make_workshop
from tests.signup.helpers import family, mails_to
from workshops.kernel.clock import utc_now
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.signup.cancelling import cancel_by_family
from workshops.signup.models import RegistrationStatus
from workshops.signup.registering import register_family


async def test_a_family_cancels_before_the_cutoff_and_gets_a_cancelled_calendar(
    database: Settings,
) -> None:
    workshop = await make_workshop(days_ahead=3)
    outcome = await register_family(
        settings=database, workshop_id=workshop.id, family=family("paul@exemple.fr")
    )
    await cancel_by_family(settings=database, registration=outcome.registration)
    assert outcome.registration.status == RegistrationStatus.CANCELLED
    [mail] = await mails_to("paul@exemple.fr", "signup_cancelled")
    assert "METHOD:CANCEL" in mail.calendar


async def test_after_the_cutoff_the_link_no_longer_cancels(database: Settings) -> None:
    workshop = await make_workshop(days_ahead=2)
    outcome = await register_family(settings=database, workshop_id=workshop.id, family=family())
    late = utc_now() + timedelta(days=1, hours=1)  # 23 h before the session, cutoff is 24 h
    with pytest.raises(Invalid) as refused:
        await cancel_by_family(settings=database, registration=outcome.registration, now=late)
    assert "appelez le centre" in refused.value.errors["cancellation"]
    await outcome.registration.refresh_from_db()
    assert outcome.registration.status == RegistrationStatus.CONFIRMED

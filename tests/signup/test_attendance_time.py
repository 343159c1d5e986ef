"""Attendance is taken from a session's start on: refused ahead, the page says from when."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.factories import log_in
from tests.planning.factories import make_workshop
from tests.signup.helpers import family
from workshops.kernel.clock import utc_now
from workshops.kernel.i18n import format_datetime
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.planning.models import Facilitation, Session
from workshops.signup.models import Attendance
from workshops.signup.registering import register_family
from workshops.signup.roster import record_attendance

PARIS = ZoneInfo("Europe/Paris")


async def test_attendance_ahead_of_the_session_is_refused(database: Settings) -> None:
    workshop = await make_workshop(days_ahead=10)
    outcome = await register_family(settings=database, workshop_id=workshop.id, family=family())
    session = await Session.get(workshop_id=workshop.id)
    with pytest.raises(Invalid) as refused:
        await record_attendance(
            session=session,
            registration=outcome.registration,
            status="present",
            zone=PARIS,
            now=utc_now(),
        )
    assert refused.value.errors["status"] == (
        "La présence se note à partir du début de la séance, le "
        f"{format_datetime(session.starts_at, PARIS)}."
    )
    assert not await Attendance.exists()
    # From the start on it is taken.
    await record_attendance(
        session=session,
        registration=outcome.registration,
        status="present",
        zone=PARIS,
        now=session.starts_at,
    )
    assert (await Attendance.get()).status == "present"


async def test_the_page_of_a_future_session_offers_no_buttons_and_refuses_a_post(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(days_ahead=10, sessions=2)
    outcome = await register_family(settings=database, workshop_id=workshop.id, family=family())
    [lead] = await Facilitation.filter(workshop_id=workshop.id).prefetch_related("user")
    await log_in(client, lead.user.email)
    first, second = await Session.filter(workshop_id=workshop.id).order_by("starts_at")
    # The first session has started an hour ago; the second is a week ahead.
    await Session.filter(id=first.id).update(starts_at=utc_now() - timedelta(hours=1))

    page = await client.get(f"/pro/seances/{second.id}/presences")
    assert page.status_code == 200
    assert "La présence se note à partir du début de la séance, le " in page.text
    assert 'name="status"' not in page.text
    posted = await client.post(
        f"/pro/seances/{second.id}/presences/{outcome.registration.id}",
        data={"status": "present"},
    )
    assert posted.status_code == 422
    assert "La présence se note à partir du début de la séance" in posted.text
    assert not await Attendance.exists()

    held = await client.get(f"/pro/seances/{first.id}/presences")
    assert 'name="status"' in held.text
    assert "La présence se note" not in held.text

    # The workshop's page and « Mes prochaines séances » link to the started session only.
    for address in (f"/pro/ateliers/{workshop.id}", "/pro/ateliers/seances"):
        listing = await client.get(address)
        assert listing.status_code == 200
        assert f"/pro/seances/{first.id}/presences" in listing.text, address
        assert f"/pro/seances/{second.id}/presences" not in listing.text, address

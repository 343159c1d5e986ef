"""The demo convention has a finished convention year with figures to sign: not a page of zeros."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from workshops.accounts.models import Organisation
from workshops.demo import CONVENTION_START, CSC_SCHUMAN, PMI_NORD, load_demo
from workshops.evaluation.figures import Evaluation, evaluate
from workshops.evaluation.scope import Scope, ScopeKind, convention_year
from workshops.kernel.clock import utc_now
from workshops.kernel.settings import Settings
from workshops.partners.models import Convention
from workshops.planning.models import Session, Workshop
from workshops.rooms.models import RoomBooking
from workshops.signup.models import Attendance, Registration

ZONE = ZoneInfo("Europe/Paris")


async def _evaluate_first_year() -> Evaluation:
    pmi = await Organisation.get(name=PMI_NORD)
    centre = await Organisation.get(name=CSC_SCHUMAN)
    convention = await Convention.get(pmi_id=pmi.id, partner_id=centre.id)
    scope = Scope(ScopeKind.CONVENTION, convention_id=convention.id, partner_id=centre.id)
    period = convention_year(CONVENTION_START, 2025)
    return await evaluate(scope=scope, period=period, zone=ZONE, now=utc_now())


async def _counts() -> tuple[int, ...]:
    return (
        await Workshop.all().count(),
        await Session.all().count(),
        await RoomBooking.all().count(),
        await Registration.all().count(),
        await Attendance.all().count(),
    )


async def test_the_demo_convention_year_2025_2026_has_figures(database: Settings) -> None:
    await load_demo()
    evaluation = await _evaluate_first_year()
    activity = evaluation.current["activity"]
    assert (activity["sessions_held"], activity["sessions_cancelled"]) == (2, 1)
    assert activity["session_hours"] == 3.0
    participation = evaluation.current["participation"]
    assert participation["registrations"] == 12
    assert (participation["present"], participation["excused"], participation["absent"]) == (
        18,
        2,
        4,
    )
    assert participation["families"] == 12
    premises = evaluation.current["premises"]
    assert premises["loan_value"] == 75.0
    # The rooms were offered that year, and the centre answered a week after the request.
    assert premises["hours_offered"] > premises["hours_used"] > 0
    assert 0 < premises["occupancy_rate"] < 1
    assert premises["mean_response_hours"] == 169.0
    [cancellation] = activity["cancellations"]
    assert (cancellation["level"], cancellation["count"]) == ("session", 1)
    assert cancellation["who"] == "Sophie Keller"
    assert "puéricultrice" in cancellation["reason"]


async def test_loading_the_demo_twice_changes_nothing(database: Settings) -> None:
    await load_demo()
    counts = await _counts()
    first = await _evaluate_first_year()
    await load_demo()
    assert await _counts() == counts
    second = await _evaluate_first_year()
    assert second.current == first.current

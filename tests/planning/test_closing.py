"""A workshop is done once its last session has ended; the worker does it."""

from __future__ import annotations

from datetime import timedelta

from tests.planning.factories import make_workshop
from workshops import worker
from workshops.kernel.clock import utc_now
from workshops.kernel.settings import Settings
from workshops.planning.closing import close_finished_workshops, mark_finished_workshops
from workshops.planning.models import Workshop, WorkshopStatus


async def test_a_workshop_is_done_after_its_last_session(database: Settings) -> None:
    cycle = await make_workshop(days_ahead=1, sessions=2)
    assert await mark_finished_workshops(now=utc_now() + timedelta(days=2)) == 0
    assert await mark_finished_workshops(now=utc_now() + timedelta(days=9)) == 1
    assert (await Workshop.get(id=cycle.id)).status == WorkshopStatus.DONE
    assert close_finished_workshops in worker.JOBS

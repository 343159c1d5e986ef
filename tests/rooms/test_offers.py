"""What a centre offers: weekly windows that never overlap, closures by hand or from a file."""

from __future__ import annotations

from datetime import date

import pytest

from tests.rooms.factories import ZONE, make_centre, make_person, make_room, offer
from tests.rooms.test_ics_import import HOLIDAYS
from workshops.accounts.models import Role
from workshops.audit.models import AuditEvent
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.rooms.ics_import import parse_closures
from workshops.rooms.models import Availability, Closure, ClosureSource
from workshops.rooms.offers import WindowDetails, add_closure, add_window, import_closures

TODAY = date(2026, 11, 2)


def _window(**changes: object) -> WindowDetails:
    values: dict[str, object] = {
        "weekday": 1,
        "start_minute": 9 * 60,
        "end_minute": 12 * 60,
        "valid_from": date(2026, 11, 1),
        "valid_until": date(2027, 6, 30),
    }
    values.update(changes)
    return WindowDetails(**values)  # type: ignore[arg-type]


async def test_a_window_that_overlaps_another_of_the_same_room_is_refused(
    database: Settings,
) -> None:
    room = await make_room()
    manager = await make_person(room.site.organisation, Role.CENTRE_MANAGER)
    await add_window(actor=manager.actor, room=room, details=_window(), today=TODAY)
    with pytest.raises(Invalid) as refused:
        await add_window(
            actor=manager.actor,
            room=room,
            details=_window(start_minute=11 * 60, end_minute=13 * 60),
            today=TODAY,
        )
    assert (
        "chevauche un créneau déjà proposé : le mardi de 09:00 à 12:00"
        in (refused.value.errors["start"])
    )
    await add_window(
        actor=manager.actor,
        room=room,
        details=_window(start_minute=12 * 60, end_minute=14 * 60),
        today=TODAY,
    )
    assert await Availability.filter(room_id=room.id).count() == 2
    assert await AuditEvent.filter(action="room_availability.added").count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_minute": 8 * 60}, "end"),
        ({"valid_until": date(2026, 10, 1)}, "valid_until"),
        ({"valid_from": date(2026, 1, 1), "valid_until": date(2026, 10, 31)}, "valid_until"),
    ],
)
async def test_a_window_with_impossible_times_or_dates_is_refused(
    database: Settings, changes: dict[str, object], field: str
) -> None:
    room = await make_room()
    manager = await make_person(room.site.organisation, Role.CENTRE_MANAGER)
    with pytest.raises(Invalid) as refused:
        await add_window(actor=manager.actor, room=room, details=_window(**changes), today=TODAY)
    assert field in refused.value.errors
    assert await Availability.all().count() == 0


async def test_a_closure_cannot_name_a_room_of_another_centre(database: Settings) -> None:
    room = await make_room()
    foreign = await make_room(await make_centre(), name="Salle d'ailleurs")
    manager = await make_person(room.site.organisation, Role.CENTRE_MANAGER)
    with pytest.raises(Invalid) as refused:
        await add_closure(
            actor=manager.actor,
            site=room.site,
            room_id=foreign.id,
            starts_on=date(2026, 12, 1),
            ends_on=date(2026, 12, 2),
            reason="Travaux",
            today=TODAY,
        )
    assert refused.value.errors["room"] == "Choisissez une salle de ce lieu."
    assert await Closure.all().count() == 0


async def test_importing_the_same_calendar_twice_adds_nothing(database: Settings) -> None:
    room = await make_room()
    manager = await make_person(room.site.organisation, Role.CENTRE_MANAGER)
    drafts = parse_closures(HOLIDAYS, zone=ZONE, today=TODAY)
    imported = await import_closures(
        actor=manager.actor, site=room.site, drafts=drafts, today=TODAY
    )
    assert len(imported) == 2
    assert {c.source for c in await Closure.all()} == {ClosureSource.ICS}
    with pytest.raises(Invalid) as refused:
        await import_closures(actor=manager.actor, site=room.site, drafts=drafts, today=TODAY)
    assert refused.value.errors["file"] == "Ces fermetures ont déjà été importées."
    assert await Closure.all().count() == 2


async def test_offer_factory_and_service_agree_on_minutes(database: Settings) -> None:
    room = await make_room()
    window = await offer(room, start="09:30", end="11:45")
    assert (window.starts.hour, window.starts.minute, window.ends.minute) == (9, 30, 45)

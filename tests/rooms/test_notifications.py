"""What would be e-mailed, and to whom, recorded until the outbox exists."""

from __future__ import annotations

from tests.rooms.factories import NOW, ask, make_facilitator, room_with_manager
from workshops.audit.models import AuditEvent
from workshops.rooms.booking import confirm_booking, decline_booking
from workshops.rooms.notifications import ACTION
from workshops.settings import Settings


async def test_a_request_is_told_to_the_centre_managers_and_its_contact_address(
    database: Settings,
) -> None:
    room, manager = await room_with_manager()
    room.site.organisation.contact_email = "accueil@centre.example"
    await room.site.organisation.save()
    await ask(room, await make_facilitator(), weeks=2)
    mail = await AuditEvent.get(action=ACTION)
    assert mail.details["to"] == [manager.user.email, "accueil@centre.example"]
    assert mail.details["subject"].startswith("Nouvelle demande de salle")
    assert len(mail.details["booking_ids"]) == 2


async def test_a_decision_is_told_to_the_requester_with_a_calendar_when_confirmed(
    database: Settings,
) -> None:
    room, manager = await room_with_manager()
    facilitator = await make_facilitator()
    [first] = await ask(room, facilitator)
    [second] = await ask(room, facilitator)
    await confirm_booking(actor=manager.actor, booking=first, now=NOW)
    await decline_booking(actor=manager.actor, booking=second, reason="Complet", now=NOW)
    mails = await AuditEvent.filter(action=ACTION).order_by("id")
    confirmed, declined = [m for m in mails if m.details["subject"].startswith("Demande de salle")]
    assert confirmed.details["to"] == declined.details["to"] == [facilitator.user.email]
    assert (confirmed.details["calendar"], declined.details["calendar"]) == ("REQUEST", "")
    assert "confirmée" in confirmed.details["subject"]
    assert "refusée" in declined.details["subject"]

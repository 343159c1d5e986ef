"""What the families' e-mails say about a change: which session moved (old → new) or was
cancelled, and a family leaving the waiting list is not told its place goes to another family."""

from __future__ import annotations

from datetime import timedelta

from tests.planning.factories import in_days, make_workshop
from tests.rooms.factories import make_room
from tests.signup.helpers import family, mails_to
from workshops.audit import SYSTEM
from workshops.kernel.i18n import format_datetime
from workshops.kernel.settings import Settings
from workshops.planning.models import Session
from workshops.rooms.models import BookingStatus, RoomBooking
from workshops.signup.cancelling import cancel_by_family
from workshops.signup.models import RegistrationStatus
from workshops.signup.registering import register_family
from workshops.signup.workshop_changes import cancel_session, move_session


async def test_the_moved_session_e_mail_says_which_session_moved_from_where_to_where(
    database: Settings,
) -> None:
    workshop = await make_workshop(sessions=2, days_ahead=5)
    await register_family(settings=database, workshop_id=workshop.id, family=family("l@ex.fr"))
    first, second = await Session.filter(workshop_id=workshop.id).order_by("starts_at")
    first_booking = await RoomBooking.get(id=first.booking_id)
    room = await make_room(name="Salle polyvalente")
    start = in_days(20)
    target = await RoomBooking.create(
        room_id=room.id,
        requested_by_id=first_booking.requested_by_id,
        organisation_id=workshop.organisation_id,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=BookingStatus.CONFIRMED,
    )
    before = format_datetime(first.starts_at, database.zone)
    await move_session(settings=database, actor=SYSTEM, session=first, booking_id=target.id)
    [mail] = await mails_to("l@ex.fr", "session_moved")
    after = format_datetime(start, database.zone)
    unchanged = format_datetime(second.starts_at, database.zone)
    text = " ".join(mail.text_body.split())
    assert f"La séance du {before} – " in text
    assert f"est déplacée au {after} – Salle polyvalente" in text
    assert "les autres ne changent pas" in text
    assert f"• {unchanged}" in text


async def test_the_cancelled_session_e_mail_names_the_session(database: Settings) -> None:
    workshop = await make_workshop(sessions=2, days_ahead=5)
    await register_family(settings=database, workshop_id=workshop.id, family=family("c@ex.fr"))
    first = await Session.filter(workshop_id=workshop.id).order_by("starts_at").first()
    assert first is not None
    await cancel_session(settings=database, actor=SYSTEM, session=first, message="Grève.")
    [mail] = await mails_to("c@ex.fr", "session_cancelled")
    when = format_datetime(first.starts_at, database.zone)
    assert f"la séance du {when} – " in " ".join(mail.text_body.split())


async def test_a_waiting_family_that_cancels_is_told_it_left_the_waiting_list(
    database: Settings,
) -> None:
    workshop = await make_workshop(capacity=1, days_ahead=5)
    await register_family(settings=database, workshop_id=workshop.id, family=family())
    waiting = await register_family(
        settings=database, workshop_id=workshop.id, family=family("w@ex.fr")
    )
    assert waiting.registration.status == RegistrationStatus.WAITLISTED
    await cancel_by_family(settings=database, registration=waiting.registration)
    [mail] = await mails_to("w@ex.fr", "signup_cancelled")
    text = " ".join(mail.text_body.split())
    assert "Vous avez quitté la liste d'attente" in text
    assert "proposée à une autre famille" not in text
    assert "Liste d'attente quittée" in mail.subject


async def test_the_place_is_said_offered_only_when_a_family_was_waiting(
    database: Settings,
) -> None:
    workshop = await make_workshop(capacity=1, days_ahead=5)
    alone = await register_family(
        settings=database, workshop_id=workshop.id, family=family("a@ex.fr")
    )
    await cancel_by_family(settings=database, registration=alone.registration)
    [mail] = await mails_to("a@ex.fr", "signup_cancelled")
    assert "proposée à une autre famille" not in mail.text_body
    assert "votre place est libérée" in " ".join(mail.text_body.split())

    other = await make_workshop(capacity=1, days_ahead=5)
    placed = await register_family(
        settings=database, workshop_id=other.id, family=family("p@ex.fr")
    )
    await register_family(settings=database, workshop_id=other.id, family=family("n@ex.fr"))
    await cancel_by_family(settings=database, registration=placed.registration)
    [mail] = await mails_to("p@ex.fr", "signup_cancelled")
    assert "la place est proposée à une autre famille" in " ".join(mail.text_body.split())
    assert await mails_to("n@ex.fr", "signup_promoted")

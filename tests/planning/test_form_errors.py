"""On a workshop's page, each session has fields of its own: an error belongs to its session."""

from __future__ import annotations

from datetime import timedelta

import httpx

from tests.factories import log_in
from tests.form_markup import by_id, described_by, label_of, parse, summary_targets, title_of
from tests.planning.factories import in_days, make_workshop
from workshops.kernel.settings import Settings
from workshops.planning.models import Facilitation, Session, Workshop
from workshops.rooms.models import BookingStatus, RoomBooking


async def _lead_signed_in(client: httpx.AsyncClient, workshop: Workshop) -> None:
    [lead] = await Facilitation.filter(workshop_id=workshop.id).prefetch_related("user")
    await log_in(client, lead.user.email)
    # A free booking of the same structure, so that each session can be moved into it.
    session = await Session.filter(workshop_id=workshop.id).prefetch_related("booking").first()
    assert session is not None
    start = in_days(30)
    await RoomBooking.create(
        room_id=session.booking.room_id,
        requested_by_id=lead.user_id,
        organisation_id=workshop.organisation_id,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=BookingStatus.CONFIRMED,
    )


async def test_each_session_s_fields_are_named_after_that_session(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(sessions=3)
    await _lead_signed_in(client, workshop)
    page = parse((await client.get(f"/pro/ateliers/{workshop.id}")).text)
    messages = [field for field in page.iter("input") if field.get("name") == "message"]
    moves = [field for field in page.iter("select") if field.get("name") == "booking"]
    assert len(messages) == len(moves) == 3
    message_labels = [label_of(page, field) for field in messages]
    move_labels = [label_of(page, field) for field in moves]
    assert len(set(message_labels)) == len(set(move_labels)) == 3
    assert message_labels[0].startswith("Message aux familles pour la séance du ")
    assert message_labels[0].endswith("(obligatoire)")
    assert all(field.get("required") is not None for field in messages)
    whole = by_id(page, "champ-message")
    assert label_of(page, whole) == (
        "Message aux familles pour annuler tout l'atelier (obligatoire)"
    )
    assert whole.get("required") is not None
    assert by_id(page, "champ-capacity").get("required") is not None


async def test_an_empty_message_to_cancel_one_session_is_shown_at_that_session_s_field(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(sessions=3)
    await _lead_signed_in(client, workshop)
    sessions = await Session.filter(workshop_id=workshop.id).order_by("starts_at")
    second = sessions[1]

    refused = await client.post(f"/pro/seances/{second.id}/annulation", data={"message": ""})

    assert refused.status_code == 422
    page = parse(refused.text)
    assert title_of(page).startswith("Erreur : ")
    [target] = summary_targets(page)
    assert target.get("id") == f"champ-message-seance-{second.id}"
    assert target.get("aria-invalid") == "true"
    assert described_by(page, target) == "Écrivez un message aux familles : il leur est envoyé."
    invalid = [element.get("id") for element in page.iter() if element.get("aria-invalid")]
    assert invalid == [f"champ-message-seance-{second.id}"]
    assert by_id(page, "champ-message").get("aria-invalid") is None
    assert by_id(page, "champ-capacity").get("value") == str(workshop.capacity)
    assert await Session.filter(workshop_id=workshop.id, cancelled_at__isnull=False).count() == 0


async def test_a_move_refused_is_shown_at_that_session_s_room_choice(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(sessions=2)
    await _lead_signed_in(client, workshop)
    first = await Session.filter(workshop_id=workshop.id).order_by("starts_at").first()
    assert first is not None

    refused = await client.post(f"/pro/seances/{first.id}/deplacement", data={"booking": "x"})

    assert refused.status_code == 422
    page = parse(refused.text)
    [target] = summary_targets(page)
    assert target.tag == "select"
    assert target.get("id") == f"champ-booking-seance-{first.id}"
    assert target.get("aria-invalid") == "true"
    assert "réservation libre" in described_by(page, target)
    assert "Déplacer la séance du " in label_of(page, target)

"""The e-mails of room requests, decisions and cancellations, queued with the change itself."""

from __future__ import annotations

from datetime import date
from typing import Any

import icalendar
import pytest

from tests.rooms.factories import NOW, Person, ask, make_facilitator, room_with_manager
from workshops.accounts.models import User
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.mail import outbox as mail_service
from workshops.mail.models import OutboxMessage
from workshops.rooms import notifications
from workshops.rooms.availability import Slot
from workshops.rooms.booking import cancel_booking, confirm_booking, decline_booking
from workshops.rooms.models import BookingStatus, Room, RoomBooking


async def _named_facilitator() -> Person:
    facilitator = await make_facilitator()
    await User.filter(id=facilitator.user.id).update(
        full_name="Sophie Keller", profession="Puéricultrice"
    )
    facilitator.organisation.name = "PMI Nord"
    await facilitator.organisation.save()
    return facilitator


async def _centre_with_contact(room: Room) -> None:
    room.site.organisation.contact_email = "Accueil@Centre.example"
    await room.site.organisation.save()


def _events(message: OutboxMessage) -> list[icalendar.Component]:
    calendar = icalendar.Calendar.from_ical(message.calendar)
    return list(calendar.walk("VEVENT"))


async def test_a_series_request_is_one_e_mail_to_each_manager_and_to_the_contact_address(
    database: Settings,
) -> None:
    room, manager = await room_with_manager()
    await _centre_with_contact(room)
    await ask(room, await _named_facilitator(), weeks=2, settings=database)

    mails = await OutboxMessage.filter(template="room_request").order_by("id")
    assert [mail.recipient for mail in mails] == [manager.user.email, "accueil@centre.example"]
    to_manager, to_contact = mails
    assert to_manager.subject == f"Nouvelle demande de salle : {room.name} ({room.site.name})"
    text = to_manager.text_body
    assert "Demandée par : Sophie Keller, Puéricultrice, PMI Nord." in text
    assert "Les 2 dates de la série hebdomadaire :" in text
    assert "- mardi 10 novembre 2026, de 09:30 à 11:30" in text
    assert "- mardi 17 novembre 2026, de 09:30 à 11:30" in text
    assert f"Lieu : {room.name}, {room.site.name}, 1 rue de la Paix, Haguenau." in text
    assert "> Atelier massage bébé" in text
    assert f"{database.base_url}/pro/salles/demandes" in text
    assert "parce que, sur la plateforme, vous gérez les salles de la structure suivante" in text
    assert "l'adresse de contact de la structure suivante" in to_contact.text_body
    assert "<li>mardi 10 novembre 2026, de 09:30 à 11:30</li>" in to_manager.html_body
    assert to_manager.calendar == ""  # nothing is booked until the centre confirms


async def test_confirming_a_series_sends_one_e_mail_with_one_calendar_event_per_date(
    database: Settings,
) -> None:
    room, manager = await room_with_manager()
    facilitator = await _named_facilitator()
    first, second = await ask(room, facilitator, weeks=2, settings=database)

    await confirm_booking(
        actor=manager.actor, booking=first, settings=database, whole_series=True, now=NOW
    )

    [mail] = await OutboxMessage.filter(template="room_decision")
    assert mail.recipient == facilitator.user.email
    assert mail.subject == f"Demande de salle confirmée : {room.name} ({room.site.name})"
    assert "Bonjour Sophie Keller," in mail.text_body
    assert "Votre demande de salle est confirmée pour les 2 dates suivantes :" in mail.text_body
    assert f"{database.base_url}/pro/reservations/{first.id}" in mail.text_body
    assert mail.calendar_method == "REQUEST"
    events = _events(mail)
    assert [str(event["UID"]) for event in events] == [
        f"reservation-salle-{first.id}@127.0.0.1",
        f"reservation-salle-{second.id}@127.0.0.1",
    ]
    assert {event["SEQUENCE"] for event in events} == {1}
    assert all("1 rue de la Paix" in str(event["LOCATION"]) for event in events)


async def test_a_series_confirmed_in_part_tells_which_date_stays_pending_and_why(
    database: Settings,
) -> None:
    room, manager = await room_with_manager()
    facilitator = await _named_facilitator()
    series = await ask(room, facilitator, weeks=3, settings=database)
    [rival] = await ask(room, await make_facilitator(), Slot(date(2026, 11, 17), 11 * 60, 12 * 60))
    await confirm_booking(actor=manager.actor, booking=rival, settings=database, now=NOW)

    await confirm_booking(
        actor=manager.actor, booking=series[0], settings=database, whole_series=True, now=NOW
    )

    [mail] = await OutboxMessage.filter(template="room_decision", recipient=facilitator.user.email)
    text = mail.text_body
    assert "Votre demande de salle est confirmée pour les 2 dates suivantes :" in text
    assert "- mardi 10 novembre 2026, de 09:30 à 11:30\n" in text
    assert "- mardi 24 novembre 2026, de 09:30 à 11:30\n" in text
    assert "Cette date de votre demande reste en attente" in text
    [pending] = [line for line in text.splitlines() if "17 novembre" in line]
    assert pending.startswith("- mardi 17 novembre 2026, de 09:30 à 11:30 (")
    assert "déjà réservée" in pending
    assert "<li>mardi 17 novembre 2026, de 09:30 à 11:30 (" in mail.html_body
    assert len(_events(mail)) == 2  # the calendar holds only what is confirmed


async def test_a_series_confirmed_whole_says_nothing_is_pending(database: Settings) -> None:
    room, manager = await room_with_manager()
    first, _second = await ask(room, await make_facilitator(), weeks=2, settings=database)
    await confirm_booking(
        actor=manager.actor, booking=first, settings=database, whole_series=True, now=NOW
    )
    [mail] = await OutboxMessage.filter(template="room_decision")
    assert "en attente" not in mail.text_body


async def test_a_refusal_carries_its_reason_and_no_calendar(database: Settings) -> None:
    room, manager = await room_with_manager()
    facilitator = await make_facilitator()
    [booking] = await ask(room, facilitator, settings=database)

    await decline_booking(
        actor=manager.actor,
        booking=booking,
        reason="Salle repeinte ce jour-là",
        settings=database,
        now=NOW,
    )

    [mail] = await OutboxMessage.filter(template="room_decision")
    assert mail.recipient == facilitator.user.email
    assert "refusée" in mail.subject
    assert "> Salle repeinte ce jour-là" in mail.text_body
    assert f"{database.base_url}/pro/salles/recherche" in mail.text_body
    assert (mail.calendar, mail.calendar_method) == ("", "")
    assert (await RoomBooking.get(id=booking.id)).sequence == 1


async def test_a_refused_confirmation_sends_nothing(database: Settings) -> None:
    room, manager = await room_with_manager()
    [taken] = await ask(room, await make_facilitator(), settings=database)
    [late] = await ask(room, await make_facilitator(), settings=database)
    await confirm_booking(actor=manager.actor, booking=taken, settings=database, now=NOW)

    with pytest.raises(Invalid):
        await confirm_booking(actor=manager.actor, booking=late, settings=database, now=NOW)

    assert await OutboxMessage.filter(template="room_decision").count() == 1
    assert (await RoomBooking.get(id=late.id)).status == BookingStatus.PENDING


async def test_a_failure_while_queueing_leaves_neither_the_request_nor_any_e_mail(
    database: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    room, _manager = await room_with_manager()
    await _centre_with_contact(room)
    queued: list[str] = []

    async def failing_on_the_contact(**arguments: Any) -> OutboxMessage:
        queued.append(arguments["to"])
        if len(queued) == 2:
            raise RuntimeError("serveur de base de données perdu")
        return await mail_service.enqueue_mail(**arguments)

    monkeypatch.setattr(notifications, "enqueue_mail", failing_on_the_contact)
    with pytest.raises(RuntimeError):
        await ask(room, await make_facilitator(), settings=database)

    assert len(queued) == 2
    assert await RoomBooking.all().count() == 0
    assert await OutboxMessage.all().count() == 0


async def test_the_pmi_side_cancelling_tells_the_centre_with_a_cancelling_calendar(
    database: Settings,
) -> None:
    room, manager = await room_with_manager()
    await _centre_with_contact(room)
    facilitator = await _named_facilitator()
    [booking] = await ask(room, facilitator, settings=database)
    await confirm_booking(actor=manager.actor, booking=booking, settings=database, now=NOW)

    await cancel_booking(
        actor=facilitator.actor,
        booking=booking,
        reason="Atelier reporté",
        by_centre=False,
        settings=database,
        now=NOW,
    )

    mails = await OutboxMessage.filter(template="room_cancellation").order_by("id")
    assert [mail.recipient for mail in mails] == [manager.user.email, "accueil@centre.example"]
    for mail in mails:
        assert "Annulée par : Sophie Keller, Puéricultrice, PMI Nord." in mail.text_body
        assert "> Atelier reporté" in mail.text_body
        assert mail.calendar_method == "CANCEL"
        [event] = _events(mail)
        assert (str(event["STATUS"]), event["SEQUENCE"]) == ("CANCELLED", 2)
        assert str(event["ATTENDEE"]) == f"mailto:{mail.recipient}"

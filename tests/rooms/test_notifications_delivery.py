"""The booking e-mails reach a real SMTP server, and calendars read their files back right.

One booking keeps its UID from the confirmation to the cancellation while its SEQUENCE grows, so
a calendar program replaces the event instead of adding a second one; times are Paris times.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage

import icalendar

from tests.mail.conftest import smtp_settings
from tests.mail.smtp import SmtpServer
from tests.rooms.factories import NOW, ZONE, ask, make_facilitator, room_with_manager
from workshops.kernel.settings import Settings
from workshops.mail.delivery import deliver_due_mail
from workshops.rooms.booking import cancel_booking, confirm_booking


def _calendar_of(mail: EmailMessage) -> icalendar.Calendar:
    [part] = [part for part in mail.walk() if part.get_content_type() == "text/calendar"]
    return icalendar.Calendar.from_ical(part.get_content())


def _text_of(mail: EmailMessage) -> str:
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def _subject(mail: EmailMessage) -> str:
    # Python folds a long ASCII subject right after "Subject:"; mail programs drop that space.
    return str(mail["Subject"]).strip()


def _received_by(server: SmtpServer, address: str) -> list[EmailMessage]:
    return [mail for mail in server.inbox.received if mail["To"] == address]


async def test_request_confirmation_and_cancellation_arrive_with_one_event_updated_each_time(
    database: Settings, smtp_server: SmtpServer
) -> None:
    settings = smtp_settings(database.data_dir, smtp_server.port)
    room, manager = await room_with_manager()
    facilitator = await make_facilitator()
    [booking] = await ask(room, facilitator, settings=settings)
    await confirm_booking(actor=manager.actor, booking=booking, settings=settings, now=NOW)
    await cancel_booking(
        actor=manager.actor,
        booking=booking,
        reason="Dégât des eaux dans la salle",
        by_centre=True,
        settings=settings,
        now=NOW,
    )

    assert await deliver_due_mail(settings) == 3

    [request] = _received_by(smtp_server, manager.user.email)
    assert _subject(request) == f"Nouvelle demande de salle : {room.name} ({room.site.name})"
    assert "mardi 10 novembre 2026, de 09:30 à 11:30" in _text_of(request)
    assert not [part for part in request.walk() if part.get_content_type() == "text/calendar"]
    confirmation, cancellation = _received_by(smtp_server, facilitator.user.email)
    assert _subject(confirmation).startswith("Demande de salle confirmée")
    assert _subject(cancellation).startswith("Réservation de salle annulée")
    assert "Votre réservation de salle est annulée pour la date suivante :" in _text_of(
        cancellation
    )
    assert "> Dégât des eaux dans la salle" in _text_of(cancellation)

    confirmed, cancelled = _calendar_of(confirmation), _calendar_of(cancellation)
    assert (str(confirmed["METHOD"]), str(cancelled["METHOD"])) == ("REQUEST", "CANCEL")
    [first], [then] = confirmed.walk("VEVENT"), cancelled.walk("VEVENT")
    assert str(first["UID"]) == str(then["UID"]) == f"reservation-salle-{booking.id}@127.0.0.1"
    assert (first["SEQUENCE"], then["SEQUENCE"]) == (1, 2)
    assert (str(first["STATUS"]), str(then["STATUS"])) == ("CONFIRMED", "CANCELLED")
    start, end = first.decoded("DTSTART"), first.decoded("DTEND")
    assert start == datetime(2026, 11, 10, 9, 30, tzinfo=ZONE)
    assert end == datetime(2026, 11, 10, 11, 30, tzinfo=ZONE)
    assert first["DTSTART"].params["TZID"] == "Europe/Paris"
    assert [tz.tz_name for tz in confirmed.timezones] == ["Europe/Paris"]
    assert str(first["URL"]) == f"{settings.base_url}/pro/reservations/{booking.id}"


async def test_a_confirmed_series_arrives_as_one_e_mail_with_every_date_in_one_calendar(
    database: Settings, smtp_server: SmtpServer
) -> None:
    settings = smtp_settings(database.data_dir, smtp_server.port)
    room, manager = await room_with_manager()
    facilitator = await make_facilitator()
    series = await ask(room, facilitator, weeks=3, settings=settings)
    await confirm_booking(
        actor=manager.actor, booking=series[0], settings=settings, whole_series=True, now=NOW
    )

    await deliver_due_mail(settings)

    [confirmation] = _received_by(smtp_server, facilitator.user.email)
    events = _calendar_of(confirmation).walk("VEVENT")
    assert [event.decoded("DTSTART").date().day for event in events] == [10, 17, 24]
    assert len({str(event["UID"]) for event in events}) == 3
    text = _text_of(confirmation)
    for day in (10, 17, 24):
        assert f"mardi {day} novembre 2026, de 09:30 à 11:30" in text

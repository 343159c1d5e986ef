"""Asking for a room and answering, through HTTP as facilitators and centre managers do."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from tests.clock import PARIS
from tests.factories import log_in
from tests.rooms.factories import (
    Person,
    ask,
    make_centre,
    make_facilitator,
    make_person,
    make_room,
    offer,
)
from workshops.accounts.models import Role
from workshops.kernel.clock import local_today, utc_now
from workshops.kernel.settings import Settings
from workshops.mail.models import OutboxMessage
from workshops.rooms.availability import Slot
from workshops.rooms.booking import confirm_booking
from workshops.rooms.models import BookingStatus, Closure, Room, RoomBooking

HX = {"HX-Request": "true"}


def _next_tuesday(weeks_ahead: int = 1) -> date:
    today = local_today(PARIS)
    return today + timedelta(days=(1 - today.weekday()) % 7 + 7 * weeks_ahead)


async def _room_offered_on_tuesdays() -> tuple[Room, Person]:
    centre = await make_centre(name="Centre Socio-Culturel Robert Schuman")
    room = await make_room(centre)
    await offer(
        room, valid_from=(today := local_today(PARIS)), valid_until=today + timedelta(days=400)
    )
    return room, await make_person(centre, Role.CENTRE_MANAGER)


async def _pending(room: Room, person: Person, day: date, weeks: int = 1) -> list[RoomBooking]:
    slot = Slot(day, 9 * 60 + 30, 11 * 60 + 30)
    return await ask(room, person, slot, weeks, now=utc_now())


async def test_a_facilitator_finds_a_free_room_and_asks_for_one_date(
    client: httpx.AsyncClient, database: Settings
) -> None:
    room, _manager = await _room_offered_on_tuesdays()
    facilitator = await make_facilitator()
    await log_in(client, facilitator.user.email)
    day = _next_tuesday().isoformat()
    found = await client.get(
        "/pro/salles/recherche",
        params={"day": day, "starts": "09:30", "ends": "11:30", "commune": "Haguenau"},
    )
    assert found.status_code == 200
    assert "1 salle libre" in found.text
    assert '<option value="Haguenau">' in found.text
    assert f"/pro/salles/{room.id}/demande?day={day}" in found.text
    form = await client.get(
        f"/pro/salles/{room.id}/demande", params={"day": day, "starts": "09:30", "ends": "11:30"}
    )
    assert "le mardi de 09:00 à 12:00" in form.text
    assert f'value="{day}"' in form.text
    sent = await client.post(
        f"/pro/salles/{room.id}/demande",
        data={
            "day": day,
            "starts": "09:30",
            "ends": "11:30",
            "weeks": "1",
            "step": "send",
            "message": "Atelier massage bébé, 8 familles",
        },
    )
    assert sent.status_code == 303
    booking = await RoomBooking.get(room_id=room.id)
    assert booking.status == BookingStatus.PENDING
    assert booking.message == "Atelier massage bébé, 8 familles"
    week = await client.get(sent.headers["location"])
    assert "Demande envoyée au centre pour 1 date." in week.text
    assert "Demande en attente" in week.text and "09:30–11:30" in week.text


async def test_a_request_outside_the_offered_hours_is_refused_next_to_the_field(
    client: httpx.AsyncClient, database: Settings
) -> None:
    room, _manager = await _room_offered_on_tuesdays()
    await log_in(client, (await make_facilitator()).user.email)
    response = await client.post(
        f"/pro/salles/{room.id}/demande",
        data={
            "day": _next_tuesday().isoformat(),
            "starts": "13:00",
            "ends": "12:00",
            "weeks": "1",
            "step": "send",
        },
    )
    assert response.status_code == 422
    assert "Le formulaire contient 1 erreur" in response.text
    assert 'href="#champ-ends"' in response.text
    assert "L&#39;heure de fin doit être après l&#39;heure de début." in response.text
    assert 'value="13:00"' in response.text
    assert await RoomBooking.all().count() == 0


async def test_a_weekly_series_shows_the_closed_dates_before_it_is_sent(
    client: httpx.AsyncClient, database: Settings
) -> None:
    room, _manager = await _room_offered_on_tuesdays()
    first = _next_tuesday()
    holidays = first + timedelta(weeks=2)
    await Closure.create(
        site_id=room.site.id, starts_on=holidays, ends_on=holidays, reason="Vacances de Noël"
    )
    await log_in(client, (await make_facilitator()).user.email)
    form = {"day": first.isoformat(), "starts": "09:30", "ends": "11:30", "weeks": "8"}
    preview = await client.post(f"/pro/salles/{room.id}/demande", data={**form, "step": "send"})
    assert preview.status_code == 200
    assert "ignorée. Fermé ce jour-là : Vacances de Noël." in preview.text
    assert "7 dates seront demandées." in preview.text
    assert await RoomBooking.all().count() == 0
    dates = ",".join((first + timedelta(weeks=n)).isoformat() for n in range(8) if n != 2)
    sent = await client.post(
        f"/pro/salles/{room.id}/demande", data={**form, "step": "send", "dates": dates}
    )
    assert sent.status_code == 303
    assert await RoomBooking.filter(status=BookingStatus.PENDING).count() == 7


async def test_a_series_of_53_weeks_is_refused(
    client: httpx.AsyncClient, database: Settings
) -> None:
    room, _manager = await _room_offered_on_tuesdays()
    await log_in(client, (await make_facilitator()).user.email)
    response = await client.post(
        f"/pro/salles/{room.id}/demande",
        data={
            "day": _next_tuesday().isoformat(),
            "starts": "09:30",
            "ends": "11:30",
            "weeks": "53",
            "step": "preview",
        },
    )
    assert response.status_code == 422
    assert "Une série compte de 1 à 52 semaines." in response.text


async def test_the_centre_sees_the_count_and_confirms_a_series_in_place(
    client: httpx.AsyncClient, database: Settings
) -> None:
    room, manager = await _room_offered_on_tuesdays()
    series = await _pending(room, await make_facilitator(), _next_tuesday(), weeks=4)
    await log_in(client, manager.user.email)
    page = await client.get("/pro/salles/demandes")
    assert '<span class="count">1' in page.text
    assert "Série de 4 dates" in page.text
    assert "Confirmer les 4 dates" in page.text
    confirmed = await client.post(
        f"/pro/reservations/{series[0].id}/confirmation?page=1&rang=0",
        data={"series": "1"},
        headers=HX,
    )
    assert confirmed.status_code == 200
    assert "<html" not in confirmed.text
    assert confirmed.text.startswith(
        "<head><title>Demandes de salle · Ateliers parents-enfants</title></head>"
    )
    # Read once by the live region, then the focus on the list's heading: no request is left.
    assert '<p class="notice" id="message-action" data-announce="">4 dates confirmées.</p>' in (
        confirmed.text
    )
    assert '<h2 id="titre-demandes" data-focus>0 demandes en attente</h2>' in confirmed.text
    assert '<span id="compteur-demandes" data-hx-swap-oob="true"></span>' in confirmed.text
    assert "Aucune demande en attente." in confirmed.text
    assert await RoomBooking.filter(status=BookingStatus.CONFIRMED).count() == 4


async def test_declining_without_a_reason_says_so_next_to_the_field(
    client: httpx.AsyncClient, database: Settings
) -> None:
    room, manager = await _room_offered_on_tuesdays()
    [booking] = await _pending(room, await make_facilitator(), _next_tuesday())
    await log_in(client, manager.user.email)
    refused = await client.post(
        f"/pro/reservations/{booking.id}/refus", data={"reason": ""}, headers=HX
    )
    assert refused.status_code == 422
    assert f'<p class="error" role="alert" id="erreur-reason-{booking.id}">' in refused.text
    assert "Indiquez la raison du refus" in refused.text
    # The field in error takes the focus.
    assert f'aria-describedby="erreur-reason-{booking.id}" data-focus' in refused.text
    declined = await client.post(
        f"/pro/reservations/{booking.id}/refus", data={"reason": "Salle repeinte"}, headers=HX
    )
    assert "1 date refusée." in declined.text
    stored = await RoomBooking.get(id=booking.id)
    assert (stored.status, stored.decline_reason) == (BookingStatus.DECLINED, "Salle repeinte")


async def test_a_second_overlapping_confirmation_gets_a_clear_refusal(
    client: httpx.AsyncClient, database: Settings
) -> None:
    room, manager = await _room_offered_on_tuesdays()
    [first] = await _pending(room, await make_facilitator(), _next_tuesday())
    [second] = await _pending(room, await make_facilitator(), _next_tuesday())
    await log_in(client, manager.user.email)
    await client.post(f"/pro/reservations/{first.id}/confirmation", headers=HX)
    refused = await client.post(f"/pro/reservations/{second.id}/confirmation", headers=HX)
    assert refused.status_code == 409
    assert "La salle est déjà réservée sur ce créneau" in refused.text
    assert (await RoomBooking.get(id=second.id)).status == BookingStatus.PENDING


async def test_a_manager_of_another_centre_neither_sees_nor_confirms_the_request(
    client: httpx.AsyncClient, database: Settings
) -> None:
    room, _manager = await _room_offered_on_tuesdays()
    [booking] = await _pending(room, await make_facilitator(), _next_tuesday())
    stranger = await make_person(await make_centre(name="Espace familles"), Role.CENTRE_MANAGER)
    await log_in(client, stranger.user.email)
    inbox = await client.get("/pro/salles/demandes")
    assert inbox.status_code == 200
    assert "Aucune demande en attente." in inbox.text
    assert "Atelier massage bébé" not in inbox.text
    for attempt in (
        client.get(f"/pro/reservations/{booking.id}"),
        client.post(f"/pro/reservations/{booking.id}/confirmation"),
        client.post(f"/pro/reservations/{booking.id}/refus", data={"reason": "non"}),
        client.get(f"/pro/salles/{room.id}"),
        client.get(f"/pro/salles/{room.id}/semaine"),
    ):
        response = await attempt
        assert response.status_code == 403
        assert "Atelier massage bébé" not in response.text and room.name not in response.text
    assert (await RoomBooking.get(id=booking.id)).status == BookingStatus.PENDING


async def test_a_facilitator_cannot_confirm_even_their_own_request(
    client: httpx.AsyncClient, database: Settings
) -> None:
    room, _manager = await _room_offered_on_tuesdays()
    facilitator = await make_facilitator()
    [booking] = await _pending(room, facilitator, _next_tuesday())
    await log_in(client, facilitator.user.email)
    response = await client.post(f"/pro/reservations/{booking.id}/confirmation")
    assert response.status_code == 403
    assert (await client.get("/pro/salles/demandes")).status_code == 403
    assert (await RoomBooking.get(id=booking.id)).status == BookingStatus.PENDING


async def test_an_unknown_booking_is_not_found(
    client: httpx.AsyncClient, database: Settings
) -> None:
    _room, manager = await _room_offered_on_tuesdays()
    await log_in(client, manager.user.email)
    response = await client.post("/pro/reservations/999999/confirmation")
    assert response.status_code == 404


async def test_the_facilitator_cancels_a_confirmed_booking_with_a_reason(
    client: httpx.AsyncClient, database: Settings
) -> None:
    room, manager = await _room_offered_on_tuesdays()
    facilitator = await make_facilitator()
    [booking] = await _pending(room, facilitator, _next_tuesday())
    await confirm_booking(settings=database, actor=manager.actor, booking=booking)
    await log_in(client, facilitator.user.email)
    missing = await client.post(f"/pro/reservations/{booking.id}/annulation", data={})
    assert missing.status_code == 422
    assert "Indiquez la raison de l&#39;annulation" in missing.text
    done = await client.post(
        f"/pro/reservations/{booking.id}/annulation", data={"reason": "Animatrice malade"}
    )
    assert done.status_code == 200
    assert "La réservation est annulée." in done.text
    stored = await RoomBooking.get(id=booking.id)
    assert (stored.status, stored.cancel_reason) == (BookingStatus.CANCELLED, "Animatrice malade")


async def test_confirming_a_series_says_which_date_stays_pending_and_why(
    client: httpx.AsyncClient, database: Settings
) -> None:
    room, manager = await _room_offered_on_tuesdays()
    series = await _pending(room, await make_facilitator(), _next_tuesday(), weeks=3)
    [rival] = await _pending(room, await make_facilitator(), _next_tuesday(2))
    await log_in(client, manager.user.email)
    await client.post(f"/pro/reservations/{rival.id}/confirmation", headers=HX)
    response = await client.post(
        f"/pro/reservations/{series[0].id}/confirmation", data={"series": "1"}, headers=HX
    )
    assert response.status_code == 200
    assert "2 dates confirmées." in response.text
    taken_day = _next_tuesday(2)
    assert f"{taken_day.day} " in response.text and "reste en attente" in response.text
    assert (await RoomBooking.get(id=series[1].id)).status == BookingStatus.PENDING


async def test_a_search_in_the_past_or_with_a_wrong_time_is_explained(
    client: httpx.AsyncClient, database: Settings
) -> None:
    await log_in(client, (await make_facilitator()).user.email)
    past = await client.get(
        "/pro/salles/recherche", params={"day": "2020-01-07", "starts": "09:00", "ends": "10:00"}
    )
    assert past.status_code == 422
    assert "Cette date est déjà passée" in past.text
    wrong = await client.get(
        "/pro/salles/recherche",
        params={
            "day": _next_tuesday().isoformat(),
            "starts": "25:00",
            "ends": "x",
            "capacity": "-2",
        },
    )
    assert wrong.status_code == 422
    assert "Le formulaire contient 3 erreurs" in wrong.text
    assert "Indiquez une heure, par exemple 09:30." in wrong.text


async def test_the_centre_cancels_a_confirmed_booking_and_the_facilitator_is_told(
    client: httpx.AsyncClient, database: Settings
) -> None:
    room, manager = await _room_offered_on_tuesdays()
    facilitator = await make_facilitator()
    [booking] = await _pending(room, facilitator, _next_tuesday())
    await confirm_booking(settings=database, actor=manager.actor, booking=booking)
    await log_in(client, manager.user.email)
    page = await client.get(f"/pro/reservations/{booking.id}")
    assert "Le demandeur sera prévenu, avec votre raison." in page.text
    done = await client.post(
        f"/pro/reservations/{booking.id}/annulation", data={"reason": "Dégât des eaux"}
    )
    assert "La réservation est annulée." in done.text
    assert (await RoomBooking.get(id=booking.id)).status == BookingStatus.CANCELLED
    mail = await OutboxMessage.filter(template="room_cancellation").get()
    assert mail.recipient == facilitator.user.email
    assert mail.calendar_method == "CANCEL"


async def test_a_busy_inbox_is_paginated_and_a_decision_keeps_its_page(
    client: httpx.AsyncClient, database: Settings
) -> None:
    room, manager = await _room_offered_on_tuesdays()
    facilitator = await make_facilitator()
    for week in range(1, 28):
        await _pending(room, facilitator, _next_tuesday(week))
    await log_in(client, manager.user.email)
    first = await client.get("/pro/salles/demandes")
    assert "27 demandes en attente" in first.text
    assert "Page 1 sur 2" in first.text
    assert first.text.count('class="request-card"') == 25
    second = await client.get("/pro/salles/demandes", params={"page": "2"})
    assert second.text.count('class="request-card"') == 2
    last = await RoomBooking.filter(status=BookingStatus.PENDING).order_by("-starts_at").first()
    assert last is not None
    answered = await client.post(
        f"/pro/reservations/{last.id}/refus?page=2", data={"reason": "Complet"}
    )
    assert "26 demandes en attente" in answered.text
    assert "Page 2 sur 2" in answered.text
    assert 'href="/pro/salles/demandes?page=1"' in answered.text

"""E-mails name organisations, sites and rooms as values, so they read right whatever the name.

Each message is produced by the code that sends it in real use (a room request and its answers,
a sign-up, a convention reminder, an invitation), for names with a vowel, an article of their own,
a plural, and the demo's centres.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.partners.factories import make_convention
from tests.planning.factories import make_workshop
from tests.rooms.factories import NOW, ask, make_facilitator, make_person, offer
from tests.signup.helpers import family
from tests.wording import ORGANISATION_NAMES, PLACES, PMI_NAME, badly_named
from workshops.accounts.models import Organisation, OrganisationKind, Role
from workshops.kernel.i18n import format_datetime
from workshops.kernel.settings import Settings
from workshops.mail.models import OutboxMessage
from workshops.mail.rendering import render_mail
from workshops.partners.reminders import queue_reminders
from workshops.rooms.booking import cancel_booking, confirm_booking, decline_booking
from workshops.rooms.models import Room, Site
from workshops.signup.registering import register_family

ADDRESS = "5 rue du Maréchal Joffre"


async def _room(organisation: str, site: str, room: str) -> Room:
    centre = await Organisation.create(
        name=organisation, kind=OrganisationKind.CENTRE, commune="Haguenau"
    )
    place = await Site.create(
        organisation_id=centre.id, name=site, address=ADDRESS, postcode="67500", commune="Haguenau"
    )
    created = await Room.create(site_id=place.id, name=room, capacity=12)
    return await Room.get(id=created.id).prefetch_related("site", "site__organisation")


async def _only(template: str) -> OutboxMessage:
    [message] = await OutboxMessage.filter(template=template).order_by("-id").limit(1)
    return message


def _read(message: OutboxMessage) -> str:
    return f"{message.subject}\n{message.text_body}"


@pytest.mark.parametrize(("organisation", "site", "room_name"), PLACES)
async def test_a_room_request_and_every_answer_name_the_centre_and_the_room_as_values(
    database: Settings, organisation: str, site: str, room_name: str
) -> None:
    room = await _room(organisation, site, room_name)
    await offer(room)
    manager = await make_person(room.site.organisation, Role.CENTRE_MANAGER)
    facilitator = await make_facilitator()
    names = [organisation, site, room_name]

    [booking] = await ask(room, facilitator, settings=database)
    request = await _only("room_request")
    await confirm_booking(actor=manager.actor, booking=booking, settings=database, now=NOW)
    confirmed = await _only("room_decision")
    await cancel_booking(
        actor=manager.actor,
        booking=booking,
        reason="Dégât des eaux",
        by_centre=True,
        settings=database,
        now=NOW,
    )
    cancelled = await _only("room_cancellation")
    [again] = await ask(room, facilitator, settings=database)
    await decline_booking(
        actor=manager.actor, booking=again, reason="Salle repeinte", settings=database, now=NOW
    )
    declined = await _only("room_decision")

    place = f"Lieu : {room_name}, {site}, {ADDRESS}, 67500 Haguenau."
    assert request.subject == f"Nouvelle demande de salle : {room_name} ({site})"
    assert place in request.text_body
    assert (
        "Vous recevez ce message parce que, sur la plateforme, vous gérez les salles de la "
        f"structure suivante : {organisation}."
    ) in request.text_body
    assert confirmed.subject == f"Demande de salle confirmée : {room_name} ({site})"
    assert "Votre demande de salle est confirmée pour la date suivante :" in confirmed.text_body
    assert f"Confirmée par : {organisation}." in confirmed.text_body
    assert place in confirmed.text_body
    assert cancelled.subject == f"Réservation de salle annulée : {room_name} ({site})"
    assert "Votre réservation de salle est annulée pour la date suivante :" in cancelled.text_body
    assert f"Annulée par : {organisation}." in cancelled.text_body
    assert declined.subject == f"Demande de salle refusée : {room_name} ({site})"
    assert "Votre demande de salle est refusée pour la date suivante :" in declined.text_body
    assert f"Refusée par : {organisation}." in declined.text_body
    assert place in declined.text_body
    for message in (request, confirmed, cancelled, declined):
        assert badly_named(_read(message), names) == []


@pytest.mark.parametrize(("organisation", "site", "room_name"), PLACES)
async def test_a_sign_up_confirmation_gives_the_place_of_each_session_as_a_value(
    database: Settings, organisation: str, site: str, room_name: str
) -> None:
    room = await _room(organisation, site, room_name)
    workshop = await make_workshop(room=room, title="Massage bébé")

    await register_family(
        settings=database, workshop_id=workshop.id, family=family("lea@exemple.fr")
    )

    message = await _only("signup_confirmed")
    [session] = await workshop.sessions.all()
    when = format_datetime(session.starts_at, database.zone)
    assert "Votre inscription à l'atelier « Massage bébé » est confirmée." in message.text_body
    assert f"• {when} – {room_name}, {site}, {ADDRESS}, Haguenau" in message.text_body
    assert badly_named(_read(message), [organisation, site, room_name]) == []


@pytest.mark.parametrize("partner", ORGANISATION_NAMES)
async def test_a_convention_reminder_names_both_parties_as_values(
    database: Settings, partner: str
) -> None:
    pmi = await Organisation.create(name=PMI_NAME, kind=OrganisationKind.PMI, commune="Haguenau")
    centre = await Organisation.create(
        name=partner, kind=OrganisationKind.CENTRE, commune="Haguenau"
    )
    await make_person(pmi, Role.COORDINATOR)
    await make_convention(pmi, centre)

    await queue_reminders(settings=database, today=date(2026, 5, 20))

    message = await _only("convention_reminder")
    assert message.subject == (
        f"Échéance de convention, date limite de dénonciation le lundi 1 juin 2026 : {partner}"
    )
    assert "Une convention de partenariat arrive à une échéance." in message.text_body
    assert f"Service de PMI : {PMI_NAME}\n" in message.text_body
    assert f"Partenaire : {partner}\n" in message.text_body
    assert badly_named(_read(message), [PMI_NAME, partner]) == []


@pytest.mark.parametrize("organisation", ORGANISATION_NAMES)
def test_an_invitation_names_the_organisation_as_a_value(
    settings: Settings, organisation: str
) -> None:
    context = {
        "organisation_name": organisation,
        "inviter": "Alice Martin",
        "role": "Responsable de centre",
        "invitation_url": "https://ateliers.example/pro/invitation/abc",
        "expires_at": datetime(2026, 3, 29, 12, 0, tzinfo=NOW.tzinfo),
    }

    mail = render_mail("staff_invitation", context, settings)

    assert mail.subject == f"Invitation à rejoindre une structure : {organisation}"
    assert (
        "Alice Martin vous invite à rejoindre une structure sur la plateforme Ateliers "
        "parents-enfants, avec le rôle « Responsable de centre »."
    ) in mail.text
    assert f"Structure : {organisation}\n" in mail.text
    assert badly_named(f"{mail.subject}\n{mail.text}", [organisation]) == []

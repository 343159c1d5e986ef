"""Who may sign up, for how many places, and what a second sign-up with the same e-mail does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from tests.planning.factories import make_workshop
from tests.signup.helpers import family, mails_to, months_ago
from workshops.kernel.clock import utc_now
from workshops.kernel.i18n import format_datetime
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.planning.models import EligibleCommune, Session, Workshop, WorkshopStatus
from workshops.rooms.models import BookingStatus, RoomBooking
from workshops.signup import registering
from workshops.signup.eligibility import Child
from workshops.signup.models import Registration, RegistrationStatus
from workshops.signup.registering import Planned, load_planned, register_family


async def test_a_confirmed_family_receives_its_link_and_the_sessions_as_a_calendar(
    database: Settings,
) -> None:
    workshop = await make_workshop(sessions=3)
    outcome = await register_family(
        settings=database, workshop_id=workshop.id, family=family("lea@exemple.fr")
    )
    assert outcome.confirmed
    [mail] = await mails_to("lea@exemple.fr", "signup_confirmed")
    assert mail.calendar.count("BEGIN:VEVENT") == 3
    assert "METHOD:REQUEST" in mail.calendar
    assert "/inscription/" in mail.text_body
    assert mail.sensitive


async def test_the_same_email_twice_gets_its_link_again_not_a_second_place(
    database: Settings,
) -> None:
    workshop = await make_workshop()
    first = await register_family(
        settings=database, workshop_id=workshop.id, family=family("Lea@Exemple.fr")
    )
    again = await register_family(
        settings=database, workshop_id=workshop.id, family=family(" lea@exemple.fr")
    )
    assert not again.created
    assert again.registration.id == first.registration.id
    assert await Registration.filter(workshop_id=workshop.id).count() == 1
    assert (await Workshop.get(id=workshop.id)).places_taken == 1
    assert len(await mails_to("lea@exemple.fr", "signup_link")) == 1


async def test_a_child_too_old_for_the_workshop_is_refused_with_the_age_range(
    database: Settings,
) -> None:
    workshop = await make_workshop(min_age_months=1, max_age_months=9)
    with pytest.raises(Invalid) as refused:
        await register_family(
            settings=database,
            workshop_id=workshop.id,
            family=family(children=[Child(months_ago(14))]),
        )
    assert "de 1 à 9 mois" in refused.value.errors["children"]
    assert await Registration.all().count() == 0


async def test_a_prenatal_workshop_takes_one_place_per_expecting_family(
    database: Settings,
) -> None:
    workshop = await make_workshop(prenatal=True)
    expected = Child(months_ago(-3), expected=True)
    outcome = await register_family(
        settings=database, workshop_id=workshop.id, family=family(children=[expected])
    )
    assert outcome.registration.places == 1
    with pytest.raises(Invalid) as refused:
        await register_family(
            settings=database,
            workshop_id=workshop.id,
            family=family(children=[Child(months_ago(3))]),
        )
    assert "futurs parents" in refused.value.errors["children"]


async def test_a_family_from_a_commune_not_listed_is_refused_with_the_communes(
    database: Settings,
) -> None:
    workshop = await make_workshop(communes=(("Talant", None), ("Daix", 2)))
    with pytest.raises(Invalid) as refused:
        await register_family(
            settings=database, workshop_id=workshop.id, family=family(commune="Dijon")
        )
    assert "Talant, Daix" in refused.value.errors["commune"]


async def test_daix_families_beyond_their_quota_wait_while_talant_families_still_get_places(
    database: Settings,
) -> None:
    workshop = await make_workshop(capacity=6, communes=(("Talant", None), ("Daix", 2)))
    daix = [
        await register_family(
            settings=database, workshop_id=workshop.id, family=family(commune="daix")
        )
        for _number in range(3)
    ]
    assert [outcome.confirmed for outcome in daix] == [True, True, False]
    quota = await EligibleCommune.get(workshop_id=workshop.id, commune="Daix")
    assert quota.places_taken == 2
    talant = await register_family(
        settings=database, workshop_id=workshop.id, family=family(commune="Talant")
    )
    assert talant.confirmed  # the waiting Daix family waits for its quota, not for places


async def test_a_draft_or_unconfirmed_workshop_takes_no_sign_up(database: Settings) -> None:
    draft = await make_workshop(status=WorkshopStatus.DRAFT)
    pending_room = await make_workshop(booking_status=BookingStatus.PENDING)
    for workshop in (draft, pending_room):
        with pytest.raises(Invalid) as refused:
            await register_family(settings=database, workshop_id=workshop.id, family=family())
        assert "pas ouvert" in refused.value.errors["workshop"]


async def test_a_waitlisted_family_gets_no_calendar_yet(database: Settings) -> None:
    workshop = await make_workshop(capacity=1)
    await register_family(settings=database, workshop_id=workshop.id, family=family())
    outcome = await register_family(
        settings=database, workshop_id=workshop.id, family=family("attente@exemple.fr")
    )
    assert outcome.registration.status == RegistrationStatus.WAITLISTED
    [mail] = await mails_to("attente@exemple.fr", "signup_waitlisted")
    assert mail.calendar == ""


async def test_the_email_written_before_the_lock_follows_what_was_decided_under_it(
    database: Settings,
) -> None:
    workshop = await make_workshop(capacity=1, sessions=2)
    # Read while a place was left; another family takes it before this one holds the lock.
    planned = await load_planned(workshop.id)
    assert planned is not None
    await register_family(settings=database, workshop_id=workshop.id, family=family())
    outcome = await register_family(
        settings=database, workshop_id=workshop.id, family=family("tom@exemple.fr"), planned=planned
    )
    assert outcome.registration.status == RegistrationStatus.WAITLISTED
    [mail] = await mails_to("tom@exemple.fr")
    assert mail.template == "signup_waitlisted"
    assert mail.calendar == ""


async def test_the_email_tells_the_sessions_as_they_are_when_the_place_is_taken(
    database: Settings,
) -> None:
    workshop = await make_workshop(sessions=2)
    planned = await load_planned(workshop.id)
    assert planned is not None
    # The second date moves to another day after the page was read, before the lock.
    second = (await Session.filter(workshop_id=workshop.id).order_by("starts_at"))[1]
    moved_to = second.starts_at + timedelta(days=1)
    await Session.filter(id=second.id).update(
        starts_at=moved_to, ends_at=moved_to + timedelta(hours=2), sequence=1
    )
    await register_family(
        settings=database,
        workshop_id=workshop.id,
        family=family("ines@exemple.fr"),
        planned=planned,
    )
    [mail] = await mails_to("ines@exemple.fr", "signup_confirmed")
    assert format_datetime(moved_to, database.zone) in mail.text_body
    assert format_datetime(second.starts_at, database.zone) not in mail.text_body
    assert "SEQUENCE:1" in mail.calendar


@pytest.mark.parametrize(
    "change", ["cancelled by the staff", "workshop back to draft", "room booking cancelled"]
)
async def test_a_workshop_withdrawn_after_its_page_was_read_takes_no_one(
    database: Settings, change: str
) -> None:
    workshop = await make_workshop(sessions=2)
    planned = await load_planned(workshop.id)
    assert planned is not None
    if change == "cancelled by the staff":
        # Its status and the sequence of its sessions change.
        await Workshop.filter(id=workshop.id).update(status=WorkshopStatus.CANCELLED)
        for session in await Session.filter(workshop_id=workshop.id):
            await Session.filter(id=session.id).update(sequence=session.sequence + 1)
    elif change == "workshop back to draft":
        # Only the workshop's status changes: no session does.
        await Workshop.filter(id=workshop.id).update(status=WorkshopStatus.DRAFT)
    else:
        # Only its room's booking changes.
        session = (await Session.filter(workshop_id=workshop.id).order_by("starts_at"))[0]
        await RoomBooking.filter(id=session.booking_id).update(status=BookingStatus.CANCELLED)
    with pytest.raises(Invalid) as refused:
        await register_family(
            settings=database,
            workshop_id=workshop.id,
            family=family("lou@exemple.fr"),
            planned=planned,
        )
    assert "pas ouvert" in refused.value.errors["workshop"]
    assert await Registration.filter(workshop_id=workshop.id).count() == 0
    assert (await Workshop.get(id=workshop.id)).places_taken == 0
    assert await mails_to("lou@exemple.fr") == []


async def test_a_full_workshop_puts_newcomers_on_the_list_in_order_without_taking_places(
    database: Settings,
) -> None:
    workshop = await make_workshop(capacity=2, sessions=1)
    emails = [f"famille{n}@exemple.fr" for n in range(5)]
    outcomes = [
        await register_family(settings=database, workshop_id=workshop.id, family=family(email))
        for email in emails
    ]
    assert [o.registration.status for o in outcomes] == [RegistrationStatus.CONFIRMED] * 2 + [
        RegistrationStatus.WAITLISTED
    ] * 3
    assert (await Workshop.get(id=workshop.id)).places_taken == 2
    waiting = await Registration.filter(
        workshop_id=workshop.id, status=RegistrationStatus.WAITLISTED
    ).order_by("id")
    assert [r.email for r in waiting] == emails[2:]
    [mail] = await mails_to("famille4@exemple.fr")
    assert mail.template == "signup_waitlisted"


async def test_the_workshop_is_read_with_each_session_and_each_commune_once(
    database: Settings,
) -> None:
    workshop = await make_workshop(
        sessions=3, communes=(("Talant", None), ("Daix", 2), ("Fontaine-lès-Dijon", 4))
    )
    planned = await load_planned(workshop.id)
    assert planned is not None
    assert planned.workshop.title == workshop.title
    stored = await Session.filter(workshop_id=workshop.id).order_by("starts_at")
    assert [s.id for s in planned.sessions] == [s.id for s in stored]
    assert all(s.booking.room.site.organisation.name for s in planned.sessions)
    assert [(c.commune, c.quota) for c in planned.communes] == [
        ("Talant", None),
        ("Daix", 2),
        ("Fontaine-lès-Dijon", 4),
    ]
    alone = await make_workshop(sessions=0)
    planned_alone = await load_planned(alone.id)
    assert planned_alone is not None
    assert (planned_alone.sessions, planned_alone.communes) == ([], [])
    assert await load_planned(alone.id + 1000) is None


async def test_a_sign_up_on_an_unchanged_workshop_reads_it_only_once(
    database: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the lock reads compares equal to what was read before (dates as each database gives
    # them back, statuses, bookings): nothing is read again under the lock.
    workshop = await make_workshop(sessions=3, communes=(("Talant", None),))
    planned = await load_planned(workshop.id)
    assert planned is not None
    reads: list[int] = []

    async def counted(workshop_id: int) -> Planned | None:
        reads.append(workshop_id)
        return await load_planned(workshop_id)

    monkeypatch.setattr(registering, "load_planned", counted)
    outcome = await register_family(
        settings=database,
        workshop_id=workshop.id,
        family=family("noa@exemple.fr", commune="Talant"),
        planned=planned,
    )
    assert outcome.confirmed
    assert reads == []


def _events(calendar: str) -> list[tuple[str, str, int]]:
    """(UID, STATUS, SEQUENCE) of each event of an e-mail's calendar, as a program reads it."""
    return [
        (str(event["UID"]), str(event["STATUS"]), int(str(event["SEQUENCE"])))
        for event in Calendar.from_ical(calendar).walk("VEVENT")
    ]


async def test_an_invitation_never_carries_a_cancelled_session_as_planned(
    database: Settings,
) -> None:
    """The sign-up's calendar holds the sessions still planned; the cancelled one is left out
    (it was never in the family's calendar), and so is it from the link sent again."""
    workshop = await make_workshop(sessions=3)
    first, cancelled, third = await Session.filter(workshop_id=workshop.id).order_by("starts_at")
    await Session.filter(id=cancelled.id).update(cancelled_at=utc_now(), sequence=1)
    await register_family(
        settings=database, workshop_id=workshop.id, family=family("lea@exemple.fr")
    )
    await register_family(
        settings=database, workshop_id=workshop.id, family=family("lea@exemple.fr")
    )
    for template in ("signup_confirmed", "signup_link"):
        [mail] = await mails_to("lea@exemple.fr", template)
        assert Calendar.from_ical(mail.calendar)["METHOD"] == "REQUEST"
        events = _events(mail.calendar)
        assert [uid.split("@")[0] for uid, _status, _sequence in events] == [
            f"session-{first.id}",
            f"session-{third.id}",
        ], template
        assert {status for _uid, status, _sequence in events} == {"CONFIRMED"}


async def test_an_address_registered_again_is_told_what_holds_for_it_by_e_mail(
    database: Settings,
) -> None:
    workshop = await make_workshop(capacity=1)
    await register_family(settings=database, workshop_id=workshop.id, family=family("a@exemple.fr"))
    await register_family(settings=database, workshop_id=workshop.id, family=family("b@exemple.fr"))
    await register_family(settings=database, workshop_id=workshop.id, family=family("c@exemple.fr"))
    await Registration.filter(email="c@exemple.fr").update(status=RegistrationStatus.CANCELLED)
    for email in ("a@exemple.fr", "b@exemple.fr", "c@exemple.fr"):
        again = await register_family(
            settings=database, workshop_id=workshop.id, family=family(email)
        )
        assert not again.created
    [confirmed] = await mails_to("a@exemple.fr", "signup_link")
    assert "qui y est déjà inscrite : aucune place de plus n'a été prise" in confirmed.text_body
    assert confirmed.calendar
    [waiting] = await mails_to("b@exemple.fr", "signup_link")
    assert "qui est déjà sur sa liste d'attente : votre rang ne change pas" in waiting.text_body
    assert not waiting.calendar
    [cancelled] = await mails_to("c@exemple.fr", "signup_link")
    assert "L'inscription faite avec cette adresse a été annulée" in cancelled.text_body
    assert not cancelled.calendar
    assert (await Workshop.get(id=workshop.id)).places_taken == 1
    assert await Registration.filter(workshop_id=workshop.id).count() == 3

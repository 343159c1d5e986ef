"""Planners' registration pages: list, CSV, attendance sheet, attendance in place, phone calls."""

from __future__ import annotations

from datetime import timedelta

import httpx

from tests.factories import log_in
from tests.planning.factories import make_workshop
from tests.signup.helpers import family, months_ago
from workshops.audit.models import AuditEvent
from workshops.kernel.clock import utc_now
from workshops.kernel.settings import Settings
from workshops.planning.models import Facilitation, Session, Workshop
from workshops.signup.models import Attendance, Registration, RegistrationStatus
from workshops.signup.registering import register_family


async def _signed_in_lead(client: httpx.AsyncClient, workshop: Workshop) -> None:
    [lead] = await Facilitation.filter(workshop_id=workshop.id).prefetch_related("user")
    await log_in(client, lead.user.email)


async def test_the_csv_export_opens_in_french_excel(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop()
    await _signed_in_lead(client, workshop)
    await register_family(
        settings=database, workshop_id=workshop.id, family=family("=cmd@exemple.fr")
    )
    response = await client.get(f"/pro/ateliers/{workshop.id}/inscriptions/export")
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.startswith("Statut;Nom;E-mail;Téléphone;Commune")
    assert row.startswith("confirmée;")
    assert ";'=cmd@exemple.fr;" in row


async def test_the_list_and_the_attendance_sheet_show_the_families(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(capacity=1, sessions=2)
    await _signed_in_lead(client, workshop)
    await register_family(settings=database, workshop_id=workshop.id, family=family())
    await register_family(settings=database, workshop_id=workshop.id, family=family())
    page = await client.get(f"/pro/ateliers/{workshop.id}/inscriptions")
    assert "Parent" in page.text
    assert "Liste d'attente, dans l'ordre" in page.text
    sheet = await client.get(f"/pro/ateliers/{workshop.id}/feuille")
    assert sheet.status_code == 200
    assert "Feuille d'émargement" in sheet.text
    assert sheet.text.count('<th scope="col">') == 4  # family, children, two sessions


async def test_attendance_is_marked_in_place_with_htmx(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop()
    await _signed_in_lead(client, workshop)
    outcome = await register_family(settings=database, workshop_id=workshop.id, family=family())
    session = await Session.get(workshop_id=workshop.id)
    # Attendance is taken from the session's start on: it began an hour ago.
    await Session.filter(id=session.id).update(starts_at=utc_now() - timedelta(hours=1))
    response = await client.post(
        f"/pro/seances/{session.id}/presences/{outcome.registration.id}",
        data={"status": "excused"},
        headers={"hx-request": "true"},
    )
    assert response.status_code == 200
    # The page's title for htmx, then the row alone: the family is its header and names each button.
    title, row = response.text.split("</head>")
    assert title.startswith("<head><title>Présences du ")
    assert row.lstrip().startswith("<tr")
    assert '<th scope="row">Parent ' in row
    assert 'aria-pressed="true">Absent excusé<span class="visually-hidden"> : Parent ' in row
    assert 'data-announce="Présence de Parent ' in row
    assert 'enregistrée : absent excusé"' in row
    mark = await Attendance.get(registration_id=outcome.registration.id)
    assert mark.status == "excused"
    bad = await client.post(
        f"/pro/seances/{session.id}/presences/{outcome.registration.id}", data={"status": "??"}
    )
    assert bad.status_code == 422
    assert "<title>Erreur : Présences du " in bad.text


async def test_staff_registers_a_family_by_phone_and_moves_one_from_the_list(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(capacity=1)
    await _signed_in_lead(client, workshop)
    form = {
        "parent_name": "Mme Nguyen",
        "email": "nguyen@exemple.fr",
        "commune": "Haguenau",
        "child_1_kind": "born",
        "child_1_month": months_ago(3).strftime("%Y-%m"),
    }
    added = await client.post(f"/pro/ateliers/{workshop.id}/inscriptions", data=form)
    assert added.status_code == 303
    waiting = await register_family(settings=database, workshop_id=workshop.id, family=family())
    refused = await client.post(f"/pro/inscriptions/{waiting.registration.id}/confirmation")
    assert refused.status_code == 422
    assert "pas assez de places" in refused.text

    await Workshop.filter(id=workshop.id).update(capacity=2)
    moved = await client.post(f"/pro/inscriptions/{waiting.registration.id}/confirmation")
    assert moved.status_code == 303
    await waiting.registration.refresh_from_db()
    assert waiting.registration.status == RegistrationStatus.CONFIRMED
    assert await AuditEvent.filter(action="registration.created_by_staff").count() == 1
    assert await AuditEvent.filter(action="registration.moved_from_waitlist").count() == 1

    nguyen = await Registration.get(email="nguyen@exemple.fr")
    cancelled = await client.post(f"/pro/inscriptions/{nguyen.id}/annulation")
    assert cancelled.status_code == 303
    await nguyen.refresh_from_db()
    assert nguyen.status == RegistrationStatus.CANCELLED


async def test_a_facilitator_of_another_organisation_sees_no_family(
    client: httpx.AsyncClient, database: Settings
) -> None:
    mine = await make_workshop()
    theirs = await make_workshop()
    await register_family(
        settings=database, workshop_id=theirs.id, family=family("autre@exemple.fr")
    )
    await _signed_in_lead(client, mine)
    assert (await client.get(f"/pro/ateliers/{mine.id}/inscriptions")).status_code == 200
    other = await client.get(f"/pro/ateliers/{theirs.id}/inscriptions")
    assert other.status_code == 403
    assert "autre@exemple.fr" not in other.text

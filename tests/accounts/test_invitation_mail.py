"""Inviting a staff member sends the invitation by e-mail, in the transaction that creates it."""

from __future__ import annotations

import html
import re

import httpx
import pytest

from tests.factories import log_in, make_organisation, make_user
from tests.mail.helpers import plain_text, read_only_mail
from workshops.accounts import organisations
from workshops.accounts.models import Invitation, OrganisationKind, Role
from workshops.audit.events import Actor
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.mail.delivery import deliver_due_mail
from workshops.mail.models import OutboxMessage

LINK = re.compile(r"http://127\.0\.0\.1:8000(/pro/invitation/[A-Za-z0-9_-]+)")


async def _admin_client(client: httpx.AsyncClient) -> None:
    pmi = await make_organisation(OrganisationKind.PMI, name="PMI Nord")
    admin = await make_user(pmi, Role.ADMIN, full_name="Alice Admin")
    await log_in(client, admin.email)


async def test_the_admin_page_says_the_invitation_was_emailed_and_shows_no_link(
    client: httpx.AsyncClient, database: Settings
) -> None:
    await _admin_client(client)
    centre = await make_organisation(OrganisationKind.CENTRE, name="Centre Schuman")

    response = await client.post(
        f"/pro/structures/{centre.id}/membres",
        data={"email": "marc.weber@exemple.fr", "role": "centre_manager"},
    )

    assert response.status_code == 200
    page = html.unescape(response.text)
    assert "Invitation envoyée par e-mail à marc.weber@exemple.fr" in page
    assert "/pro/invitation/" not in page
    [message] = await OutboxMessage.all()
    assert message.recipient == "marc.weber@exemple.fr"
    assert message.subject == "Invitation à rejoindre une structure : Centre Schuman"
    assert message.sensitive


async def test_the_invited_person_follows_the_emailed_link_and_joins(
    client: httpx.AsyncClient, database: Settings
) -> None:
    await _admin_client(client)
    centre = await make_organisation(OrganisationKind.CENTRE, name="Centre Schuman")
    await client.post(
        f"/pro/structures/{centre.id}/membres",
        data={"email": "marc.weber@exemple.fr", "role": "centre_manager"},
    )
    await client.post("/pro/deconnexion")

    await deliver_due_mail(database)
    text = plain_text(read_only_mail(database))
    assert "Alice Admin vous invite à rejoindre une structure" in text
    assert "Structure : Centre Schuman" in text
    assert "« Responsable de centre »" in text
    assert "Vous recevez ce message parce que Alice Admin a saisi votre adresse" in text
    [link] = LINK.findall(text)

    joined = await client.post(
        link,
        data={
            "full_name": "Marc Weber",
            "password": "un centre ouvert à tous",
            "confirmation": "un centre ouvert à tous",
        },
    )
    assert joined.status_code == 303
    assert "Centre Schuman" in (await client.get("/pro/")).text
    assert (await client.get(link)).status_code == 404  # the link served once


async def test_no_mail_is_queued_when_the_invitation_is_not_created(database: Settings) -> None:
    centre = await make_organisation(OrganisationKind.CENTRE)

    with pytest.raises(Invalid) as refused:
        await organisations.add_member(
            actor=Actor(staff=None),
            organisation=centre,
            email="personne@exemple.fr",
            role="facilitator",
            settings=database,
        )

    assert set(refused.value.errors) == {"role"}
    assert await Invitation.all().count() == 0
    assert await OutboxMessage.all().count() == 0

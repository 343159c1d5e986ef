"""Organisation pages through HTTP: every role against its own and a foreign organisation."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import log_in, make_organisation, make_user
from workshops.accounts.models import Membership, Organisation, OrganisationKind, Role
from workshops.audit.models import AuditEvent

COLLEAGUE_ROLE = {
    OrganisationKind.PMI: Role.FACILITATOR,
    OrganisationKind.CENTRE: Role.CENTRE_MANAGER,
}
KIND_OF_ROLE = {
    Role.FACILITATOR: OrganisationKind.PMI,
    Role.COORDINATOR: OrganisationKind.PMI,
    Role.CENTRE_MANAGER: OrganisationKind.CENTRE,
    Role.ADMIN: OrganisationKind.PMI,
}


async def _signed_in_member(client: httpx.AsyncClient, role: Role) -> tuple[Organisation, str]:
    own = await make_organisation(KIND_OF_ROLE[role], name="Notre structure")
    user = await make_user(own, role=role)
    await make_user(
        own,
        role=COLLEAGUE_ROLE[KIND_OF_ROLE[role]],
        full_name="Collègue Discrète",
    )
    await log_in(client, user.email)
    return own, user.email


@pytest.mark.parametrize("role", list(Role))
async def test_every_role_sees_its_own_organisation_page(
    client: httpx.AsyncClient, role: Role
) -> None:
    own, _ = await _signed_in_member(client, role)
    response = await client.get(f"/pro/structures/{own.id}")
    assert response.status_code == 200
    assert "Notre structure" in response.text
    assert "Collègue Discrète" in response.text


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.COORDINATOR, Role.CENTRE_MANAGER])
async def test_no_role_but_admin_sees_a_foreign_organisation(
    client: httpx.AsyncClient, role: Role
) -> None:
    await _signed_in_member(client, role)
    foreign = await make_organisation(OrganisationKind.CENTRE, name="Centre d'à côté")
    await make_user(foreign, role=Role.CENTRE_MANAGER, full_name="Voisine Secrète")
    response = await client.get(f"/pro/structures/{foreign.id}")
    assert response.status_code == 403
    assert "Voisine Secrète" not in response.text
    listing = await client.get("/pro/structures")
    assert "Notre structure" in listing.text and "Centre d&#39;à côté" not in listing.text


async def test_the_admin_sees_and_manages_every_organisation(client: httpx.AsyncClient) -> None:
    await _signed_in_member(client, Role.ADMIN)
    foreign = await make_organisation(OrganisationKind.CENTRE, name="Centre d'à côté")
    assert (await client.get(f"/pro/structures/{foreign.id}")).status_code == 200
    listing = await client.get("/pro/structures")
    assert "Notre structure" in listing.text and "Centre d&#39;à côté" in listing.text
    response = await client.post(
        f"/pro/structures/{foreign.id}/membres",
        data={"email": "nouveau@exemple.fr", "role": "centre_manager"},
    )
    assert response.status_code == 200
    assert "Invitation envoyée par e-mail à nouveau@exemple.fr" in response.text


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.COORDINATOR, Role.CENTRE_MANAGER])
async def test_no_role_but_admin_adds_or_removes_members(
    client: httpx.AsyncClient, role: Role
) -> None:
    own, _ = await _signed_in_member(client, role)
    added = await client.post(
        f"/pro/structures/{own.id}/membres",
        data={
            "email": "ami@exemple.fr",
            "role": COLLEAGUE_ROLE[KIND_OF_ROLE[role]].value,
        },
    )
    assert added.status_code == 403
    colleague = await Membership.filter(organisation_id=own.id).first()
    assert colleague is not None
    removed = await client.post(f"/pro/structures/{own.id}/membres/{colleague.id}/retrait")
    assert removed.status_code == 403
    assert await Membership.filter(id=colleague.id).exists()
    created = await client.post(
        "/pro/structures", data={"name": "Nouvelle", "kind": "centre", "commune": "Haguenau"}
    )
    assert created.status_code == 403
    assert not await Organisation.filter(name="Nouvelle").exists()
    assert (await client.get("/pro/journal")).status_code == 403


async def test_creating_an_organisation_with_errors_keeps_what_was_typed(
    client: httpx.AsyncClient,
) -> None:
    await _signed_in_member(client, Role.ADMIN)
    response = await client.post(
        "/pro/structures",
        data={"name": "Maison des familles", "kind": "", "commune": "", "contact_email": "non"},
    )
    assert response.status_code == 422
    assert "Choisissez le type de structure." in response.text
    assert "Indiquez la commune." in response.text
    assert 'value="Maison des familles"' in response.text
    assert 'href="#champ-commune"' in response.text


async def test_an_admin_creates_an_organisation_and_the_journal_shows_it(
    client: httpx.AsyncClient,
) -> None:
    _, email = await _signed_in_member(client, Role.ADMIN)
    response = await client.post(
        "/pro/structures",
        data={"name": "Maison des familles", "kind": "centre", "commune": "Bischwiller"},
    )
    assert response.status_code == 303
    organisation = await Organisation.get(name="Maison des familles")
    assert response.headers["location"] == f"/pro/structures/{organisation.id}"
    journal = await client.get("/pro/journal")
    assert "Structure créée : Maison des familles" in journal.text
    assert email in journal.text


async def test_removing_a_member_in_place_with_htmx_returns_only_the_members_block(
    client: httpx.AsyncClient,
) -> None:
    await _signed_in_member(client, Role.ADMIN)
    centre = await make_organisation(OrganisationKind.CENTRE, name="Centre Bleu")
    leaving = await make_user(centre, role=Role.CENTRE_MANAGER, full_name="Partante")
    membership = await Membership.get(user_id=leaving.id)
    response = await client.post(
        f"/pro/structures/{centre.id}/membres/{membership.id}/retrait",
        headers={"hx-request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Le membre a été retiré." in response.text
    assert "Partante" not in response.text
    assert await AuditEvent.filter(action="membership.removed").count() == 1

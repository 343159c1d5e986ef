"""The staff privacy tool: coordinators find, export and erase a family's data; the log keeps
no e-mail in clear."""

from __future__ import annotations

import json

import httpx

from tests.evaluation.dataset import build
from tests.factories import log_in, make_user
from workshops.accounts.models import Role
from workshops.audit.models import AuditEvent
from workshops.signup.models import Registration


async def test_a_coordinator_finds_exports_and_erases_a_family(client: httpx.AsyncClient) -> None:
    dataset = await build()
    await log_in(client, dataset.coordinator.email)

    found = await client.post("/pro/confidentialite/recherche", data={"email": "ALICE@exemple.fr"})
    assert found.status_code == 200
    assert found.text.lower().count("parent de alice") == 3

    exported = await client.post("/pro/confidentialite/export", data={"email": "alice@exemple.fr"})
    assert exported.headers["content-disposition"].startswith("attachment")
    data = json.loads(exported.content)
    assert len(data["inscriptions"]) == 3
    assert data["inscriptions"][1]["presences"][0]["presence"] == "present"

    refused = await client.post(
        "/pro/confidentialite/effacement", data={"email": "alice@exemple.fr"}
    )
    assert refused.status_code == 422
    assert "Cochez la case" in refused.text
    # The family's registrations are shown again, with the box the error points to.
    assert 'id="champ-confirm"' in refused.text
    assert 'aria-invalid="true" aria-describedby="erreur-confirm"' in refused.text
    erased = await client.post(
        "/pro/confidentialite/effacement", data={"email": "alice@exemple.fr", "confirm": "oui"}
    )
    assert erased.status_code == 200
    assert "3 inscriptions effacées" in erased.text
    assert not await Registration.filter(email__iexact="alice@exemple.fr").exists()

    events = await AuditEvent.filter(action__startswith="privacy.").order_by("id")
    assert [event.action for event in events] == [
        "privacy.searched", "privacy.exported", "privacy.searched", "privacy.erased",
    ]  # fmt: skip
    for event in events:
        assert "alice" not in (event.summary + json.dumps(event.details)).lower()
        assert len(event.details["registration_ids"]) == 3


async def test_only_coordinators_run_the_privacy_tool(client: httpx.AsyncClient) -> None:
    dataset = await build()
    manager = await make_user(await dataset.convention.partner, Role.CENTRE_MANAGER)
    for email in (manager.email, dataset.facilitator.email):
        await log_in(client, email)
        assert (await client.get("/pro/confidentialite")).status_code == 403
        response = await client.post(
            "/pro/confidentialite/export", data={"email": "alice@exemple.fr"}
        )
        assert response.status_code == 403


async def test_a_bad_address_is_explained(client: httpx.AsyncClient) -> None:
    dataset = await build()
    await log_in(client, dataset.coordinator.email)
    response = await client.post("/pro/confidentialite/recherche", data={"email": "pas-une\x00"})
    assert response.status_code == 422
    assert "adresse e-mail valide" in response.text


async def test_an_erasure_unconfirmed_for_an_address_without_registrations_says_so_on_the_address(
    client: httpx.AsyncClient,
) -> None:
    dataset = await build()
    await log_in(client, dataset.coordinator.email)
    refused = await client.post(
        "/pro/confidentialite/effacement", data={"email": "inconnue@exemple.fr"}
    )
    assert refused.status_code == 422
    # No registration, so no box to tick: the error is on the address, where its link leads.
    assert "Aucune inscription avec cette adresse" in refused.text
    assert 'id="champ-confirm"' not in refused.text
    assert 'href="#champ-email"' in refused.text
    assert 'id="champ-email"' in refused.text

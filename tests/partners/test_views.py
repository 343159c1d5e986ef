"""Convention pages: coordinators draft, sign and terminate; centres read their own; nobody else."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from tests.factories import log_in, make_organisation, make_user
from tests.partners.factories import make_convention, make_partnership
from tests.rooms.factories import make_centre, make_room
from workshops.accounts.models import OrganisationKind, Role
from workshops.audit.models import AuditEvent
from workshops.kernel.clock import local_today
from workshops.kernel.settings import Settings
from workshops.partners.clauses import CLAUSE_CODES, model_clauses
from workshops.partners.models import Convention, ConventionRoom
from workshops.partners.terms import add_months


def _convention_form(**overrides: str) -> dict[str, str]:
    clauses = model_clauses()
    form = {
        "starts_on": "2025-09-01",
        "term_months": "12",
        "tacit_renewal": "1",
        "max_years": "5",
        "notice_months": "3",
        "reference": "CP/2020/112",
        **{f"clause_{code}": clauses[code] for code in CLAUSE_CODES},
    }
    return {**form, **overrides}


async def test_a_coordinator_drafts_a_convention_from_the_founding_clauses(
    client: httpx.AsyncClient,
) -> None:
    pmi = await make_organisation(OrganisationKind.PMI, name="PMI Nord")
    centre = await make_centre(name="CSC Schuman")
    room = await make_room(centre, name="Salle petite enfance")
    await make_room(await make_centre(), name="Salle d'un autre centre")
    await log_in(client, (await make_user(pmi, Role.COORDINATOR)).email)

    start = await client.get("/pro/conventions/nouvelle")
    assert "CSC Schuman" in start.text
    page = await client.get(f"/pro/conventions/nouvelle?partenaire={centre.id}")
    assert page.status_code == 200
    assert "à titre gracieux" in page.text
    assert "chauffage et d&#39;éclairage sont à la charge" in page.text
    assert "Salle petite enfance" in page.text
    assert "Salle d&#39;un autre centre" not in page.text

    form = {**_convention_form(), "pmi": str(pmi.id), "rooms": str(room.id)}
    response = await client.post(f"/pro/conventions/nouvelle?partenaire={centre.id}", data=form)

    assert response.status_code == 303
    convention = await Convention.get(partner_id=centre.id)
    assert convention.signed_on is None
    assert convention.reference == "CP/2020/112"
    assert [row.room_id for row in await ConventionRoom.filter(convention_id=convention.id)] == [
        room.id
    ]
    assert await AuditEvent.filter(action="convention.created").count() == 1
    detail = await client.get(response.headers["location"])
    assert "Brouillon" in detail.text
    assert "reconduite tacitement" in detail.text


async def test_an_invalid_draft_comes_back_with_messages_next_to_fields_and_values_kept(
    client: httpx.AsyncClient,
) -> None:
    pmi = await make_organisation(OrganisationKind.PMI)
    centre = await make_centre()
    foreign_room = await make_room(await make_centre(), name="Salle étrangère")
    await log_in(client, (await make_user(pmi, Role.COORDINATOR)).email)
    form = {
        **_convention_form(starts_on="31/09/2025", term_months="999", clause_upkeep=" "),
        "pmi": str(pmi.id),
        "rooms": str(foreign_room.id),
        "reference": "CP/2026/7",
    }

    response = await client.post(f"/pro/conventions/nouvelle?partenaire={centre.id}", data=form)

    assert response.status_code == 422
    assert 'id="erreur-starts_on"' in response.text
    assert 'id="erreur-term_months"' in response.text
    assert 'value="31/09/2025"' in response.text
    assert 'value="CP/2026/7"' in response.text
    assert await Convention.all().count() == 0

    fixed = {**form, "starts_on": "2025-09-01", "term_months": "12"}
    response = await client.post(f"/pro/conventions/nouvelle?partenaire={centre.id}", data=fixed)

    assert response.status_code == 422
    assert 'id="erreur-clause_upkeep"' in response.text
    assert await Convention.all().count() == 0


async def test_a_draft_is_signed_then_no_longer_editable(client: httpx.AsyncClient) -> None:
    partnership = await make_partnership(signed_on=None)
    convention = partnership.convention
    await log_in(client, partnership.coordinator.user.email)
    tomorrow = local_today(client_settings(client).zone) + timedelta(days=1)

    refused = await client.post(
        f"/pro/conventions/{convention.id}/signature", data={"signed_on": tomorrow.isoformat()}
    )
    assert refused.status_code == 422
    assert "ne peut pas être dans le futur" in refused.text

    signed = await client.post(
        f"/pro/conventions/{convention.id}/signature", data={"signed_on": "2025-06-15"}
    )
    assert signed.status_code == 303
    assert (await Convention.get(id=convention.id)).signed_on == date(2025, 6, 15)
    assert await AuditEvent.filter(action="convention.signed").count() == 1

    edit = await client.get(f"/pro/conventions/{convention.id}/modifier")
    assert edit.status_code == 303
    update = await client.post(
        f"/pro/conventions/{convention.id}/modifier", data=_convention_form(reference="X")
    )
    assert update.status_code == 422
    assert (await Convention.get(id=convention.id)).reference == ""


def client_settings(client: httpx.AsyncClient) -> Settings:
    transport = client._transport
    assert isinstance(transport, httpx.ASGITransport)
    settings: Settings = transport.app.state.settings  # type: ignore[attr-defined]
    return settings


async def test_a_coordinator_terminates_with_a_date_and_a_reason(
    client: httpx.AsyncClient,
) -> None:
    # A convention in its second year, whatever the day the test runs.
    today = local_today(client_settings(client).zone)
    starts_on = add_months(today, -14)
    partnership = await make_partnership(starts_on=starts_on, signed_on=starts_on)
    convention = partnership.convention
    await log_in(client, partnership.coordinator.user.email)
    path = f"/pro/conventions/{convention.id}/resiliation"
    last_day = (add_months(starts_on, 24) - timedelta(days=1)).isoformat()
    after_five_years = add_months(starts_on, 61).isoformat()

    no_reason = await client.post(path, data={"terminated_on": last_day, "reason": ""})
    assert no_reason.status_code == 422
    assert "Indiquez le motif" in no_reason.text
    too_late = await client.post(path, data={"terminated_on": after_five_years, "reason": "x"})
    assert too_late.status_code == 422
    assert "prend fin d&#39;elle-même avant cette date" in too_late.text

    done = await client.post(
        path, data={"terminated_on": last_day, "reason": "Le centre ferme pour travaux."}
    )

    assert done.status_code == 303
    saved = await Convention.get(id=convention.id)
    assert saved.terminated_on == date.fromisoformat(last_day)
    assert saved.termination_reason == "Le centre ferme pour travaux."
    page = await client.get(f"/pro/conventions/{convention.id}")
    assert "Fin prochaine" in page.text
    assert "Résiliée : elle s&#39;applique jusqu&#39;au" in page.text
    assert await AuditEvent.filter(action="convention.terminated").count() == 1


async def test_a_centre_manager_reads_only_the_conventions_of_its_centre(
    client: httpx.AsyncClient,
) -> None:
    ours = await make_partnership()
    theirs = await make_partnership()
    await log_in(client, ours.manager.user.email)

    listing = await client.get("/pro/conventions")
    assert listing.status_code == 200
    assert ours.centre.name in listing.text
    assert theirs.centre.name not in listing.text
    assert "Préparer une convention" not in listing.text

    page = await client.get(f"/pro/conventions/{ours.convention.id}")
    assert page.status_code == 200
    assert "Résilier" not in page.text
    assert "Ajouter un document" not in page.text
    assert (await client.get(f"/pro/conventions/{theirs.convention.id}")).status_code == 403
    signing = await client.post(
        f"/pro/conventions/{ours.convention.id}/resiliation",
        data={"terminated_on": "2027-08-31", "reason": "x"},
    )
    assert signing.status_code == 403


async def test_a_facilitator_cannot_create_a_convention(client: httpx.AsyncClient) -> None:
    pmi = await make_organisation(OrganisationKind.PMI)
    centre = await make_centre()
    await log_in(client, (await make_user(pmi, Role.FACILITATOR)).email)

    assert (await client.get("/pro/conventions/nouvelle")).status_code == 403
    response = await client.post(
        f"/pro/conventions/nouvelle?partenaire={centre.id}",
        data={**_convention_form(), "pmi": str(pmi.id)},
    )
    assert response.status_code == 403
    assert (await client.get("/pro/conventions")).status_code == 403
    assert await Convention.all().count() == 0


async def test_another_pmi_coordinator_sees_nothing_of_the_convention(
    client: httpx.AsyncClient,
) -> None:
    partnership = await make_partnership()
    other_pmi = await make_organisation(OrganisationKind.PMI)
    await make_convention(other_pmi, await make_centre(name="Centre de l'autre PMI"))
    await log_in(client, (await make_user(other_pmi, Role.COORDINATOR)).email)

    listing = await client.get("/pro/conventions")
    assert partnership.centre.name not in listing.text
    assert "Centre de l&#39;autre PMI" in listing.text
    convention_id = partnership.convention.id
    assert (await client.get(f"/pro/conventions/{convention_id}")).status_code == 403
    assert (await client.get(f"/pro/conventions/{convention_id}/modifier")).status_code == 403
    assert (await client.get("/pro/conventions/999999")).status_code == 404


async def test_the_list_shows_each_status_and_next_deadline(client: httpx.AsyncClient) -> None:
    partnership = await make_partnership()
    today = local_today(client_settings(client).zone)
    await Convention.filter(id=partnership.convention.id).update(
        starts_on=date(today.year - 1, today.month, 1) + timedelta(days=40)
    )
    await log_in(client, partnership.coordinator.user.email)

    listing = await client.get("/pro/conventions")

    assert "En vigueur" in listing.text
    assert "Reconduction tacite" in listing.text or "Date limite de dénonciation" in listing.text


async def test_odd_addresses_and_forms_never_produce_a_server_error(
    client: httpx.AsyncClient,
) -> None:
    partnership = await make_partnership(signed_on=None)
    await log_in(client, partnership.coordinator.user.email)
    convention_id = partnership.convention.id
    for query in ("?partenaire=abc", "?partenaire=99999999999999", f"?partenaire={-1}"):
        assert (await client.get(f"/pro/conventions/nouvelle{query}")).status_code == 200
    answers = [
        await client.post(f"/pro/conventions/{convention_id}/signature", data={"signed_on": "x"}),
        await client.post(
            f"/pro/conventions/{convention_id}/signature", data={"signed_on": "0001-01-01"}
        ),
        await client.post(
            f"/pro/conventions/{convention_id}/modifier",
            data=_convention_form(starts_on="9999-12-31", max_years="10"),
        ),
        await client.post(
            f"/pro/conventions/{convention_id}/resiliation",
            data={"terminated_on": "9999-12-31", "reason": "x"},
        ),
        await client.post("/pro/conventions/nouvelle?partenaire=1", data={"pmi": "x"}),
        await client.get("/pro/conventions?page=-5"),
    ]
    assert all(answer.status_code < 500 for answer in answers), [a.status_code for a in answers]

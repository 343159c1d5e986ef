"""Erasure is of a person (DESIGN rule 6): a coordinator's erasure reaches every registration of
the address on the platform, one family key for all, and no evaluation figure moves."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import httpx

from tests.evaluation.dataset import NOW, ZONE, _Builder, attend, build, paris, register
from tests.factories import log_in, make_organisation, make_user
from tests.partners.factories import make_convention
from tests.rooms.factories import make_centre, make_room
from workshops.accounts.models import OrganisationKind, Role
from workshops.audit.models import AuditEvent
from workshops.evaluation.figures import evaluate
from workshops.evaluation.scope import Scope, ScopeKind, calendar_year, convention_year
from workshops.kernel.settings import Settings
from workshops.partners.models import Convention
from workshops.planning.models import Theme
from workshops.privacy.anonymising import anonymise_expired, anonymise_family
from workshops.signup.models import Registration


async def _second_pmi() -> Convention:
    """PMI de Strasbourg, whose own centre had Alice and Bob in 2025 (Alice came to the first
    PMI's workshops before)."""
    pmi = await make_organisation(OrganisationKind.PMI, name="PMI de Strasbourg")
    centre = await make_centre("Centre Neudorf", commune="Strasbourg")
    room = await make_room(centre, name="Salle B", commune="Strasbourg")
    convention = await make_convention(pmi, centre, [room], starts_on=date(2024, 1, 1))
    facilitator = await make_user(pmi, Role.FACILITATOR, full_name="Nadia Strasbourg")
    build = _Builder(facilitator, pmi.id)
    theme, _ = await Theme.get_or_create(name="Jeux")
    workshop, (session,) = await build.workshop(
        theme,
        [await build.booking(room, paris(date(2025, 4, 8), 14), 2)],
        capacity=6,
        facilitators=[facilitator],
    )
    alice = await register(workshop, "ALICE@exemple.fr", commune="Strasbourg")
    bob = await register(workshop, "bob@exemple.fr", commune="Strasbourg")
    await attend(alice, session, "present")
    await attend(bob, session, "absent")
    return convention


async def _every_figure(conventions: list[Convention]) -> str:
    """The evaluation of everything and of each convention, as the bytes an export would hold."""
    scopes = [Scope(ScopeKind.ALL)] + [
        Scope(ScopeKind.CONVENTION, convention_id=convention.id) for convention in conventions
    ]
    periods = [calendar_year(2025)] + [
        convention_year(convention.starts_on, 2025) for convention in conventions
    ]
    figures = []
    for scope in scopes:
        for period in periods:
            evaluation = await evaluate(scope=scope, period=period, zone=ZONE, now=NOW)
            figures.append([evaluation.current, evaluation.previous])
    return json.dumps(figures, sort_keys=True)


async def test_a_coordinator_erases_the_person_everywhere_and_no_figure_moves(
    client: httpx.AsyncClient,
) -> None:
    dataset = await build()
    other = await _second_pmi()
    before = await _every_figure([dataset.convention, other])
    alice_ids = set(
        await Registration.filter(email__iexact="alice@exemple.fr").values_list("id", flat=True)
    )
    assert len(alice_ids) == 4  # three at the first PMI, one at the second

    await log_in(client, dataset.coordinator.email)
    erased = await client.post(
        "/pro/confidentialite/effacement", data={"email": "Alice@Exemple.fr", "confirm": "oui"}
    )

    assert erased.status_code == 200
    assert "4 inscriptions effacées" in erased.text
    assert not await Registration.filter(email__icontains="alice").exists()
    assert not await Registration.filter(parent_name__icontains="alice").exists()
    keys = await Registration.filter(id__in=alice_ids).values_list("family_key", flat=True)
    assert len(set(keys)) == 1 and keys[0]
    assert await _every_figure([dataset.convention, other]) == before
    [event] = await AuditEvent.filter(action="privacy.erased", actor_id=dataset.coordinator.id)
    assert set(event.details["registration_ids"]) == alice_ids


async def test_the_other_pmi_s_erasure_then_the_daily_job_keep_one_family(
    client: httpx.AsyncClient, database: Settings
) -> None:
    dataset = await build()
    other = await _second_pmi()
    before = await _every_figure([dataset.convention, other])
    coordinator = await make_user(await other.pmi, Role.COORDINATOR, full_name="Corinne")
    bob_ids = set(await Registration.filter(email="bob@exemple.fr").values_list("id", flat=True))

    await log_in(client, coordinator.email)
    response = await client.post(
        "/pro/confidentialite/effacement", data={"email": "bob@exemple.fr", "confirm": "oui"}
    )
    assert "2 inscriptions effacées" in response.text
    await anonymise_expired(settings=database, now=datetime(2030, 1, 1, tzinfo=UTC))

    bob_keys = await Registration.filter(id__in=bob_ids).values_list("family_key", flat=True)
    assert len(set(bob_keys)) == 1
    assert await _every_figure([dataset.convention, other]) == before


async def test_a_key_already_on_the_family_s_registrations_is_kept(database: Settings) -> None:
    await build()
    kept = "a" * 32
    [first, *others] = await Registration.filter(email__iexact="alice@exemple.fr").order_by("id")
    await Registration.filter(id=first.id).update(family_key=kept)

    erased = await anonymise_family(email="alice@exemple.fr", now=NOW)

    assert sorted(erased) == sorted([first.id, *(item.id for item in others)])
    keys = {item.family_key for item in await Registration.filter(id__in=erased)}
    assert keys == {kept}

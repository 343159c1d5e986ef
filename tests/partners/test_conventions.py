"""Convention operations without HTTP: what may be signed, changed and terminated, and when."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_organisation
from tests.partners.factories import make_convention, make_partnership
from tests.rooms.factories import make_centre, make_person, make_room
from workshops.accounts.models import OrganisationKind, Role
from workshops.audit.models import AuditEvent
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.partners.clauses import CLAUSE_CODES, model_clauses
from workshops.partners.conventions import (
    ConventionDetails,
    create_convention,
    sign_convention,
    terminate_convention,
    update_convention,
)
from workshops.partners.models import Convention

TODAY = date(2026, 11, 22)


def _details(**overrides: object) -> ConventionDetails:
    clauses = model_clauses()
    values: dict[str, object] = {"starts_on": date(2026, 1, 1), "clauses": clauses}
    values.update(overrides)
    return ConventionDetails(**values)  # type: ignore[arg-type]


async def test_a_centre_convention_needs_its_rooms_before_signature(database: Settings) -> None:
    partnership = await make_partnership(signed_on=None)
    empty = await make_convention(partnership.pmi, partnership.centre, [], signed_on=None)

    with pytest.raises(Invalid) as refused:
        await sign_convention(
            actor=partnership.coordinator.actor, convention=empty, signed_on=TODAY, today=TODAY
        )
    assert "salles" in refused.value.errors["signed_on"]

    signed = await sign_convention(
        actor=partnership.coordinator.actor,
        convention=partnership.convention,
        signed_on=TODAY,
        today=TODAY,
    )
    assert signed.signed_on == TODAY
    with pytest.raises(Invalid):
        await sign_convention(
            actor=partnership.coordinator.actor, convention=signed, signed_on=TODAY, today=TODAY
        )


async def test_a_funder_convention_is_signed_without_rooms(database: Settings) -> None:
    pmi = await make_organisation(OrganisationKind.PMI)
    caf = await make_organisation(OrganisationKind.FUNDER, name="CAF du Bas-Rhin")
    coordinator = await make_person(pmi, Role.COORDINATOR)
    convention = await create_convention(
        actor=coordinator.actor, pmi_id=pmi.id, partner_id=caf.id, details=_details()
    )

    signed = await sign_convention(
        actor=coordinator.actor, convention=convention, signed_on=TODAY, today=TODAY
    )

    assert signed.signed_on == TODAY


async def test_a_convention_is_made_only_with_a_centre_or_a_funder(database: Settings) -> None:
    pmi = await make_organisation(OrganisationKind.PMI)
    other_pmi = await make_organisation(OrganisationKind.PMI)
    coordinator = await make_person(pmi, Role.COORDINATOR)

    with pytest.raises(Invalid) as refused:
        await create_convention(
            actor=coordinator.actor, pmi_id=pmi.id, partner_id=other_pmi.id, details=_details()
        )
    assert "partner" in refused.value.errors
    assert await Convention.all().count() == 0


async def test_rooms_of_another_centre_and_empty_clauses_are_refused(database: Settings) -> None:
    pmi = await make_organisation(OrganisationKind.PMI)
    centre = await make_centre()
    elsewhere = await make_room(await make_centre())
    coordinator = await make_person(pmi, Role.COORDINATOR)
    clauses = {code: "" for code in CLAUSE_CODES}

    with pytest.raises(Invalid) as refused:
        await create_convention(
            actor=coordinator.actor,
            pmi_id=pmi.id,
            partner_id=centre.id,
            details=_details(room_ids=(elsewhere.id,), clauses=clauses, starts_on=date(1999, 1, 1)),
        )

    assert set(refused.value.errors) == {
        "rooms",
        "starts_on",
        *(f"clause_{code}" for code in CLAUSE_CODES),
    }


async def test_a_signed_convention_no_longer_changes(database: Settings) -> None:
    partnership = await make_partnership()

    with pytest.raises(Invalid):
        await update_convention(
            actor=partnership.coordinator.actor,
            convention=partnership.convention,
            details=_details(reference="changé"),
        )
    assert (await Convention.get(id=partnership.convention.id)).reference == ""


@pytest.mark.parametrize(
    ("terminated_on", "field"),
    [
        (date(2025, 6, 14), "terminated_on"),  # before the signature
        (date(2030, 9, 1), "terminated_on"),  # after the 5-year end
    ],
)
async def test_a_termination_date_outside_the_convention_is_refused(
    database: Settings, terminated_on: date, field: str
) -> None:
    partnership = await make_partnership()
    with pytest.raises(Invalid) as refused:
        await terminate_convention(
            actor=partnership.coordinator.actor,
            convention=partnership.convention,
            terminated_on=terminated_on,
            reason="Fin du partenariat",
            today=TODAY,
        )
    assert field in refused.value.errors


async def test_a_draft_or_an_already_terminated_convention_cannot_be_terminated(
    database: Settings,
) -> None:
    draft = await make_partnership(signed_on=None)
    with pytest.raises(Invalid):
        await terminate_convention(
            actor=draft.coordinator.actor,
            convention=draft.convention,
            terminated_on=date(2027, 8, 31),
            reason="x",
            today=TODAY,
        )

    partnership = await make_partnership()
    terminated = await terminate_convention(
        actor=partnership.coordinator.actor,
        convention=partnership.convention,
        terminated_on=date(2027, 8, 31),
        reason="Le centre déménage.",
        today=TODAY,
    )
    assert terminated.terminated_on == date(2027, 8, 31)
    with pytest.raises(Invalid):
        await terminate_convention(
            actor=partnership.coordinator.actor,
            convention=terminated,
            terminated_on=date(2026, 12, 31),
            reason="x",
            today=TODAY,
        )
    event = await AuditEvent.get(action="convention.terminated")
    assert event.object_id == str(partnership.convention.id)
    assert event.details == {"reason": "Le centre déménage."}

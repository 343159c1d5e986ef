"""Eligibility by commune: by INSEE code, so homonyms of other départements are refused, and by
name for a commune kept as typed from before the official list."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.planning.factories import make_workshop
from tests.signup.helpers import family
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.planning.communes import is_commune
from workshops.planning.models import EligibleCommune
from workshops.signup.models import Registration
from workshops.signup.registering import register_family


async def _open_to_saint_denis_93() -> int:
    workshop = await make_workshop()
    await EligibleCommune.create(
        workshop_id=workshop.id, commune="Saint-Denis", commune_code="93066", quota=2
    )
    return workshop.id


async def test_a_family_of_the_listed_commune_takes_a_place_of_its_quota(
    database: Settings,
) -> None:
    workshop_id = await _open_to_saint_denis_93()
    resident = replace(family(commune="Saint-Denis"), commune_code="93066")
    outcome = await register_family(settings=database, workshop_id=workshop_id, family=resident)
    assert outcome.confirmed
    row = await EligibleCommune.get(workshop_id=workshop_id)
    assert row.places_taken == 1


async def test_a_family_of_a_homonym_in_another_departement_is_refused(
    database: Settings,
) -> None:
    workshop_id = await _open_to_saint_denis_93()
    from_reunion = replace(family(commune="Saint-Denis"), commune_code="97411")
    with pytest.raises(Invalid) as refused:
        await register_family(settings=database, workshop_id=workshop_id, family=from_reunion)
    assert "Saint-Denis" in refused.value.errors["commune"]
    assert await Registration.all().count() == 0


def test_a_commune_kept_as_typed_is_compared_by_its_normalised_name() -> None:
    typed = EligibleCommune(commune="St-Denis", commune_code="")
    assert is_commune(typed, code="93066", name="SAINT DENIS")
    assert not is_commune(typed, code="", name="Saint-Doulchard")
    listed = EligibleCommune(commune="Saint-Denis", commune_code="93066")
    assert not is_commune(listed, code="97411", name="Saint-Denis")
    assert is_commune(listed, code="", name="saint-denis")

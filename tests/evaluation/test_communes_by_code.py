"""Families by commune: grouped by INSEE code when the family chose its commune from the official
list, so that two homonyms stay two communes and two spellings of one commune stay one."""

from __future__ import annotations

from tests.evaluation.dataset import NOW, ZONE, build
from workshops.evaluation.figures import evaluate
from workshops.evaluation.scope import Scope, ScopeKind, calendar_year
from workshops.kernel.settings import Settings
from workshops.signup.models import Registration


async def test_homonyms_of_two_departements_are_two_communes(database: Settings) -> None:
    dataset = await build()
    await Registration.filter(email="bob@exemple.fr").update(
        commune="Saint-Denis", commune_code="93066"
    )
    await Registration.filter(email="eve@exemple.fr").update(
        commune="Saint-Denis", commune_code="97411"
    )
    await Registration.filter(commune="Haguenau").update(commune="haguenau ", commune_code="67180")
    scope = Scope(ScopeKind.CONVENTION, convention_id=dataset.convention.id)
    evaluation = await evaluate(scope=scope, period=calendar_year(2025), zone=ZONE, now=NOW)
    # Chosen from the list: each under its official name, homonyms with their département.
    assert evaluation.current["participation"]["communes"] == [
        {"commune": "Haguenau", "code": "67180", "families": 1},
        {"commune": "Saint-Denis (93)", "code": "93066", "families": 1},
        {"commune": "Saint-Denis (974)", "code": "97411", "families": 1},
    ]

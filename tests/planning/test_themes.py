"""Coordinators keep the list of workshop themes; the usual ones are added in one click."""

from __future__ import annotations

import httpx

from tests.factories import log_in, make_organisation, make_user
from workshops.accounts.models import Role
from workshops.kernel.settings import Settings
from workshops.planning.models import Theme
from workshops.planning.themes import USUAL_THEMES, seed_usual_themes


async def test_the_usual_themes_are_added_once(database: Settings) -> None:
    assert await seed_usual_themes() == len(USUAL_THEMES)
    assert await seed_usual_themes() == 0
    names = {theme.name for theme in await Theme.all()}
    assert {"Massage bébé", "Portage en écharpe", "Temps d'échange entre parents"} <= names


async def test_a_coordinator_adds_and_changes_a_theme(
    client: httpx.AsyncClient, database: Settings
) -> None:
    coordinator = await make_user(await make_organisation(), Role.COORDINATOR)
    await log_in(client, coordinator.email)
    form = {"name": "Éveil musical", "min_age_months": "6", "max_age_months": "36",
            "duration": "60", "group_size": "8"}  # fmt: skip
    assert (await client.post("/pro/types-d-atelier", data=form)).status_code == 303
    theme = await Theme.get(name="Éveil musical")
    bad = await client.post(
        f"/pro/types-d-atelier/{theme.id}", data={**form, "max_age_months": "2"}
    )
    assert bad.status_code == 422
    assert "L&#39;âge maximum doit suivre l&#39;âge minimum." in bad.text
    duplicate = await client.post("/pro/types-d-atelier", data=form)
    assert "Un type d&#39;atelier porte déjà ce nom." in duplicate.text


async def test_a_facilitator_cannot_manage_themes(
    client: httpx.AsyncClient, database: Settings
) -> None:
    facilitator = await make_user(await make_organisation(), Role.FACILITATOR)
    await log_in(client, facilitator.email)
    assert (await client.get("/pro/types-d-atelier")).status_code == 403

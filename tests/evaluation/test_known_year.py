"""The known-answer year (`known_year.py`, built through the services only): every figure of 2025
and of 2024 beside it, each derived in a comment from its definition
(`workshops/evaluation/definitions.py`); the same after every family is anonymised; the second
convention's figures never in the first's."""

from __future__ import annotations

from typing import Any

import httpx

from tests.evaluation.known_year import EMAILS, KnownYear, build_known_year, utc
from tests.factories import log_in
from workshops.accounts.models import Membership, Role, User
from workshops.evaluation.figures import Evaluation, evaluate
from workshops.evaluation.scope import calendar_year, convention_scope
from workshops.kernel.clock import utc_now
from workshops.kernel.settings import Settings
from workshops.privacy.anonymising import anonymise_family

NOW = utc(2026, 1, 15, 12)

ACTIVITY_2025 = {
    # W1, W2, W3 (first session in 2025, published); the draft of November is not counted.
    "workshops_planned": 3,
    # W1 and W2 each have a session not cancelled that ended; W3 was cancelled.
    "workshops_held": 2,
    "workshops_cancelled": 1,
    # W1 2 + W2 2 + W3 1.
    "sessions_planned": 5,
    # W1's two, W2's first.
    "sessions_held": 3,
    # W2's second (Fanny ill) and W3's only one (the whole workshop).
    "sessions_cancelled": 2,
    # 2 h + 2 h + 1 h 30.
    "session_hours": 5.5,
    # W1: 4 h x 2 facilitators (Fanny, Sophie) + W2: 1 h 30 x 1.
    "facilitator_hours": 9.5,
    "themes": [
        # W1 and W3; only W1's two sessions were held, 2 h each.
        {"theme": "Massage bébé", "workshops": 2, "sessions_held": 2, "session_hours": 4.0},
        {"theme": "Portage", "workshops": 1, "sessions_held": 1, "session_hours": 1.5},
    ],
    "cancellations": [
        {"level": "workshop", "reason": "Travaux", "who": "Claire Coordinatrice", "count": 1},
        {"level": "session", "reason": "Animatrice malade", "who": "Fanny Animatrice", "count": 1},
    ],
}
PREMISES_2025 = {
    # 52 Tuesdays in 2025, 4 of them in August when the site is closed: 48 x 3 h.
    "hours_offered": 144.0,
    # Confirmed bookings: W1 2 x 2 h, W2 2 x 1 h 30 (the cancelled session kept its room), W3
    # 2 h (cancelling a workshop does not give its room back).
    "hours_booked": 9.0,
    # The bookings of the three sessions held.
    "hours_used": 5.5,
    # 5.5 / 144.
    "occupancy_rate": 0.0382,
    # 5.5 h x 20 €.
    "loan_value": 110.0,
    # W1 2, W2 2, W3 1, the declined one, the pending one under the draft.
    "requests": 7,
    # Decided and not declined: W1's, W2's, W3's.
    "requests_confirmed": 5,
    "requests_declined": 1,
    # Decided: (24 + 24 + 12 + 12 + 6 + 48) / 6.
    "mean_response_hours": 21.0,
}
PARTICIPATION_2025 = {
    # Confirmed, workshops not cancelled: W1 Alice, Carla (promoted); W2 Alice, Eve, Hana.
    "registrations": 5,
    # Bob (cancelled online), Gus (cancelled by the staff).
    "registrations_cancelled": 2,
    # Fay and Ivan, still confirmed when W3 was cancelled.
    "registrations_workshop_cancelled": 2,
    # W1: Alice 1 + Carla 1; W2: Alice 1 + Eve 1 + Hana 1.
    "places": 5,
    # W1 3 + W2 4 (W3's 5 places are not offered any more).
    "capacity": 7,
    # 5 / 7 (counting W3 as before issue 14 gave 7 / 7 = 100 %... or 7 / 12 with its places).
    "fill_rate": 0.7143,
    # Dan (2 places) still waiting: Carla's 1 place came free only.
    "waitlist_unserved": 1,
    "waitlist_unserved_places": 2,
    # W1: Alice twice, Carla once; W2 first session: Alice.
    "present": 4,
    # Carla at W1's second session, Hana at W2's first.
    "excused": 2,
    # Eve.
    "absent": 1,
    # 4 / (4 + 2 + 1).
    "attendance_rate": 0.5714,
    # Alice (twice, one key whatever the case of her address), Carla, Eve, Hana.
    "families": 4,
    "families_new": 3,
    # Alice came to W0 in 2024, in the same room.
    "families_returning": 1,
    # At the first session's month: W1 (March) Alice's child born January 2025 (2 months),
    # Carla's September 2024 (6); W2 (June) Alice's July 2024 (11), Eve's January 2022 (41),
    # Hana's May 2023 (25).
    "age_bands": {"prenatal": 0, "0-2": 1, "3-5": 0, "6-11": 2, "12-23": 0, "24-35": 1, "36+": 1},
    # Haguenau, where both workshops are held: Alice "Haguenau", Carla "HAGUENAU ", Hana
    # "haguenau". Elsewhere: Eve (Bischwiller).
    "commune_local": 3,
    "commune_elsewhere": 1,
    # Haguenau typed "Haguenau" twice (Alice), "HAGUENAU" and "haguenau" once each: one row of
    # three families under the most used spelling.
    "communes": [
        {"commune": "Haguenau", "code": "", "families": 3},
        {"commune": "Bischwiller", "code": "", "families": 1},
    ],
    # Alice and Hana from the PMI, Carla from a poster, Eve did not say.
    "heard_from": [
        {"heard_from": "pmi", "families": 2},
        {"heard_from": "", "families": 1},
        {"heard_from": "affiche", "families": 1},
    ],
}
# 2024: W0 alone, Alice present; 9 Tuesdays of 3 h offered from 5 November.
PREVIOUS: dict[str, dict[str, Any]] = {
    "activity": {"workshops_planned": 1, "workshops_held": 1, "sessions_held": 1,
                 "session_hours": 2.0, "facilitator_hours": 2.0},
    "premises": {"hours_offered": 27.0, "hours_booked": 2.0, "hours_used": 2.0,
                 "occupancy_rate": 0.0741, "loan_value": 40.0, "requests": 1,
                 "mean_response_hours": 1.0},
    "participation": {"registrations": 1, "places": 1, "capacity": 6, "fill_rate": 0.1667,
                      "present": 1, "families": 1, "families_new": 1, "families_returning": 0,
                      "communes": [{"commune": "Haguenau", "code": "", "families": 1}]},
}  # fmt: skip


async def _evaluate(year: KnownYear, which: str = "convention") -> Evaluation:
    convention = year.convention if which == "convention" else year.other
    return await evaluate(
        scope=convention_scope(convention.id, convention.pmi_id),
        period=calendar_year(2025),
        zone=year.zone,
        now=NOW,
    )


def _subset(figures: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    return {key: figures[key] for key in expected}


async def test_every_figure_of_the_known_year(database: Settings) -> None:
    year = await build_known_year(database)
    evaluation = await _evaluate(year)
    assert evaluation.current["activity"] == ACTIVITY_2025
    assert evaluation.current["premises"] == PREMISES_2025
    assert evaluation.current["participation"] == PARTICIPATION_2025
    for section, expected in PREVIOUS.items():
        assert _subset(evaluation.previous[section], expected) == expected, section


async def test_the_second_convention_keeps_its_own_figures(database: Settings) -> None:
    year = await build_known_year(database)
    other = await _evaluate(year, "other")
    participation = other.current["participation"]
    # W5 only: Zoe and Alice, both present; Alice is new there (never in room B before).
    assert other.current["activity"]["workshops_planned"] == 1
    assert (participation["registrations"], participation["families"]) == (2, 2)
    assert (participation["present"], participation["families_new"]) == (2, 2)


async def test_the_year_is_the_same_after_every_family_is_anonymised(database: Settings) -> None:
    year = await build_known_year(database)
    before = await _evaluate(year)
    for email in EMAILS:
        assert await anonymise_family(email=email, now=utc_now())
    after = await _evaluate(year)
    assert after.current == before.current
    assert after.previous == before.previous
    assert after.current["participation"] == PARTICIPATION_2025


async def test_the_partner_overview_shows_the_same_fill_rate(
    client: httpx.AsyncClient, database: Settings
) -> None:
    year = await build_known_year(database)
    [coordinator] = await User.filter(
        memberships__organisation_id=year.convention.pmi_id,
        memberships__role=Role.COORDINATOR,
    )
    assert await Membership.exists(user_id=coordinator.id)
    await log_in(client, coordinator.email)
    page = await client.get(
        f"/pro/bilans?portee=partenaire&partenaire={year.convention.partner_id}&annee=2025"
    )
    assert page.status_code == 200
    # 5 places of 7 (it read 100 % while W3's registrations counted).
    assert "71,4 %" in page.text

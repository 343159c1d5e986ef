"""Rule 6: families are anonymised after the retention period; the evaluation does not move."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from tests.conftest import TEST_DATABASE_URL
from tests.evaluation.dataset import NOW, ZONE, build
from workshops.audit.models import AuditEvent
from workshops.evaluation.figures import Evaluation, evaluate
from workshops.evaluation.scope import Scope, ScopeKind, calendar_year
from workshops.kernel.settings import Settings
from workshops.privacy.anonymising import (
    DAILY_ACTION,
    anonymise_expired,
    apply_retention_daily,
)
from workshops.signup.models import Registration

LONG_AFTER = datetime(2030, 1, 1, tzinfo=UTC)


async def _evaluate_everything() -> Evaluation:
    return await evaluate(
        scope=Scope(ScopeKind.ALL), period=calendar_year(2025), zone=ZONE, now=NOW
    )


async def test_the_evaluation_is_identical_before_and_after_anonymisation(
    database: Settings,
) -> None:
    await build()
    before = await _evaluate_everything()

    erased = await anonymise_expired(settings=database, now=LONG_AFTER)

    assert len(erased) == await Registration.all().count()
    after = await _evaluate_everything()
    assert after.current == before.current
    assert after.previous == before.previous


async def test_names_emails_phones_and_free_text_are_gone(database: Settings) -> None:
    await build()
    alice = await Registration.filter(email__iexact="alice@exemple.fr").values_list("id", flat=True)

    await anonymise_expired(settings=database, now=LONG_AFTER)

    for registration in await Registration.all():
        assert registration.parent_name == ""
        assert registration.email == f"anonyme-{registration.id}@invalid"
        assert (registration.phone, registration.needs) == ("", "")
        assert registration.anonymised_at == LONG_AFTER
        # What statistics need stays.
        assert registration.commune and registration.children
    # One key per family: Alice's three registrations share hers; eight families in all.
    keys = await Registration.filter(id__in=alice).values_list("family_key", flat=True)
    assert len(set(keys)) == 1
    assert len(set(await Registration.all().values_list("family_key", flat=True))) == 8


async def test_a_family_with_a_recent_session_keeps_its_data(database: Settings) -> None:
    await build()
    # 24 months after W1 (March 2025) but not after Alice's June 2025 session.
    march_2027 = datetime(2027, 3, 20, tzinfo=UTC)

    await anonymise_expired(settings=database, now=march_2027)

    assert await Registration.filter(email__iexact="alice@exemple.fr").count() == 3
    assert not await Registration.filter(email="bob@exemple.fr").exists()
    assert await Registration.filter(email="eve@exemple.fr").exists()


async def test_the_audit_log_names_registrations_never_an_email(database: Settings) -> None:
    await build()

    erased = await anonymise_expired(settings=database, now=LONG_AFTER)

    event = await AuditEvent.get(action=DAILY_ACTION)
    assert event.details == {"registration_ids": erased}
    assert "@" not in event.summary + str(event.details)


async def test_the_worker_applies_the_retention_once_a_day(database: Settings) -> None:
    await apply_retention_daily(database)
    await apply_retention_daily(database)
    assert await AuditEvent.filter(action=DAILY_ACTION).count() == 1


def test_the_command_line_anonymises(tmp_path: Path) -> None:
    if TEST_DATABASE_URL:
        return
    env = {"DATA_DIR": str(tmp_path), "PATH": ""}
    for command in ("migrate", "anonymise"):
        done = subprocess.run(
            [sys.executable, "-m", "workshops.cli", command],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    assert "0 inscription(s) anonymisée(s)" in done.stdout
    assert "24 mois" in done.stdout


def test_the_report_command_writes_a_spreadsheet(tmp_path: Path) -> None:
    if TEST_DATABASE_URL:
        return
    env = {"DATA_DIR": str(tmp_path), "PATH": ""}
    steps = [["migrate"], ["report", "--convention", "1", "--period", "2025", "--output", "x"]]
    results = [
        subprocess.run(
            [sys.executable, "-m", "workshops.cli", *step],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        for step in steps
    ]
    # No convention 1 in an empty database: a French line and exit code 2, no traceback.
    assert results[1].returncode == 2
    assert "Aucune convention n° 1." in results[1].stderr
    assert "Traceback" not in results[1].stderr

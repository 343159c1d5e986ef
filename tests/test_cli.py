"""The `workshops` command: migrations in step with the models, demo, createuser."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_DATABASE_URL
from workshops.accounts.models import Membership, Organisation, User
from workshops.demo import ACCOUNTS, DEMO_PASSWORD, load_demo
from workshops.kernel import db
from workshops.kernel.settings import Settings


async def test_the_migrations_match_the_models() -> None:
    assert await db.pending_migrations(write=False) == []


async def test_the_demo_can_be_loaded_twice(database: Settings) -> None:
    await load_demo()
    counts = (await Organisation.all().count(), await User.all().count())
    await load_demo()
    assert (await Organisation.all().count(), await User.all().count()) == counts
    assert counts == (4, len(ACCOUNTS))
    assert await Membership.all().count() == len(ACCOUNTS)


def _run(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATA_DIR": str(tmp_path)}
    if TEST_DATABASE_URL:
        pytest.skip("the command-line round trip runs on the embedded SQLite database")
    return subprocess.run(
        [sys.executable, "-m", "workshops.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrate_then_demo_then_createuser_from_a_fresh_folder(tmp_path: Path) -> None:
    assert _run(tmp_path, "migrate").returncode == 0
    demo = _run(tmp_path, "demo")
    assert demo.returncode == 0, demo.stderr
    assert DEMO_PASSWORD in demo.stdout
    assert "csc-schuman@demo.ateliers.example" in demo.stdout
    created = _run(
        tmp_path,
        "createuser",
        "--email=nouvelle@exemple.fr",
        "--name=Nouvelle Puéricultrice",
        "--organisation=Département du Bas-Rhin – PMI, Unité territoriale Nord",
        "--role=facilitator",
        "--password=une phrase bien longue",
    )
    assert created.returncode == 0, created.stderr
    assert "Compte créé : nouvelle@exemple.fr" in created.stdout


def test_createuser_explains_a_refusal_in_french(tmp_path: Path) -> None:
    _run(tmp_path, "migrate")
    refused = _run(
        tmp_path,
        "createuser",
        "--email=pas-une-adresse",
        "--name=X",
        "--organisation=PMI",
        "--role=admin",
        "--password=court",
    )
    assert refused.returncode == 2
    assert "Indiquez une adresse e-mail valide" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_createuser_without_a_terminal_asks_for_the_missing_values(tmp_path: Path) -> None:
    _run(tmp_path, "migrate")
    refused = _run(tmp_path, "createuser", "--email=a@exemple.fr")
    assert refused.returncode == 2
    assert "valeur manquante" in refused.stderr


def test_createuser_asks_interactively_at_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if TEST_DATABASE_URL:
        pytest.skip("the command-line round trip runs on the embedded SQLite database")
    from workshops import cli

    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert cli.main(["migrate"]) == 0
    answers = iter(["claire@exemple.fr", "Claire Martin", "PMI Nord", "coordinator"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: "une phrase bien longue")
    assert cli.main(["createuser"]) == 0
    assert "Compte créé : claire@exemple.fr" in capsys.readouterr().out


def test_migrate_lists_the_communes_typed_freely_that_the_official_list_does_not_know(
    tmp_path: Path,
) -> None:
    assert _run(tmp_path, "demo").returncode == 0
    with sqlite3.connect(tmp_path / "workshops.sqlite3") as database:
        database.execute(
            "UPDATE registration SET commune = 'Hagenau', commune_code = '' WHERE id IN "
            "(SELECT id FROM registration ORDER BY id LIMIT 2)"
        )
        database.execute(
            "UPDATE registration SET commune = 'haguenau', commune_code = '' WHERE id = "
            "(SELECT MAX(id) FROM registration)"
        )
    migrated = _run(tmp_path, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert "Communes reconnues dans la liste officielle : 1." in migrated.stdout
    assert "non reconnues (gardées telles quelles) : « Hagenau » (2)" in migrated.stdout
    again = _run(tmp_path, "communes")
    assert "Communes reconnues" not in again.stdout
    assert "« Hagenau » (2)" in again.stdout


def test_communes_lists_the_sites_whose_commune_the_official_list_does_not_know(
    tmp_path: Path,
) -> None:
    assert _run(tmp_path, "migrate").returncode == 0
    assert _run(tmp_path, "demo").returncode == 0
    with sqlite3.connect(tmp_path / "workshops.sqlite3") as database:
        assert database.execute("SELECT COUNT(*) FROM site WHERE commune_code = ''").fetchone() == (
            0,
        )
        database.execute(
            "UPDATE site SET commune = 'Hagenau', commune_code = '', name = 'Annexe' "
            "WHERE id = (SELECT MIN(id) FROM site)"
        )
        database.execute(
            "UPDATE site SET commune = 'HAGUENAU', commune_code = '' "
            "WHERE id = (SELECT MAX(id) FROM site)"
        )
    first = _run(tmp_path, "communes")
    assert first.returncode == 0, first.stderr
    assert "Communes des lieux reconnues dans la liste officielle : 1." in first.stdout
    assert (
        "Lieux dont la commune n'est pas reconnue (gardée telle quelle) : « Annexe » : « Hagenau »"
        in first.stdout
    )
    again = _run(tmp_path, "communes")
    assert "Communes des lieux reconnues" not in again.stdout
    assert "« Annexe » : « Hagenau »" in again.stdout

"""Settings from the environment: defaults, the kept secret key, one clear line on error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from workshops.kernel.settings import SettingsError, load_settings


def test_defaults_give_an_embedded_sqlite_setup(tmp_path: Path) -> None:
    settings = load_settings({"DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite://{tmp_path / 'workshops.sqlite3'}"
    assert settings.is_embedded and settings.run_worker_in_process
    assert settings.base_url == "http://127.0.0.1:8000" and not settings.https
    assert settings.timezone == "Europe/Paris"
    assert settings.session_idle_hours == 8


def test_the_generated_secret_key_is_kept_in_the_data_folder(tmp_path: Path) -> None:
    first = load_settings({"DATA_DIR": str(tmp_path)}).secret_key
    second = load_settings({"DATA_DIR": str(tmp_path)}).secret_key
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_the_legal_pages_defaults_say_they_are_to_be_configured(tmp_path: Path) -> None:
    settings = load_settings({"DATA_DIR": str(tmp_path)})
    for value in (
        settings.publisher_name,
        settings.publisher_address,
        settings.publisher_phone,
        settings.publication_director,
        settings.hosting_name,
        settings.hosting_address,
        settings.hosting_phone,
    ):
        assert "à configurer" in value
    assert settings.accessibility_email == settings.publisher_email == "contact@ateliers.example"


def test_the_legal_pages_settings_come_from_the_environment(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "DATA_DIR": str(tmp_path),
            "PUBLISHER_NAME": "Département du Bas-Rhin, service de PMI",
            "PUBLISHER_ADDRESS": "Place du Quartier Blanc, 67964 Strasbourg Cedex 9",
            "PUBLISHER_EMAIL": "pmi@bas-rhin.example",
            "PUBLISHER_PHONE": "03 88 76 67 67",
            "PUBLICATION_DIRECTOR": "Frédéric Bierry",
            "HOSTING_NAME": "OVH SAS",
            "HOSTING_ADDRESS": "2 rue Kellermann, 59100 Roubaix",
            "HOSTING_PHONE": "1007",
        }
    )
    assert settings.publisher_name == "Département du Bas-Rhin, service de PMI"
    assert settings.publisher_address == "Place du Quartier Blanc, 67964 Strasbourg Cedex 9"
    assert settings.publisher_phone == "03 88 76 67 67"
    assert settings.publication_director == "Frédéric Bierry"
    assert (settings.hosting_name, settings.hosting_phone) == ("OVH SAS", "1007")
    assert settings.hosting_address == "2 rue Kellermann, 59100 Roubaix"
    # Without its own address, accessibility feedback goes to the publisher.
    assert settings.accessibility_email == "pmi@bas-rhin.example"
    own = load_settings({"DATA_DIR": str(tmp_path), "ACCESSIBILITY_EMAIL": "a11y@cd67.example"})
    assert own.accessibility_email == "a11y@cd67.example"


def test_postgresql_urls_are_accepted_in_both_spellings(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgresql://app:secret@db.interne:5432/ateliers",
            "SECRET_KEY": "k" * 40,
        }
    )
    assert settings.database_url == "postgres://app:secret@db.interne:5432/ateliers"
    assert settings.is_postgres and not settings.run_worker_in_process


def test_a_postgresql_server_on_this_machine_may_be_reached_by_its_unix_socket(
    tmp_path: Path,
) -> None:
    url = "postgres://postgres@/ateliers?host=/var/run/postgresql"
    settings = load_settings(
        {"DATA_DIR": str(tmp_path), "DATABASE_URL": url, "SECRET_KEY": "k" * 40}
    )
    assert settings.database_url == url and settings.is_postgres


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": "postgres://db.interne/ateliers"}, "SECRET_KEY est obligatoire"),
        ({"DATABASE_URL": "mysql://db/ateliers"}, "DATABASE_URL doit commencer par"),
        ({"DATABASE_URL": "postgres:///ateliers"}, "DATABASE_URL doit nommer un hôte"),
        ({"DATABASE_URL": "postgres://db.interne/"}, "DATABASE_URL doit nommer un hôte"),
        ({"DATABASE_URL": "postgres:///ateliers?host=relatif"}, "DATABASE_URL doit nommer"),
        ({"SECRET_KEY": "court"}, "au moins 32 caractères"),
        ({"BASE_URL": "ateliers.exemple.fr"}, "BASE_URL doit être une adresse http(s)"),
        ({"TIMEZONE": "Europe/Haguenau"}, "TIMEZONE n'est pas un fuseau horaire connu"),
        ({"SMTP_PORT": "vingt-cinq"}, "SMTP_PORT doit être un nombre entier"),
        ({"SMTP_PORT": "70000"}, "SMTP_PORT doit valoir entre 1 et 65535"),
        ({"SMTP_SECURITY": "ssl"}, "SMTP_SECURITY doit valoir starttls, tls, none"),
        ({"SESSION_IDLE_HOURS": "jamais"}, "SESSION_IDLE_HOURS doit être un nombre"),
        ({"PUBLISHER_EMAIL": "accueil-pmi"}, "PUBLISHER_EMAIL doit être une adresse électronique"),
        ({"ACCESSIBILITY_EMAIL": "a11y@local"}, "ACCESSIBILITY_EMAIL doit être une adresse"),
    ],
)
def test_a_bad_setting_is_named_in_french(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings({"DATA_DIR": str(tmp_path), **env})
    assert message in str(error.value)


def test_the_command_stops_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://db/ateliers"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "workshops.cli", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Erreur de configuration : SECRET_KEY est obligatoire avec PostgreSQL "
        "(au moins 32 caractères aléatoires)."
    ]

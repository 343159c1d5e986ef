"""The application factory: the embedded mode migrates a fresh data folder at start-up."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_DATABASE_URL
from tests.html_check import CHECK_HTML
from workshops.app import create_app
from workshops.kernel.settings import load_settings


async def test_embedded_start_up_creates_and_migrates_the_database(tmp_path: Path) -> None:
    if TEST_DATABASE_URL:
        pytest.skip("the embedded mode is SQLite; PostgreSQL is migrated by `workshops migrate`")
    data_dir = tmp_path / "donnees"
    app = create_app(load_settings({"DATA_DIR": str(data_dir)}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", event_hooks=CHECK_HTML
        ) as client:
            assert (await client.get("/healthz")).status_code == 200
            login = await client.post(
                "/pro/connexion", data={"email": "x@exemple.fr", "password": "quelque chose"}
            )
            assert login.status_code == 422  # the tables exist: a normal refusal, not a 500
    assert (data_dir / "workshops.sqlite3").exists()
    assert (data_dir / "secret_key").exists()


def test_the_factory_reads_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BASE_URL", "https://ateliers.exemple.fr")
    app = create_app()
    assert app.state.settings.https


def test_the_factory_exits_in_french_on_a_bad_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TIMEZONE", "Mars/Olympus")
    with pytest.raises(SystemExit) as stopped:
        create_app()
    assert stopped.value.code == 2
    assert "TIMEZONE n'est pas un fuseau horaire connu" in capsys.readouterr().err

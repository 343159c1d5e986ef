"""What families typed in the journeys never reaches the server log (DESIGN section 2, rule 6):
no name, e-mail or phone, and no secret link of a registration."""

from __future__ import annotations

import pytest

from tests.browser.conftest import LiveServer


@pytest.mark.after_journeys
def test_the_server_log_holds_no_personal_data_typed_by_families(
    live_server: LiveServer, typed_personal_data: set[str]
) -> None:
    if not typed_personal_data:
        pytest.skip("no browser journey ran in this session")
    log = (live_server.data_dir / "server.log").read_text(encoding="utf-8")
    assert "GET / " in log or "GET /?" in log, "the server log does not record requests"
    found = sorted(item for item in typed_personal_data if item.lower() in log.lower())
    assert found == [], f"personal data in the server log: {found}"

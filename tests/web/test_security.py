"""Cross-origin protection, security headers, body size limit and the French error pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from starlette.datastructures import Headers
from starlette.routing import Route

from tests.conftest import make_settings
from tests.factories import log_in, make_organisation, make_user
from tests.html_check import CHECK_HTML
from workshops.accounts.models import Role
from workshops.app import create_app
from workshops.kernel.settings import Settings
from workshops.web.security import is_cross_origin_request

OWN = "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("method", "headers", "refused"),
    [
        ("GET", {"sec-fetch-site": "cross-site"}, False),
        ("POST", {"sec-fetch-site": "same-origin"}, False),
        ("POST", {"sec-fetch-site": "none"}, False),
        ("POST", {"sec-fetch-site": "cross-site"}, True),
        ("POST", {"sec-fetch-site": "same-site"}, True),
        ("POST", {"origin": OWN, "host": "127.0.0.1:8000"}, False),
        ("POST", {"origin": "https://evil.example", "host": "127.0.0.1:8000"}, True),
        ("POST", {"origin": "null", "host": "127.0.0.1:8000"}, True),
        ("DELETE", {"origin": "https://evil.example"}, True),
        ("POST", {"origin": "http://proxy.interne:8080", "host": "proxy.interne:8080"}, False),
        ("POST", {}, False),
    ],
)
def test_cross_origin_decision(method: str, headers: dict[str, str], refused: bool) -> None:
    assert is_cross_origin_request(method, Headers(headers), OWN) is refused


async def test_a_post_from_another_site_to_a_staff_endpoint_is_refused(
    client: httpx.AsyncClient,
) -> None:
    admin = await make_user(await make_organisation(), role=Role.ADMIN)
    await log_in(client, admin.email)
    response = await client.post(
        "/pro/structures",
        data={"name": "Intrus", "kind": "centre", "commune": "Ailleurs"},
        headers={"origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert "Cette demande ne vient pas de ce site" in response.text
    same_site = await client.post(
        "/pro/structures",
        data={"name": "Centre légitime", "kind": "centre", "commune": "Haguenau"},
        headers={"sec-fetch-site": "same-origin"},
    )
    assert same_site.status_code == 303


async def test_every_response_carries_the_security_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    not_found = await client.get("/introuvable")
    assert not_found.headers["x-content-type-options"] == "nosniff"


async def test_a_body_over_the_limit_gets_the_french_413_page(
    tmp_path: Path, database: Settings
) -> None:
    app = create_app(make_settings(tmp_path, MAX_REQUEST_BYTES="2048"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", event_hooks=CHECK_HTML
    ) as client:
        response = await client.post("/pro/connexion", data={"email": "x" * 5000, "password": "y"})
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.text


async def test_a_wrong_method_gets_a_french_page(client: httpx.AsyncClient) -> None:
    response = await client.delete("/pro/connexion")
    assert response.status_code == 405
    assert "Action non permise" in response.text


async def test_an_unexpected_failure_gets_the_french_500_page(database: Settings) -> None:
    async def broken(request: object) -> None:
        raise RuntimeError("panne simulée")

    app = create_app(database)
    app.router.routes.append(Route("/panne", broken))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", event_hooks=CHECK_HTML
    ) as client:
        response = await client.get("/panne")
    assert response.status_code == 500
    assert "Erreur du serveur" in response.text
    assert "panne simulée" not in response.text


@pytest.mark.parametrize(
    "failure",
    [
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        OSError("Multiple exceptions: [Errno 111] Connect call failed ('127.0.0.1', 5432)"),
        ConnectionRefusedError(111, "Connection refused"),
        asyncpg.InternalClientError("cannot switch to state 12; another operation is in progress"),
    ],
)
async def test_a_database_out_of_reach_gets_the_french_503_page(
    database: Settings, failure: Exception
) -> None:
    async def unreachable(request: object) -> None:
        try:
            raise failure
        except Exception as error:
            # As Tortoise does: its own exception, the driver's as the cause.
            raise RuntimeError("requête impossible") from error

    app = create_app(database)
    app.router.routes.append(Route("/base-coupee", unreachable))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", event_hooks=CHECK_HTML
    ) as client:
        response = await client.get("/base-coupee")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert "Service momentanément indisponible" in response.text


async def test_a_huge_id_in_the_address_is_simply_not_found(client: httpx.AsyncClient) -> None:
    admin = await make_user(await make_organisation(), role=Role.ADMIN)
    await log_in(client, admin.email)
    response = await client.get("/pro/structures/99999999999999999999999")
    assert response.status_code == 404
    assert "Page introuvable" in response.text


async def test_a_streamed_body_over_the_limit_is_stopped_too(
    tmp_path: Path, database: Settings
) -> None:
    app = create_app(make_settings(tmp_path, MAX_REQUEST_BYTES="2048"))

    async def chunks() -> AsyncIterator[bytes]:
        yield b"email=" + b"x" * 1500
        yield b"x" * 1500 + b"&password=y"

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", event_hooks=CHECK_HTML
    ) as client:
        response = await client.post(
            "/pro/connexion",
            content=chunks(),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.text

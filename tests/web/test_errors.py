"""A database out of reach is an answer, not a crash: the 503 page, the connection kept alive,
one line in the log."""

from __future__ import annotations

import logging

import asyncpg
import httpx
import pytest
from starlette.routing import Route

from workshops.app import create_app
from workshops.kernel.settings import Settings


@pytest.mark.parametrize(
    "failure",
    [
        asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        TimeoutError(),  # no pooled connection came free within DATABASE_ACQUIRE_TIMEOUT
        ConnectionRefusedError(111, "Connection refused"),
    ],
    ids=["connexion-coupee", "arret-du-serveur", "pool-occupe", "connexion-refusee"],
)
async def test_a_database_error_is_a_503_that_keeps_the_connection_and_logs_one_line(
    database: Settings, failure: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    async def unreachable(request: object) -> None:
        raise failure

    app = create_app(database)
    app.router.routes.append(Route("/base-coupee", unreachable))
    # raise_app_exceptions stays on: an exception that escapes the application fails the test,
    # as the server would have logged a traceback and closed the connection.
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        with caplog.at_level(logging.WARNING):
            response = await client.get("/base-coupee")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert "Service momentanément indisponible" in response.text
    assert response.headers.get("connection") != "close"
    logged = [record for record in caplog.records if record.name == "workshops.web"]
    assert [record.exc_info for record in logged] == [None]
    assert "GET /base-coupee" in logged[0].getMessage()

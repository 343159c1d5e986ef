"""The ceiling for the catalogue: the same first page, straight from asyncpg, no ORM, no template.

A bare Starlette endpoint that answers `GET /` with the very statements the catalogue sends for its
first page without filters (`workshops.signup.catalogue`: the page's workshops with their total and
sites, then the filter choices) and writes the page by string joining. `benchmarks/load.py` serves
it with uvicorn beside the real application: what the real one reaches, as a share of this, is the
price of the ORM layer, the templates and the middleware. Not part of the application.
"""

from __future__ import annotations

import html
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from workshops.kernel.db import LeanConnection, numbered
from workshops.signup.catalogue import CHOICES_STATEMENT, PAGE_STATEMENT

PAGE_SQL = numbered(PAGE_STATEMENT.format(where="", having=""), 4)
CHOICES_SQL = numbered(CHOICES_STATEMENT, 1)


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    # The same pool settings as the application's (five connections per worker, given back
    # without asyncpg's reset statement): only the ORM, templates and middleware differ.
    app.state.pool = await asyncpg.create_pool(
        os.environ["DATABASE_URL"], min_size=1, max_size=5, connection_class=LeanConnection
    )
    try:
        yield
    finally:
        await app.state.pool.close()


async def catalogue(request: Request) -> HTMLResponse:
    pool = request.app.state.pool
    rows = await pool.fetch(PAGE_SQL, "published", datetime.now(UTC), 10, 0)
    choices = await pool.fetch(CHOICES_SQL, "centre")
    total = rows[0]["total"] if rows else 0
    items = "".join(
        f"<li><h3><a href='/ateliers/{row['id']}'>{html.escape(row['title'])}</a></h3>"
        f"<p>{html.escape(row['theme'])} · {row['first_start']:%d/%m/%Y %H:%M}"
        f" · {html.escape(row['site_name'] or '')}"
        f" · {max(0, row['capacity'] - row['places_taken'])} places</p></li>"
        for row in rows
    )
    options = "".join(
        f"<option value='{row['id']}'>{html.escape(row['name'])}</option>" for row in choices
    )
    return HTMLResponse(
        f"<!doctype html><select>{options}</select><h2>{total} ateliers à venir</h2>"
        f"<ul>{items}</ul>"
    )


app = Starlette(routes=[Route("/", catalogue)], lifespan=lifespan)

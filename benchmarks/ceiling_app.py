"""The ceiling for the catalogue: the same first page, straight from asyncpg, no ORM, no template.

A bare Starlette endpoint that answers `GET /` with the query the catalogue needs (visible upcoming
workshops: published, every planned session in a confirmed booking, first session to come; soonest
first; ten per page; with the total) and writes the page by string joining. `benchmarks/load.py`
serves it with uvicorn beside the real application: what the real one reaches, as a share of this,
is the price of the ORM, the templates and the middleware. Not part of the application.
"""

from __future__ import annotations

import html
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from workshops.db import LeanConnection

PAGE_SQL = """
WITH planned AS (
    SELECT s.workshop_id, min(s.starts_at) AS first_start,
           bool_and(b.status = 'confirmed') AS all_confirmed
    FROM workshop_session s JOIN room_booking b ON b.id = s.booking_id
    WHERE s.cancelled_at IS NULL
    GROUP BY s.workshop_id
), visible AS (
    SELECT w.id, w.title, w.capacity, w.places_taken, p.first_start, t.name AS theme
    FROM workshop w JOIN planned p ON p.workshop_id = w.id JOIN theme t ON t.id = w.theme_id
    WHERE w.status = 'published' AND p.all_confirmed AND p.first_start > now()
)
SELECT *, count(*) OVER () AS total FROM visible ORDER BY first_start, id LIMIT 10
"""


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
    rows = await request.app.state.pool.fetch(PAGE_SQL)
    total = rows[0]["total"] if rows else 0
    items = "".join(
        f"<li><h3><a href='/ateliers/{row['id']}'>{html.escape(row['title'])}</a></h3>"
        f"<p>{html.escape(row['theme'])} · {row['first_start']:%d/%m/%Y %H:%M}"
        f" · {max(0, row['capacity'] - row['places_taken'])} places</p></li>"
        for row in rows
    )
    return HTMLResponse(f"<!doctype html><h2>{total} ateliers à venir</h2><ul>{items}</ul>")


app = Starlette(routes=[Route("/", catalogue)], lifespan=lifespan)

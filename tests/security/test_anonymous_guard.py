"""Identity is checked before objects: generated from the route table.

For every staff route with an id in its path, an anonymous GET or POST naming an existing object
and one naming a missing object get the identical answer (the login redirect), so nobody can
probe which ids exist without signing in.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import httpx
from starlette.applications import Starlette
from starlette.routing import Route

from tests.security.test_authorization_sweep import FOREIGN_IDS, _foreign_world
from workshops.web.auth import PUBLIC_STAFF_ROUTES

MISSING_ID = 987654


def _routes_with_ids(app: Starlette) -> list[tuple[str, str]]:
    return [
        (method, route.path)
        for route in app.routes
        if isinstance(route, Route)
        and route.path.startswith("/pro/")
        and route.name not in PUBLIC_STAFF_ROUTES
        and ":id}" in route.path
        for method in sorted(route.methods or ())
        if method != "HEAD"
    ]


async def test_anonymous_requests_get_the_same_answer_for_existing_and_missing_ids(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    foreign = await _foreign_world(app.state.settings)
    routes = _routes_with_ids(app)
    assert len(routes) >= 20, routes
    answers = []
    for method, template in routes:
        existing = template
        for name in re.findall(r"{(\w+):id}", template):
            existing = existing.replace(f"{{{name}:id}}", str(FOREIGN_IDS[name](foreign)))
        missing = re.sub(r"{(\w+):id}", str(MISSING_ID), template)
        for path in (existing, missing):
            response = await client.request(method, path, data={"email": "x@exemple.fr"})
            answers.append((method, path, response.status_code, response.headers.get("location")))
    expected = [
        (method, path, 303, f"/pro/connexion?suivant={quote(path)}")
        for method, path, _status, _location in answers
    ]
    assert answers == expected


def test_every_staff_route_is_guarded_but_the_public_ones(app: Starlette) -> None:
    """The public staff routes exist in the route table under /pro/ (a renamed one would be
    guarded, and its page unreachable; a typo here would leave nothing unguarded)."""
    staff_routes = {
        route.name
        for route in app.routes
        if isinstance(route, Route) and route.path.startswith("/pro/")
    }
    assert staff_routes >= PUBLIC_STAFF_ROUTES

"""No page or file holding personal data stays in a cache: generated from the route table.

Every route under /pro/ (staff pages, exports, the pages of invitation and password links) and
every route reached by a secret token (a registration's link, a private calendar feed) is
requested by a logged-in administrator with real ids and real tokens, and by a visitor: each
answer, page, file, redirect or refusal, carries `Cache-Control: no-store`. A new route under
these prefixes is covered without being listed here.
"""

from __future__ import annotations

import re

import httpx
from starlette.applications import Starlette
from starlette.routing import Route

from tests.factories import log_in, make_organisation, make_user
from tests.planning.factories import make_workshop
from tests.security.test_authorization_sweep import FOREIGN_IDS, Foreign, _foreign_world
from tests.signup.helpers import family
from workshops.accounts.models import Organisation, OrganisationKind, Role
from workshops.calendars.feeds import new_token as new_feed_token
from workshops.calendars.models import CalendarFeed
from workshops.kernel.settings import Settings
from workshops.signup.links import hash_token, new_token
from workshops.signup.models import Registration
from workshops.signup.registering import register_family


def _private_routes(app: Starlette) -> list[tuple[str, str]]:
    """Every (method, path template) of a staff route or of a route reached by a token."""
    found = []
    for route in app.routes:
        if not isinstance(route, Route):
            continue
        if not (route.path.startswith("/pro/") or "{token}" in route.path):
            continue
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                found.append((method, route.path))
    return found


def _fill(path: str, world: Foreign, tokens: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "token":
            return tokens.get(path.split("/")[1], new_token())
        assert name in FOREIGN_IDS, f"say which object {{{name}}} names in FOREIGN_IDS"
        return str(FOREIGN_IDS[name](world))

    return re.sub(r"{(\w+)(?::\w+)?}", replace, path)


async def _tokens(settings: Settings) -> dict[str, str]:
    """A registration's secret link and a private feed's secret address, by first path segment."""
    workshop = await make_workshop()
    outcome = await register_family(settings=settings, workshop_id=workshop.id, family=family())
    registration_token = new_token()
    await Registration.filter(id=outcome.registration.id).update(
        token_hash=hash_token(registration_token)
    )
    facilitator = await make_user(await make_organisation(OrganisationKind.PMI))
    feed = await CalendarFeed.create(token=new_feed_token(), user_id=facilitator.id)
    return {"inscription": registration_token, "agendas": feed.token}


async def _answers_without_no_store(
    client: httpx.AsyncClient, app: Starlette, world: Foreign, tokens: dict[str, str]
) -> list[str]:
    problems = []
    for method, template in _private_routes(app):
        path = _fill(template, world, tokens)
        response = await client.request(method, path, data={"email": "x@exemple.fr"})
        if response.headers.get("cache-control") != "no-store":
            problems.append(f"{method} {path}: {response.status_code} {response.headers}")
    return problems


async def test_every_staff_and_token_route_answers_no_store_to_an_administrator(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    settings = app.state.settings
    world = await _foreign_world(settings)
    tokens = await _tokens(settings)
    admin = await make_user(await make_organisation(OrganisationKind.PMI), role=Role.ADMIN)
    await log_in(client, admin.email)
    routes = _private_routes(app)
    assert len(routes) >= 80, routes
    assert ("GET", "/inscription/{token}") in routes
    assert ("GET", "/agendas/{token}.ics") in routes
    assert await _answers_without_no_store(client, app, world, tokens) == []


async def test_the_exports_and_the_token_pages_really_answer_and_are_not_stored(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    """The files themselves, not only refusals: a CSV, a private feed, a registration's page."""
    tokens = await _tokens(app.state.settings)
    workshop = await make_workshop()
    organisation = await Organisation.get(id=workshop.organisation_id)
    await log_in(client, (await make_user(organisation, role=Role.COORDINATOR)).email)
    for path in (
        f"/pro/ateliers/{workshop.id}/inscriptions/export",
        f"/pro/ateliers/{workshop.id}/inscriptions",
        f"/inscription/{tokens['inscription']}",
        f"/agendas/{tokens['agendas']}.ics",
    ):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-store", path


async def test_every_staff_and_token_route_answers_no_store_to_a_visitor(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    settings = app.state.settings
    world = await _foreign_world(settings)
    tokens = await _tokens(settings)
    assert await _answers_without_no_store(client, app, world, tokens) == []


async def test_the_public_catalogue_and_feed_stay_cacheable(
    client: httpx.AsyncClient, app: Starlette
) -> None:
    await make_workshop()
    assert "no-store" not in (await client.get("/")).headers.get("cache-control", "")
    assert (await client.get("/ateliers.ics")).headers["cache-control"] == "public, max-age=300"

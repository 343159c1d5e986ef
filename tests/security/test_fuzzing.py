"""Hostile input: random forms and query strings on every route, never a 5xx.

Hypothesis draws field names (the route's real ones and others), values (unicode, control
characters, huge strings, HTML and SQL fragments) and repeats fields. Each route must answer
below 500. The app runs on one event loop for the whole test, so that hypothesis (which is
synchronous) can drive the async client example after example.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from starlette.routing import Route

from tests.factories import PASSWORD, make_organisation, make_user
from tests.html_check import CHECK_HTML
from workshops.accounts.models import Role
from workshops.app import create_app
from workshops.kernel import db
from workshops.kernel.settings import Settings

KNOWN_FIELDS = [
    "email", "password", "suivant", "langue", "retour", "current_password", "new_password",
    "confirmation", "full_name", "name", "kind", "commune", "territory", "contact_email",
    "phone", "role", "page",
    "parent_name", "adults", "first_time", "heard_from", "needs", "reminders", "site_web",
    "child_1_kind", "child_1_month", "child_2_kind", "child_2_month", "centre", "theme", "age",
    "du", "au", "places", "title", "description", "capacity", "min_age_months", "max_age_months",
    "prenatal", "communes", "bookings", "message", "status", "what_to_bring", "duration",
    "group_size", "opens", "closes", "starts_on",
    "partenaire", "pmi", "reference", "starts_on", "term_months",
    "tacit_renewal", "max_years", "notice_months", "rooms", "clause_premises", "clause_upkeep",
    "signed_on", "terminated_on", "reason", "document_kind", "document_party",
    "document_expires_on",
    "annee", "periode", "comment", "confirm", "portee",
]  # fmt: skip
NASTY = [
    "",
    " ",
    "\x00",
    "'; DROP TABLE staff_user; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "%(n)s %s %d",
    "../../etc/passwd",
    "٣٤٥",
    "🧸👶🏽",
    "a" * 60_000,
    "9" * 40,
    "-1",
    "centre",
    "admin",
    "fr",
    "en",
]
values = st.one_of(st.sampled_from(NASTY), st.text(max_size=300))
field_names = st.one_of(st.sampled_from(KNOWN_FIELDS), st.text(min_size=1, max_size=20))
forms = st.lists(st.tuples(field_names, values), max_size=12)
path_values = st.one_of(
    st.sampled_from(["1", "2", "999999999", "0"]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=60),
)


class LiveApp:
    """The app and a signed-in client on one private event loop."""

    def __init__(self, settings: Settings) -> None:
        self.runner = asyncio.Runner()
        self.settings = settings

    def __enter__(self) -> LiveApp:
        self.runner.run(db.connect(self.settings))
        self.app = create_app(self.settings)
        transport = httpx.ASGITransport(app=self.app)
        self.client = httpx.AsyncClient(
            transport=transport, base_url="http://testserver", event_hooks=CHECK_HTML
        )
        return self

    def sign_in_as(self, role: Role) -> None:
        async def sign_in() -> None:
            user = await make_user(await make_organisation(), role=role)
            await self.client.post(
                "/pro/connexion", data={"email": user.email, "password": PASSWORD}
            )

        self.runner.run(sign_in())

    def request(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        return self.runner.run(self.client.request(method, path, **kwargs))  # type: ignore[arg-type]

    def __exit__(self, *exc: object) -> None:
        self.runner.run(self.client.aclose())
        self.runner.run(db.disconnect())
        self.runner.close()


@pytest.fixture
def live(settings: Settings) -> Iterator[LiveApp]:
    with LiveApp(settings) as live_app:
        yield live_app


def _routes(live: LiveApp) -> list[tuple[str, str]]:
    return [
        (method, route.path)
        for route in live.app.routes
        if isinstance(route, Route)
        for method in sorted(route.methods or ())
        if method != "HEAD"
    ]


def _fill(path: str, value: str) -> str:
    return re.sub(r"{\w+(?::\w+)?}", value, path)


FUZZ = hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
    print_blob=False,
)


@pytest.mark.parametrize("role", [None, Role.ADMIN, Role.FACILITATOR])
def test_no_route_answers_5xx_to_random_forms(live: LiveApp, role: Role | None) -> None:
    if role is not None:
        live.sign_in_as(role)
    for method, template in _routes(live):
        _fuzz_route(live, method, template)


def _fuzz_route(live: LiveApp, method: str, template: str) -> None:
    @FUZZ
    @given(form=forms, path_value=path_values)
    def check(form: list[tuple[str, str]], path_value: str) -> None:
        path = _fill(template, path_value)
        if method == "GET":
            # Browsers cap addresses long before 60 kB: keep the query string realistic.
            query = [(name, value[:2000]) for name, value in form]
            response = live.request(method, path, params=query)
        else:
            response = live.request(
                method,
                path,
                content=urlencode(form).encode(),
                headers={"content-type": "application/x-www-form-urlencoded"},
            )
        assert response.status_code < 500, (method, path, [f[:40] for f, _ in form])

    check()


def test_login_with_random_credentials_never_fails_and_never_signs_in(live: LiveApp) -> None:
    @FUZZ
    @given(email=values, password=values)
    def check(email: str, password: str) -> None:
        response = live.request(
            "POST", "/pro/connexion", data={"email": email, "password": password}
        )
        assert response.status_code == 422
        assert live.request("GET", "/pro/").status_code == 303

    check()


@pytest.mark.parametrize("value", ["a\x00b", "9" * 40, "-1", "'; DROP TABLE workshop; --", "٣٤٥"])
def test_every_known_field_at_once_with_a_nasty_value(live: LiveApp, value: str) -> None:
    """Random forms seldom put a given value in a given field: here every route gets every
    field it may read, all at once, with values a database takes badly (NUL, a number too
    large for any column, SQL, digits of another script)."""
    live.sign_in_as(Role.ADMIN)
    form = [(name, value) for name in dict.fromkeys(KNOWN_FIELDS)]
    for method, template in _routes(live):
        path = _fill(template, "1")
        if method == "GET":
            response = live.request(method, path, params=form)
        else:
            response = live.request(method, path, data=dict(form))
        assert response.status_code < 500, (method, path, value)

"""Links are built from route names (`path("rooms.site", site_id=3)`), never written as paths.

A template that writes `/pro/lieux/3` breaks silently the day that address moves; by name, a
wrong or missing route fails at render time. Every route has a name `<domain>.<what>`; the
name → path table reaches e-mails through `workshops.kernel.urls`, installed at start-up.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from starlette.routing import Mount, NoMatchFound, Route

from workshops.app import build_routes, install_urls
from workshops.kernel import urls
from workshops.kernel.templating import TEMPLATES_DIR
from workshops.web.navigation import SECTIONS

# Literal internal paths a template may still write, with the reason. Empty for now: the static
# files go through `path('static', path='css/site.css')` too.
ALLOWED_LITERAL_PATHS: dict[str, str] = {}

LINK_ATTRIBUTES = re.compile(
    r"""\b(href|action|src|formaction|hx-(?:get|post|put|delete|patch)|data-hx-[a-z-]+)"""
    r"""\s*=\s*(["'])(.*?)\2""",
    re.IGNORECASE | re.DOTALL,
)
# A path written inside an expression of such an attribute: `{{ '/pro/...' % x }}`.
QUOTED_PATH = re.compile(r"""(["'])(/[^"'\s]*)\1""")
NAME = re.compile(r"^[a-z]+\.[a-z][a-z0-9_]*$")


# This site written as an absolute address (the default BASE_URL and the usual local ones).
OWN_SITE = ("http://127.0.0.1", "https://127.0.0.1", "http://localhost", "https://localhost")


def literal_internal_links(text: str, name: str) -> list[str]:
    """`name:line: attribute='value'` for each link of the template `text` written as a path."""
    found = []
    for match in LINK_ATTRIBUTES.finditer(text):
        attribute, value = match.group(1), match.group(3)
        literal = value.split("{", 1)[0]  # what the attribute says before any Jinja2 part
        written = [literal] if literal.startswith(("/", *OWN_SITE)) else []
        written += [quoted for _, quoted in QUOTED_PATH.findall(value)]
        for path in written:
            if path.split("?", 1)[0] in ALLOWED_LITERAL_PATHS:
                continue
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{name}:{line}: {attribute}={value!r}")
    return found


def test_no_template_writes_an_internal_path() -> None:
    found = [
        problem
        for template in sorted(TEMPLATES_DIR.rglob("*.html"))
        for problem in literal_internal_links(
            template.read_text(encoding="utf-8"), str(template.relative_to(TEMPLATES_DIR))
        )
    ]
    assert found == [], "Liens écrits en dur (utilisez path('<domaine>.<page>', ...)) :\n" + (
        "\n".join(found)
    )


def test_the_scan_finds_a_literal_path() -> None:
    page = (
        '<a href="/pro/lieux/{{ site.id }}">x</a>\n'
        "<form action=\"{{ '/pro/lieux' if a else path('rooms.sites') }}\"></form>\n"
        '<div data-hx-get="http://127.0.0.1:8000/communes"></div>\n'
        "<a href=\"{{ path('rooms.site', site_id=site.id) }}#fermetures\">ok</a>\n"
        '<a href="#main">ok</a> <a href="https://www.service-public.fr/">ok</a>\n'
    )
    found = literal_internal_links(page, "_scan_check.html")
    assert [problem.split(": ", 1)[0] for problem in found] == [
        "_scan_check.html:1",
        "_scan_check.html:2",
        "_scan_check.html:3",
    ]


def _named_routes() -> list[tuple[str | None, str, frozenset[str]]]:
    """(name, path, methods) of every route the application mounts; no methods for a Mount."""
    found: list[tuple[str | None, str, frozenset[str]]] = []
    for route in build_routes():
        if isinstance(route, Route):
            found.append((route.name, route.path, frozenset(route.methods or ())))
        elif isinstance(route, Mount):
            found.append((route.name, route.path, frozenset()))
    return found


def test_every_route_has_a_name_of_its_domain() -> None:
    unnamed = [
        (path, sorted(methods))
        for name, path, methods in _named_routes()
        if name is None or not (NAME.match(name) or name == "static")
    ]
    assert unnamed == []


def test_a_name_means_one_path() -> None:
    """Names are unique, except a GET and a POST of the same path sharing one."""
    paths_by_name: dict[str, set[str]] = defaultdict(set)
    methods_by_name: dict[str, list[frozenset[str]]] = defaultdict(list)
    for name, path, methods in _named_routes():
        assert name is not None
        paths_by_name[name].add(path)
        methods_by_name[name].append(methods - {"HEAD"})
    assert {name: paths for name, paths in paths_by_name.items() if len(paths) > 1} == {}
    for name, sets in methods_by_name.items():
        if len(sets) > 1:
            assert sorted(sorted(methods) for methods in sets) == [["GET"], ["POST"]], name


def test_every_name_resolves_to_its_path() -> None:
    install_urls()
    for name, path, _methods in _named_routes():
        assert name is not None
        params = {param: 7 if ":id" in path else "jeton" for param in _params(path)}
        if name == "static":
            assert urls.path("static", path="css/site.css") == "/static/css/site.css"
            continue
        expected = re.sub(r"\{[^}]+\}", "jeton", re.sub(r"\{[^}]+:id\}", "7", path))
        assert urls.path(name, **params) == expected


def _params(path: str) -> list[str]:
    return [part.split(":")[0] for part in re.findall(r"\{([^}]+)\}", path)]


def test_the_stable_entry_points_keep_their_addresses() -> None:
    install_urls()
    assert urls.path("signup.catalogue") == "/"
    assert urls.path("signup.workshop", workshop_id=12) == "/ateliers/12"
    assert urls.path("signup.register", workshop_id=12) == "/ateliers/12/inscription"
    assert urls.path("signup.registration", token="abc") == "/inscription/abc"
    assert urls.path("signup.cancel", token="abc") == "/inscription/abc/annulation"
    assert urls.path("calendars.public_feed") == "/ateliers.ics"
    assert urls.path("accounts.login") == "/pro/connexion"
    assert urls.path("web.healthz") == "/healthz"
    # The legal pages' addresses are the ones the RGAA and French sites use.
    assert urls.path("web.accessibility") == "/accessibilite"
    assert urls.path("web.legal_notice") == "/mentions-legales"
    assert urls.path("web.help") == "/aide"
    assert urls.path("web.sitemap") == "/plan-du-site"


def test_an_unknown_name_or_a_missing_parameter_fails() -> None:
    install_urls()
    with pytest.raises(NoMatchFound):
        urls.path("rooms.nowhere")
    with pytest.raises(NoMatchFound):
        urls.path("rooms.site")


def test_without_installation_path_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(urls, "_resolver", None)
    with pytest.raises(urls.UrlsNotInstalled, match="install_urls"):
        urls.path("rooms.sites")
    assert not urls.installed()


def test_absolute_puts_the_base_url_in_front() -> None:
    install_urls()
    assert (
        urls.absolute("https://ateliers.example/", "rooms.booking", booking_id=4)
        == "https://ateliers.example/pro/reservations/4"
    )


def test_the_navigation_sections_name_routes_that_exist() -> None:
    """A renamed route would silently lose its navigation link's `aria-current`."""
    names = {name for name, _path, _methods in _named_routes()}
    listed = set(SECTIONS) | {page for pages in SECTIONS.values() for page in pages}
    assert sorted(listed - names) == []

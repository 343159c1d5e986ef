"""The addresses of the application's routes, by name, for code that has no Starlette app at hand.

Every route is named `<domain>.<what>` (e.g. `rooms.site_edit`, `signup.registration`). Pages
and e-mails build their links with `path(name, **params)`, a global of the Jinja2 environments
(`workshops.kernel.templating`). E-mails are rendered inside services, also in the worker
process where no web application exists: the name → path table is therefore installed at
start-up by the top layer (`workshops.app.install_urls`, called by `create_app`, the CLI and
the tests) from the same route list the application mounts. The kernel knows nothing of
Starlette: a resolver is any callable `(name, **params) -> str`, such as a router's
`url_path_for`.
"""

from __future__ import annotations

from typing import Any, Protocol


class Resolver(Protocol):
    def __call__(self, name: str, /, **path_params: Any) -> str: ...


class UrlsNotInstalled(RuntimeError):
    """`path` was called before the start-up installed the routes' table."""


_resolver: Resolver | None = None


def install(resolver: Resolver) -> None:
    """Use `resolver` for every later `path(...)` (the last installation wins)."""
    global _resolver
    _resolver = resolver


def installed() -> bool:
    return _resolver is not None


def path(name: str, /, **params: Any) -> str:
    """The path of the route `name` with its path parameters, e.g. `/pro/lieux/3/modifier`."""
    if _resolver is None:
        raise UrlsNotInstalled(
            f"Adresse de la route « {name} » demandée avant que les routes soient installées : "
            "appelez workshops.app.install_urls() au démarrage (app, CLI, worker, tests)."
        )
    return str(_resolver(name, **params))


def absolute(base_url: str, name: str, /, **params: Any) -> str:
    """The public address of the route `name`: the platform's `base_url`, then its path."""
    return base_url.rstrip("/") + path(name, **params)

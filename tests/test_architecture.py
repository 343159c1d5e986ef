"""The rules of the house that import-linter cannot say (`docs/architecture.md`).

import-linter (`lint-imports`, contracts in `pyproject.toml`) checks imports between packages.
Inside a domain package it cannot tell a page from a service, so this test reads every module
of the domains: a service (any module outside `<domain>/pages/`) never imports a page, of its
own domain or another, nor Starlette, Jinja2 or the web shell.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "workshops"
DOMAINS = (
    "accounts", "audit", "calendars", "evaluation", "mail",
    "partners", "planning", "privacy", "rooms", "signup",
)  # fmt: skip
FORBIDDEN = ("starlette", "jinja2", "jinja2_fragments", "workshops.web")


def _imported(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _refused(module: str) -> bool:
    parts = module.split(".")
    return module.startswith(FORBIDDEN) or (
        len(parts) >= 3 and parts[0] == "workshops" and parts[2] == "pages"
    )


def test_services_import_no_page_no_starlette_no_jinja2_no_web_shell() -> None:
    offences = [
        f"{path.relative_to(ROOT.parent)}:{line} imports {module}"
        for domain in DOMAINS
        for path in sorted((ROOT / domain).rglob("*.py"))
        if "pages" not in path.relative_to(ROOT / domain).parts
        for line, module in _imported(path)
        if _refused(module)
    ]
    assert offences == []


def test_every_domain_has_its_pages_and_models() -> None:
    """`privacy` stores nothing of its own: it reads and anonymises the registrations."""
    missing = [
        f"{domain}/{part}"
        for domain in DOMAINS
        for part in ("pages/__init__.py", "models.py")
        if not (ROOT / domain / part).exists() and f"{domain}/{part}" != "privacy/models.py"
    ]
    assert missing == []

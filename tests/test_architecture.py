"""The rules of the house that import-linter cannot say (`docs/architecture.md`).

import-linter (`lint-imports`, contracts in `pyproject.toml`) checks imports between packages.
Inside a domain package it cannot tell a page from a service, so this test reads every module
of the domains: a service (any module outside `<domain>/pages/`) never imports a page, of its
own domain or another, nor Starlette, Jinja2 or the web shell.
"""

from __future__ import annotations

import ast
import importlib
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


def _public_api(domain: str) -> set[str]:
    """The names the domain's `__init__.py` declares in `__all__`."""
    tree = ast.parse((ROOT / domain / "__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            return {ast.literal_eval(item) for item in node.value.elts}  # type: ignore[attr-defined]
    return set()


def _through_the_front_door(path: Path, module: str, name: str | None) -> str | None:
    """Why this import reaches into another domain, or None when it goes through `__init__`.

    `name` is the imported name of a `from module import name`, None for `import module`.
    The application mounts each domain's pages (`workshops.<domain>.pages`)."""
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "workshops" or parts[1] not in DOMAINS:
        return None
    domain = parts[1]
    if ROOT / domain in path.parents:
        return None
    if parts[2:] == ["pages"] or (len(parts) == 2 and name == "pages"):
        return None if path == ROOT / "app.py" else "only the application mounts the pages"
    if len(parts) > 2:
        return f"reaches into {module}"
    if name is not None and name not in _public_api(domain):
        return f"imports {name}, which workshops.{domain} does not declare in __all__"
    return None


def test_other_packages_use_a_domain_only_through_its_public_api() -> None:
    """`workshops.<domain>/__init__.py` declares what the other packages may use (`__all__`);
    everything else of the domain is private to it."""
    offences = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            found: list[tuple[str, str | None]]
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found = [(node.module, alias.name) for alias in node.names]
            elif isinstance(node, ast.Import):
                found = [(alias.name, None) for alias in node.names]
            else:
                continue
            offences += [
                f"{path.relative_to(ROOT.parent)}:{node.lineno} {why}"
                for module, name in found
                if (why := _through_the_front_door(path, module, name))
            ]
    assert offences == []


def test_a_domain_s_public_api_names_what_it_imports() -> None:
    """`__all__` and the imports of each `__init__.py` agree (a name declared but not imported
    would fail only when someone uses it)."""
    for domain in DOMAINS:
        package = importlib.import_module(f"workshops.{domain}")
        missing = [name for name in _public_api(domain) if not hasattr(package, name)]
        assert missing == [], domain

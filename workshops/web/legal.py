"""The pages every page's footer links to: the accessibility statement, the legal notice, help
and contact, the site map; and the favicon's old address.

The accessibility statement is built from the RGAA self-audit, `docs/accessibilite.md`: its
table of the 106 criteria gives the rate, the conformity status and the list of what fails, so
the page (and the footer's « Accessibilité : … conforme ») can never disagree with the document.
The document is read once per process, from beside the package like `templates/` and `static/`
(`PROJECT_ROOT`); the container image copies it there too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from workshops.kernel import urls
from workshops.kernel.i18n import N_, format_number
from workshops.kernel.settings import PROJECT_ROOT
from workshops.kernel.templating import ENVIRONMENTS
from workshops.web.auth import current_staff
from workshops.web.templating import render

AUDIT_FILE = PROJECT_ROOT / "docs" / "accessibilite.md"

# RGAA 4.1: its 13 themes, in order, with their number of criteria (106 in all).
RGAA_THEMES: tuple[tuple[str, int], ...] = (
    (N_("Images"), 9),
    (N_("Cadres"), 2),
    (N_("Couleurs"), 3),
    (N_("Multimédia"), 13),
    (N_("Tableaux"), 8),
    (N_("Liens"), 2),
    (N_("Scripts"), 5),
    (N_("Éléments obligatoires"), 10),
    (N_("Structuration de l'information"), 4),
    (N_("Présentation de l'information"), 14),
    (N_("Formulaires"), 13),
    (N_("Navigation"), 11),
    (N_("Consultation"), 12),
)
RESULTS = ("C", "NC", "NA")
# A row of the criteria table: | 1.1 | title | C | note |
_ROW = re.compile(r"^\|\s*(\d+\.\d+)\s*\|(.*)\|\s*(C|NC|NA)\s*\|(.*)\|\s*$")
_AUDIT_DATE = re.compile(r"^Date de l'audit\s*:\s*(\d{4}-\d{2}-\d{2})\s*$", re.MULTILINE)
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


class AuditError(Exception):
    """`docs/accessibilite.md` does not hold what the statement needs; the message says what."""


@dataclass(frozen=True)
class Criterion:
    number: str
    title: str
    result: str  # C (conforme), NC (non conforme), NA (non applicable)
    note: str

    @property
    def theme(self) -> str:
        return RGAA_THEMES[int(self.number.split(".")[0]) - 1][0]


@dataclass(frozen=True)
class Audit:
    """What `docs/accessibilite.md` says: the date, the method's lists, the 106 results."""

    audited_on: date
    criteria: tuple[Criterion, ...]
    sections: dict[str, tuple[str, ...]]

    def count(self, result: str) -> int:
        return sum(1 for criterion in self.criteria if criterion.result == result)

    @property
    def non_conform(self) -> tuple[Criterion, ...]:
        return tuple(criterion for criterion in self.criteria if criterion.result == "NC")

    @property
    def applicable(self) -> int:
        return self.count("C") + self.count("NC")

    @property
    def rate(self) -> float:
        """The RGAA rate: conform criteria over applicable criteria, in percent."""
        return 100 * self.count("C") / self.applicable if self.applicable else 0.0

    @property
    def rate_text(self) -> str:
        """The rate as shown, « 86,36 % » in French."""
        return f"{format_number(round(self.rate, 2))} %"

    @property
    def status(self) -> str:
        """The status of the legal model: total, partial (at least half) or none."""
        if self.applicable and not self.non_conform:
            return N_("totalement conforme")
        if self.rate >= 50:
            return N_("partiellement conforme")
        return N_("non conforme")

    def section(self, title: str) -> tuple[str, ...]:
        return self.sections.get(title, ())

    def non_conform_by_theme(self) -> Iterator[tuple[str, list[Criterion]]]:
        for theme, _size in RGAA_THEMES:
            failing = [criterion for criterion in self.non_conform if criterion.theme == theme]
            if failing:
                yield theme, failing


def parse_audit(text: str) -> Audit:
    """Read the audit document; raise `AuditError` unless it holds exactly RGAA 4.1's criteria."""
    found_date = _AUDIT_DATE.search(text)
    if found_date is None:
        raise AuditError("La ligne « Date de l'audit : AAAA-MM-JJ » manque.")
    criteria = tuple(
        Criterion(number, _plain(title), result, _plain(note))
        for number, title, result, note in (
            match.groups() for match in map(_ROW.match, text.splitlines()) if match
        )
    )
    expected = [
        f"{theme}.{index}"
        for theme, (_name, size) in enumerate(RGAA_THEMES, start=1)
        for index in range(1, size + 1)
    ]
    numbers = [criterion.number for criterion in criteria]
    if numbers != expected:
        missing = sorted(set(expected) - set(numbers))
        extra = sorted(set(numbers) - set(expected))
        raise AuditError(
            "Le tableau doit donner les 106 critères du RGAA 4.1 dans l'ordre "
            f"(manquants : {missing or 'aucun'} ; en trop ou répétés : {extra or 'aucun'})."
        )
    unexplained = [c.number for c in criteria if c.result == "NC" and not c.note]
    if unexplained:
        raise AuditError(f"Un critère non conforme dit ce qui échoue : {unexplained}.")
    return Audit(
        audited_on=date.fromisoformat(found_date.group(1)),
        criteria=criteria,
        sections=_bullet_sections(text),
    )


def _plain(text: str) -> str:
    """Markdown's code spans and links as plain text, for the page."""
    return _LINK.sub(r"\1", text).replace("`", "").replace("\\|", "|").strip()


def _bullet_sections(text: str) -> dict[str, tuple[str, ...]]:
    """The bullet lists of the document, by the title of the heading above them."""
    sections: dict[str, list[str]] = {}
    heading = ""
    for line in text.splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        elif line.startswith("- ") and heading:
            sections.setdefault(heading, []).append(_plain(line[2:]))
    return {title: tuple(items) for title, items in sections.items()}


@functools.cache
def load_audit(path: Path = AUDIT_FILE) -> Audit:
    """The audit, read once per process."""
    try:
        return parse_audit(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise AuditError(f"{path} est illisible : {error}.") from None


# The footer of every page shows the status (« Accessibilité : partiellement conforme »): the
# templates reach the audit through this global, with no database and no context to pass.
for _environment in ENVIRONMENTS.values():
    _environment.globals["accessibility_audit"] = load_audit


async def accessibility(request: Request) -> Response:
    await current_staff(request)
    return render(request, "legal/accessibility.html", {"audit": load_audit()})


async def accessibility_old_address(request: Request) -> Response:
    return RedirectResponse(urls.path("web.accessibility"), status_code=301)


async def legal_notice(request: Request) -> Response:
    await current_staff(request)
    return render(request, "legal/legal_notice.html")


async def help_page(request: Request) -> Response:
    await current_staff(request)
    return render(
        request,
        "legal/help.html",
        {"cancel_cutoff_hours": request.app.state.settings.signup_cancel_cutoff_hours},
    )


async def sitemap(request: Request) -> Response:
    """Every section of the service, the staff's by their permissions (RGAA 12.1: a second way
    to find a page besides the menus)."""
    await current_staff(request)
    return render(request, "legal/sitemap.html")


async def favicon(request: Request) -> Response:
    """Browsers ask for /favicon.ico whatever the page says: send them to the SVG icon."""
    return RedirectResponse(urls.path("static", path="favicon.svg"), status_code=301)


routes = [
    Route("/accessibilite", accessibility, methods=["GET"], name="web.accessibility"),
    Route(
        "/declaration-accessibilite",
        accessibility_old_address,
        methods=["GET"],
        name="web.accessibility_redirect",
    ),
    Route("/mentions-legales", legal_notice, methods=["GET"], name="web.legal_notice"),
    Route("/aide", help_page, methods=["GET"], name="web.help"),
    Route("/plan-du-site", sitemap, methods=["GET"], name="web.sitemap"),
    Route("/favicon.ico", favicon, methods=["GET"], name="web.favicon"),
]

"""Languages: French by default, English on request, and an English catalogue that is complete.

The catalogue tests read `workshops/translations/en/LC_MESSAGES/messages.po` directly: every
message translated (none fuzzy, placeholders kept), and every French string of the code and
templates present in it. A string added without its translation fails here: run
`make translations`, then fill in the new entries of the `.po`.
"""

from __future__ import annotations

import functools
import html
import os
import re
from pathlib import Path

import httpx
import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from workshops.kernel.i18n import TRANSLATIONS_DIR
from workshops.kernel.settings import PROJECT_ROOT
from workshops.web.locale import LOCALE_COOKIE

PO_PATH = TRANSLATIONS_DIR / "en" / "LC_MESSAGES" / "messages.po"
# The keywords of `make translations` (`-k N_ -k gettext -k ngettext:1,2`).
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")

ENGLISH_LOGIN_TITLE = "Sign in to the staff area"


# --- The pages -----------------------------------------------------------------------------------


async def test_login_page_is_french_by_default(client: httpx.AsyncClient) -> None:
    response = await client.get("/pro/connexion")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.text
    assert "Connexion à l'espace professionnel" in html.unescape(response.text)
    assert ENGLISH_LOGIN_TITLE not in response.text


async def test_language_switch_sets_the_cookie_and_the_pages_speak_english(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/langue", data={"langue": "en", "retour": "/pro/connexion"})
    assert response.status_code == 303
    assert response.headers["location"] == "/pro/connexion"
    assert response.cookies.get(LOCALE_COOKIE) == "en"

    page = await client.get(response.headers["location"])
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert ENGLISH_LOGIN_TITLE in page.text
    assert "Connexion à l" not in page.text

    refused = await client.post(
        "/pro/connexion",
        data={"email": "personne@exemple.fr", "password": "pas le bon mot de passe"},
    )
    assert refused.status_code == 422
    assert '<html lang="en">' in refused.text
    assert "Incorrect email address or password." in refused.text
    assert "The form contains 1 error:" in refused.text
    assert "Adresse e-mail ou mot de passe incorrect." not in refused.text


async def test_unknown_language_leaves_the_pages_in_french(client: httpx.AsyncClient) -> None:
    response = await client.post("/langue", data={"langue": "xx", "retour": "/pro/connexion"})
    assert response.status_code == 303
    assert LOCALE_COOKIE not in response.cookies
    page = await client.get("/pro/connexion")
    assert '<html lang="fr">' in page.text


# --- The catalogue -------------------------------------------------------------------------------


def _catalog() -> Catalog:
    with PO_PATH.open("rb") as po_file:
        catalog: Catalog = read_po(po_file, locale="en")
    return catalog


def _messages() -> list[Message]:
    return [message for message in _catalog() if message.id]


def _texts(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ("",)
    return (value,) if isinstance(value, str) else tuple(value)


def test_catalogue_is_not_empty() -> None:
    assert len(_messages()) > 100


def _problems(message: Message) -> list[str]:
    """What is wrong with one entry's English translation (nothing when it is complete)."""
    ids, strings = _texts(message.id), _texts(message.string)
    if message.fuzzy:
        return [f"fuzzy translation to review: {ids[0]!r}"]
    if not all(text.strip() for text in strings):
        return [f"missing translation: {ids[0]!r}"]
    problems = []
    if len(ids) > 1 and len(strings) != 2:
        problems.append(f"English needs two plural forms: {ids[0]!r}")
    # The singular translates the singular id; the plural form, the plural id.
    for source, text in zip(ids, strings, strict=False):
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
            problems.append(f"placeholders differ between {source!r} and {text!r}")
        if "%" in PLACEHOLDER.sub("", text):
            problems.append(f"stray % in the translation {text!r}")
    return problems


def test_every_message_has_an_english_translation() -> None:
    """One test for the whole catalogue; its failure lists every message to fix, not the first:
    entries missing from the `.po` (for a French string of the code or templates), empty, fuzzy,
    or whose placeholders differ."""
    catalog = _catalog()
    problems = [
        f"missing from the catalogue (run `make translations`): {key!r} ({', '.join(places)})"
        for key, (_message, places) in sorted(_extract_from_sources().items())
        if catalog.get(key) is None
    ]
    problems += [problem for message in _messages() for problem in _problems(message)]
    if problems:
        pytest.fail(
            f"{len(problems)} English translation(s) to fix in "
            f"{PO_PATH.relative_to(PROJECT_ROOT)}:\n"
            + "\n".join(f"  {problem}" for problem in problems),
            pytrace=False,
        )


@functools.cache
def _extract_from_sources() -> dict[str, tuple[str | tuple[str, ...], list[str]]]:
    """Every message of the code and templates, as `make translations` finds it."""
    with (PROJECT_ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config, "babel.cfg")  # type: ignore[no-untyped-call]

    def not_hidden(path: str) -> bool:
        return not os.path.basename(path).startswith(".")

    found: dict[str, tuple[str | tuple[str, ...], list[str]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        PROJECT_ROOT,
        method_map,
        options_map,
        keywords=KEYWORDS,
        directory_filter=not_hidden,
    ):
        key = _texts(message)[0]
        found.setdefault(key, (message, []))[1].append(f"{filename}:{lineno}")
    return found


def test_catalogue_is_up_to_date__run_make_translations_if_this_fails() -> None:
    extracted = _extract_from_sources()
    catalog = _catalog()
    missing = []
    for key, (message, places) in sorted(extracted.items()):
        entry = catalog.get(key)
        if entry is None or _texts(entry.id) != _texts(message):
            missing.append(f"  {key!r}  ({', '.join(places)})")
    assert not missing, (
        "Strings missing from workshops/translations/en/LC_MESSAGES/messages.po: run "
        "`make translations`, then translate the new entries:\n" + "\n".join(missing)
    )


def test_extraction_reads_every_template_that_has_strings() -> None:
    """Babel skips folders starting with `_` by default: `templates/_partials` must be read."""
    places = {
        place.rsplit(":", 1)[0]
        for _message, places in _extract_from_sources().values()
        for place in places
    }
    templates = PROJECT_ROOT / "templates"
    with_strings = {
        str(path.relative_to(PROJECT_ROOT)).replace(os.sep, "/")
        for path in Path(templates).rglob("*.html")
        if re.search(r"\b(_|gettext|ngettext)\(", path.read_text(encoding="utf-8"))
    }
    assert with_strings, "no template with strings found"
    assert with_strings <= places, f"Templates not extracted: {sorted(with_strings - places)}"

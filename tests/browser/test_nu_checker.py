"""Every page and htmx fragment the journeys received is valid HTML for the W3C Nu checker.

html5lib (`tests/html_check.py`) sees what a browser repairs while parsing; the Nu HTML checker
(vnu.jar, the W3C validator) sees what the HTML standard forbids although it parses: attributes
an element does not allow (`maxlength` on a date field), unknown attributes and elements, bad
attribute values, missing required children or attributes, obsolete markup, ARIA roles and
attributes in the wrong place. Assistive technologies rely on a valid tree (RGAA criterion 8.2).

It runs once per session, after the journeys (`after_journeys`): one Java start over every
distinct document they received (`tests/browser/html_responses.py`). Fragments are checked
inside a minimal page, in the element htmx swaps them into (a row inside a table). vnu.jar comes
from the npm registry, pinned in `tests/browser/nu/package-lock.json` and installed there by
`make test` and `.ci/run` (`npm ci`); Java is Debian's. Without them the check is skipped with a
message, unless `REQUIRE_BROWSER=1` (CI), where it fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.html_responses import ReceivedDocument, ReceivedHtml

VNU_JAR = Path(__file__).with_name("nu") / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
_FIRST_TAG = re.compile(r"\s*(?:<!--.*?-->\s*)*<([a-zA-Z][a-zA-Z0-9]*)", re.DOTALL)
# What a fragment is swapped into, by its first tag: a row parses only inside a table.
_WRAPPERS = {
    "tr": ("<table><tbody>", "</tbody></table>"),
    "td": ("<table><tbody><tr>", "</tr></tbody></table>"),
    "th": ("<table><tbody><tr>", "</tr></tbody></table>"),
    "tbody": ("<table>", "</table>"),
    "thead": ("<table>", "</table>"),
    "option": ("<select>", "</select>"),
}
# A page the checker must object to, checked with the others: proof that it did read the files.
_CANARY = (
    '<!DOCTYPE html><html lang="fr"><head><title>Canari</title></head>'
    '<body><input type="date" maxlength="1"></body></html>\n'
)
# The page around a fragment. A fragment may start with a <head> (htmx 4 merges it into the page's:
# a new title); it goes into the page's head, its lines kept blank so that lines still match.
_PAGE = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">{head}</head>'
    "<body><main>{open}\n{fragment}\n{close}</main></body></html>\n"
)
_HEAD = re.compile(r"\A\s*<head>(.*?)</head>", re.DOTALL | re.IGNORECASE)


def _checker() -> list[str]:
    """The command that runs vnu.jar, or a skip (a failure under REQUIRE_BROWSER=1)."""
    java = shutil.which("java")
    missing = []
    if java is None:
        missing.append("Java (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        missing.append(f"{VNU_JAR} (npm ci --ignore-scripts --prefix tests/browser/nu)")
    if missing:
        message = "the Nu HTML checker cannot run, missing: " + ", ".join(missing)
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but " + message)
        pytest.skip(message)
    assert java is not None
    return [java, "-Xss8m", "-jar", str(VNU_JAR)]


def _as_page(document: ReceivedDocument) -> tuple[str, int]:
    """The markup vnu reads for a document, and how many lines were put before it."""
    if not document.fragment:
        return document.markup, 0
    fragment = document.markup
    head = "<title>Fragment</title>"
    found = _HEAD.match(fragment)
    if found:
        head = found.group(1)
        fragment = "\n" * found.group(0).count("\n") + fragment[found.end() :]
    first = _FIRST_TAG.match(fragment)
    open_, close = _WRAPPERS.get(first.group(1).lower() if first else "", ("", ""))
    page = _PAGE.format(head=head, open=open_, fragment=fragment, close=close)
    return page, _PAGE.format(head=head, open=open_, fragment="", close="").count("\n") - 2


@pytest.mark.after_journeys
def test_every_page_and_fragment_the_journeys_received_passes_the_w3c_nu_checker(
    received_html: ReceivedHtml, tmp_path: Path
) -> None:
    documents = list(received_html.documents.values())
    if not documents:
        pytest.skip("no browser journey ran in this session")
    command = _checker()
    canary = (tmp_path / "canari.html").resolve()
    canary.write_text(_CANARY, encoding="utf-8")
    paths = [str(canary)]
    files: dict[str, tuple[ReceivedDocument, int]] = {}  # by the URL vnu names them with
    for number, document in enumerate(documents):
        path = (tmp_path / f"{number:04d}.html").resolve()
        markup, offset = _as_page(document)
        path.write_text(markup, encoding="utf-8")
        paths.append(str(path))
        files[f"file:{path}"] = (document, offset)
    result = subprocess.run(
        [*command, "--format", "json", "--errors-only", "--exit-zero-always", *paths],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages = json.loads(result.stderr)["messages"]
    assert any(message.get("url") == f"file:{canary}" for message in messages), (
        f"the Nu checker did not report the canary's error: {result.stderr[:500]}"
    )
    errors = []
    for message in messages:
        if message.get("url") == f"file:{canary}":
            continue
        url = message.get("url", "?")
        where, offset = url, 0
        if url in files:
            document, offset = files[url]
            where = document.source + (" (fragment)" if document.fragment else "")
        line = message.get("lastLine", 0) - offset
        extract = " ".join(message.get("extract", "").split())
        errors.append(f"{where} line {line}: {message['message']}\n      {extract}")
    assert errors == [], (
        f"the Nu HTML checker found {len(errors)} errors in {len(documents)} documents:\n  "
        + "\n  ".join(errors)
    )

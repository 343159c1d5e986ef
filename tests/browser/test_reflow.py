"""Every page the journeys visited reads on a 320 px screen, with text spacing and with 200 % text.

WCAG 1.4.10 (reflow, RGAA 10.11): at 320 CSS px wide nothing scrolls sideways; tables become
stacked rows that name each cell (`data-label`, static/css/site.css). WCAG 1.4.12 (text spacing,
RGAA 10.12): with the line height at 1.5, paragraphs 2 em apart, letters 0.12 em and words
0.16 em apart, no text is cut off or spills out of its box. WCAG 1.4.4 (resize text, RGAA 10.4):
with the root font at 200 %, every field, list, radio button and checkbox grows with the text.
The phone width of the journeys (375 px) is checked the same way.

The pages are the ones the journeys received (`tests/browser/html_responses.py`), one per method,
path and status, laid out again after the journeys from the markup they received, so that no
sign-in or sign-out of a journey matters; only the stylesheet (and images) are fetched from the
server, once, from the browser's cache. Scripts do not run there: the layout is the stylesheet's
(the page's own script, static/js/regions.js, only moves the focus and fills a live region), and
no htmx request can change the page being measured. `REFLOW_SCREENSHOTS=<folder>` keeps a 320 px
screenshot of each page to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.html_responses import ReceivedDocument, ReceivedHtml

# What the WCAG 1.4.12 understanding document injects (its bookmarklet), as a user stylesheet.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

_ADD_STYLE = """css => {
    const style = document.createElement("style");
    style.textContent = css;
    document.head.append(style);
}"""

# The elements that stick out to the right of the viewport, innermost first, described.
_OVERFLOW = """() => {
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const out = [...document.body.querySelectorAll("*")].filter(element => {
        const box = element.getBoundingClientRect();
        return box.width > 0 && (box.right > width + 1
            || box.left + element.scrollWidth > width + 1);  // its text runs out of it
    });
    const innermost = out.filter(
        element => !out.some(other => other !== element && element.contains(other)));
    const describe = element => element.tagName.toLowerCase()
        + (element.id ? "#" + element.id : "")
        + (element.classList.length ? "." + [...element.classList].join(".") : "")
        + " (" + Math.round(element.getBoundingClientRect().right) + " px) «"
        + (element.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40) + "»";
    return "scrolls to " + document.documentElement.scrollWidth + " px; sticking out: "
        + innermost.slice(0, 4).map(describe).join(", ");
}"""

# Text cut off by its box (overflow hidden) or spilling out of a box of fixed height.
_CLIPPED = """() => {
    const found = [];
    for (const element of document.body.querySelectorAll("*")) {
        if (element.clientWidth <= 1 || element.clientHeight <= 1) continue;  // visually hidden
        if (!(element.textContent || "").trim()) continue;
        const style = getComputedStyle(element);
        if (style.display === "inline" || style.position === "absolute") continue;
        const clips = /hidden|clip|auto|scroll/.test(style.overflowX + style.overflowY);
        const spills = element.scrollHeight > element.clientHeight + 2
            || (clips && element.scrollWidth > element.clientWidth + 2);
        if (spills && (clips || style.height !== "auto" && style.minHeight === "0px")) {
            found.push(element.tagName.toLowerCase()
                + (element.className ? "." + String(element.className).replace(/ /g, ".") : "")
                + " «" + element.textContent.trim().replace(/\\s+/g, " ").slice(0, 40) + "»");
        }
    }
    return found.slice(0, 4);
}"""

# The height of every visible form control, in document order.
_CONTROL_HEIGHTS = """() => [...document.querySelectorAll("input, select, textarea")]
    .filter(control => control.type !== "hidden" && control.getClientRects().length > 0)
    .map(control => [
        control.tagName.toLowerCase() + "[type=" + (control.type || "") + "] "
            + (control.name || control.id), control.getBoundingClientRect().height,
    ])"""


def _pages(received: ReceivedHtml) -> list[ReceivedDocument]:
    """One page per method, path and status (the query string aside)."""
    chosen: dict[tuple[str, str, int], ReceivedDocument] = {}
    for document in received.pages():
        key = (document.method, urlsplit(document.url).path, document.status)
        chosen.setdefault(key, document)
    return list(chosen.values())


_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)


def _replay(page: Page, document: ReceivedDocument) -> None:
    """Lay out `document` from the markup the journey received, its stylesheet from the server
    (a <base> gives the relative addresses the page's own)."""
    base = f'<base href="{document.url}">'
    markup, found = _HEAD.subn(lambda head: head.group(0) + base, document.markup, count=1)
    assert found, f"{document.source} has no <head>"
    page.set_content(markup, wait_until="load")


def _grown_too_little(page: Page) -> list[str]:
    before = page.evaluate(_CONTROL_HEIGHTS)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    after = page.evaluate(_CONTROL_HEIGHTS)
    page.evaluate("document.documentElement.style.fontSize = ''")
    return [
        f"{name} {height:.0f} px → {grown:.0f} px"
        for (name, height), (_, grown) in zip(before, after, strict=True)
        if grown < 1.5 * height
    ]


@pytest.mark.after_journeys
def test_every_page_the_journeys_visited_reflows_at_320_px_with_text_spacing_and_200_percent_text(
    browser: Browser, received_html: ReceivedHtml
) -> None:
    pages = _pages(received_html)
    if not pages:
        pytest.skip("no browser journey ran in this session")
    screenshots = os.environ.get("REFLOW_SCREENSHOTS")
    context = browser.new_context(
        viewport={"width": 375, "height": 800}, locale="fr-FR", java_script_enabled=False
    )
    page = context.new_page()
    problems: list[str] = []
    try:
        for document in pages:
            _replay(page, document)
            for width in (375, 320):
                page.set_viewport_size({"width": width, "height": 800})
                overflow = page.evaluate(_OVERFLOW)
                if overflow:
                    problems.append(f"{document.source} at {width} px: {overflow}")
            if screenshots:
                name = urlsplit(document.url).path.strip("/").replace("/", "_") or "accueil"
                Path(screenshots).mkdir(parents=True, exist_ok=True)
                page.screenshot(
                    path=f"{screenshots}/{document.method}_{name}_{document.status}.png",
                    full_page=True,
                )
            small = _grown_too_little(page)
            if small:
                problems.append(f"{document.source} at 200 % text, too small: {small}")
            page.evaluate(_ADD_STYLE, TEXT_SPACING)  # add_style_tag waits for a script's event
            overflow = page.evaluate(_OVERFLOW)
            if overflow:
                problems.append(f"{document.source} at 320 px with text spacing: {overflow}")
            clipped = page.evaluate(_CLIPPED)
            if clipped:
                problems.append(f"{document.source} with text spacing, text cut off: {clipped}")
    finally:
        context.close()
    assert problems == [], f"{len(problems)} problems on {len(pages)} pages:\n  " + "\n  ".join(
        problems
    )

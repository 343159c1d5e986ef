"""Every HTML page, htmx fragment and e-mail the tests receive, read as a browser reads it.

A browser never refuses a page: it repairs it. `value=""required` loses nothing visible, yet the
repair may drop an attribute (a duplicate), move or drop an element (a stray end tag), and nobody
notices. html5lib implements the WHATWG parsing algorithm and reports each repair as a parse
error; this module turns those reports, duplicate `id`s (labels and `aria-describedby` point to
the first one only) and text escaped twice (`&amp;#39;`, which a reader sees as `&#39;`) into
test failures. The HTTP clients of the tests call `check_html_response` on every response, the
browser journeys and the e-mail fixture (`tests/conftest.py`) call `html_problems`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator, Mapping
from xml.etree.ElementTree import Element

import html5lib
import httpx
from html5lib.constants import E as PARSE_ERROR_MESSAGES

# What markupsafe, html.escape and Babel write for a character; seen in the *parsed* text, it
# means the text was escaped a second time.
_ESCAPED = re.compile(r"&(?:amp|lt|gt|quot|apos|nbsp|#\d+|#[xX][0-9a-fA-F]+);")
# The attributes of HTML elements (WHATWG's index of attributes), and the prefixes of the
# families of attributes: an unknown name is most often two names written without a space
# (`requiredmaxlength="150"`), which the parser cannot see.
_HTML_ATTRIBUTES = frozenset([
    "abbr", "accept", "accept-charset", "accesskey", "action", "allow", "allowfullscreen", "alt",
    "as", "async", "autocapitalize", "autocomplete", "autofocus", "autoplay", "blocking",
    "charset", "checked", "cite", "class", "color", "cols", "colspan", "content",
    "contenteditable", "controls", "coords", "crossorigin", "data", "datetime", "decoding",
    "default", "defer", "dir", "dirname", "disabled", "download", "draggable", "enctype",
    "enterkeyhint", "fetchpriority", "for", "form", "formaction", "formenctype", "formmethod",
    "formnovalidate", "formtarget", "headers", "height", "hidden", "high", "href", "hreflang",
    "http-equiv", "id", "imagesizes", "imagesrcset", "inert", "inputmode", "integrity", "is",
    "ismap", "itemid", "itemprop", "itemref", "itemscope", "itemtype", "kind", "label", "lang",
    "list", "loading", "loop", "low", "max", "maxlength", "media", "method", "min", "minlength",
    "multiple", "muted", "name", "nomodule", "nonce", "novalidate", "open", "optimum", "pattern",
    "ping", "placeholder", "playsinline", "popover", "popovertarget", "popovertargetaction",
    "poster", "preload", "readonly", "referrerpolicy", "rel", "required", "reversed", "role",
    "rows", "rowspan", "sandbox", "scope", "selected", "shadowrootmode", "shape", "size", "sizes",
    "slot", "span", "spellcheck", "src", "srcdoc", "srclang", "srcset", "start", "step", "style",
    "tabindex", "target", "title", "translate", "type", "usemap", "value", "width", "wrap"
])  # fmt: skip
_ATTRIBUTE_FAMILIES = ("aria-", "data-", "on")
# The element a fragment is parsed in, by its first tag, as htmx (through a <template>) and the
# page that receives it do: a table row parses only inside a table.
_CONTAINERS = {
    "tr": "tbody", "td": "tr", "th": "tr", "tbody": "table", "thead": "table", "tfoot": "table",
    "caption": "table", "colgroup": "table", "col": "colgroup", "option": "select",
    "optgroup": "select",
}  # fmt: skip
# The page's title in front of an htmx fragment, as web/templating.py writes it: htmx 4 takes a
# leading <head> out before parsing the rest and sets document.title from its <title>.
_FRAGMENT_HEAD = re.compile(r"\s*<head><title>([^<>]*)</title></head>", re.DOTALL)
_FIRST_TAG = re.compile(r"\s*(?:<!--.*?-->\s*)*<([a-zA-Z][a-zA-Z0-9]*)", re.DOTALL)
# Elements whose content is not text for a reader.
_RAW_TEXT = frozenset({"script", "style"})
_CONTEXT = 40
# What the title of a page showing errors starts with, by the page's language (`<html lang>`).
_ERROR_TITLE_PREFIX = {"fr": "Erreur :", "en": "Error:"}


def html_problems(markup: str, *, fragment: bool = False) -> list[str]:
    """What a careful reader of `markup` would object to; empty when the HTML is sound.

    `fragment` parses it as the content of an element (what htmx swaps into a page) rather than
    as a document, which must then start with its doctype."""
    head_problems = []
    if fragment:
        head = _FRAGMENT_HEAD.match(markup)
        if head:
            markup = markup[head.end() :]
            if not head.group(1).strip():
                head_problems.append("the fragment's <title> is empty")
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    tree: Element = (
        parser.parseFragment(markup, container=_container(markup))
        if fragment
        else parser.parse(markup)
    )
    return [
        *head_problems,
        *_parse_errors(parser.errors, markup),
        *_duplicate_ids(tree),
        *_error_summary_problems(tree, fragment=fragment),
        *_unknown_attributes(tree),
        *_escaped_twice(tree),
    ]


def text_problems(text: str) -> list[str]:
    """Entities in a plain text (an e-mail's text part or subject): escaped once too often."""
    return [
        f"escaped twice: {_excerpt(text, found.start())!r}" for found in _ESCAPED.finditer(text)
    ]


def assert_valid_html(markup: str, *, source: str, fragment: bool = False) -> None:
    problems = html_problems(markup, fragment=fragment)
    if problems:
        raise AssertionError(f"{source} is not sound HTML:\n  " + "\n  ".join(problems))


def assert_plain_text(text: str, *, source: str) -> None:
    problems = text_problems(text)
    if problems:
        raise AssertionError(f"{source}:\n  " + "\n  ".join(problems))


def is_fragment(markup: str, *, htmx: bool) -> bool:
    """An htmx request is answered with a fragment, or with a whole page (its doctype says so);
    any other request must get a whole page."""
    return htmx and not markup.lstrip()[:9].lower().startswith("<!doctype")


def is_html(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == "text/html"


async def check_html_response(response: httpx.Response) -> None:
    """httpx response hook: an HTML answer must be sound HTML (see `html_problems`)."""
    if not is_html(response.headers.get("content-type", "")):
        return
    await response.aread()
    request = response.request
    htmx = (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )
    markup = response.text
    assert_valid_html(
        markup,
        source=f"{request.method} {request.url} ({response.status_code})",
        fragment=is_fragment(markup, htmx=htmx),
    )


def _container(fragment: str) -> str:
    first = _FIRST_TAG.match(fragment)
    return _CONTAINERS.get(first.group(1).lower(), "div") if first else "div"


def _parse_errors(
    errors: list[tuple[tuple[int, int], str, dict[str, str] | None]], markup: str
) -> Iterator[str]:
    lines = markup.splitlines()
    for (line, column), code, variables in errors:
        message = PARSE_ERROR_MESSAGES.get(code, code) % (variables or {})
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        yield f"line {line}: {message} {_excerpt(text, column)!r}"


def _duplicate_ids(tree: Element) -> Iterator[str]:
    seen: set[str] = set()
    for element in tree.iter():
        identifier = element.get("id")
        if identifier is None:
            continue
        if identifier in seen:
            yield f"duplicate id {identifier!r} on <{element.tag}>"
        seen.add(identifier)


def _error_summary_problems(tree: Element, *, fragment: bool) -> Iterator[str]:
    """An error summary's links each lead to an element of the page (the field, or its group),
    and a whole page showing one says « Erreur : » first in its title."""
    ids = {element.get("id") for element in tree.iter()}
    summaries = [
        element for element in tree.iter() if "error-summary" in element.get("class", "").split()
    ]
    for summary in summaries:
        for link in summary.iter("a"):
            target = link.get("href", "").removeprefix("#")
            if target not in ids:
                yield f"the error summary links to #{target}, which is not on the page"
    title = tree.find(".//title")
    title_text = "" if title is None else "".join(title.itertext()).strip()
    root = tree if tree.tag == "html" else tree.find(".//html")
    prefix = _ERROR_TITLE_PREFIX.get("" if root is None else root.get("lang", ""), "Erreur :")
    if summaries and not fragment and not title_text.startswith(prefix):
        yield f"a page with an error summary has a title not starting with « {prefix} »"


def _unknown_attributes(tree: Element) -> Iterator[str]:
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag.startswith("{"):
            continue  # a comment, or an SVG or MathML element, which have attributes of their own
        for attribute in element.attrib:
            if attribute not in _HTML_ATTRIBUTES and not attribute.startswith(_ATTRIBUTE_FAMILIES):
                yield f"unknown attribute {attribute!r} on <{element.tag}>"


def _escaped_twice(tree: Element) -> Iterator[str]:
    for text in _texts(tree):
        for found in _ESCAPED.finditer(text):
            yield f"escaped twice: {_excerpt(text, found.start())!r}"


def _texts(tree: Element) -> Iterator[str]:
    """The text a reader sees or hears: text nodes and attribute values."""
    for element in tree.iter():
        if not isinstance(element.tag, str):  # a comment
            yield element.tail or ""
            continue
        yield from element.attrib.values()
        if element.tag not in _RAW_TEXT:
            yield element.text or ""
        yield element.tail or ""


def _excerpt(text: str, at: int) -> str:
    return text[max(at - _CONTEXT, 0) : at + _CONTEXT]


# The `event_hooks` of every httpx client a test points at the application (httpx copies them).
CHECK_HTML: Mapping[str, list[Callable[[httpx.Response], Awaitable[None]]]] = {
    "response": [check_html_response]
}

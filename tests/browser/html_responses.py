"""Every HTML answer the live server gives a browser journey, read by `tests.html_check`.

The body is read as soon as the response arrives: Chromium forgets the body of a page once the
browser has navigated away from it, so it cannot be fetched when the journey ends. When the
journey moved on faster than the read (a page left at once), a GET is asked again with the
context's cookies and htmx headers, which gives the same page; a POST cannot be repeated and
is left unread (its twin journey or the HTTP tests read the same template). The problems are
gathered and asserted at the end of the journey, once every pending read has finished.

Each distinct page and htmx fragment is also kept for the whole session (`ReceivedHtml`): the
W3C Nu checker reads them all at once (`test_nu_checker.py`) and the pages are laid out again at
320 px (`test_reflow.py`) once every journey has run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from playwright.sync_api import BrowserContext, Page, Response
from playwright.sync_api import Error as PlaywrightError

from tests.html_check import html_problems, is_fragment, is_html

_SETTLE_STEPS = 200
_SETTLE_MS = 50


@dataclass(frozen=True)
class ReceivedDocument:
    """One HTML answer a journey received: a whole page, or an htmx fragment."""

    method: str
    url: str
    status: int
    markup: str
    fragment: bool
    javascript: bool

    @property
    def source(self) -> str:
        return f"{self.method} {self.url} ({self.status})"


@dataclass
class ReceivedHtml:
    """The distinct HTML answers of a whole session, by the hash of their markup (the first URL
    that gave each is kept)."""

    documents: dict[str, ReceivedDocument] = field(default_factory=dict)

    def add(self, document: ReceivedDocument) -> None:
        key = hashlib.sha256(document.markup.encode("utf-8")).hexdigest()
        self.documents.setdefault(key, document)

    def pages(self) -> list[ReceivedDocument]:
        return [document for document in self.documents.values() if not document.fragment]

    def fragments(self) -> list[ReceivedDocument]:
        return [document for document in self.documents.values() if document.fragment]


class HtmlResponses:
    """Watches the HTML responses of one browser context (all its pages and htmx requests)."""

    def __init__(
        self,
        context: BrowserContext,
        received: ReceivedHtml | None = None,
        *,
        javascript: bool = True,
    ) -> None:
        self.context = context
        self.received = received
        self.javascript = javascript
        self.problems: list[str] = []
        self.pending = 0
        context.on("response", self._check)

    def _check(self, response: Response) -> None:
        if 300 <= response.status < 400 or not is_html(response.headers.get("content-type", "")):
            return
        self.pending += 1
        request = response.request
        source = f"{request.method} {response.url} ({response.status})"
        try:
            markup = self._body(response)
        except PlaywrightError as error:
            self.problems.append(f"{source}: the body could not be read ({error.message})")
            return
        finally:
            self.pending -= 1
        if markup is None:
            return
        headers = request.headers
        htmx = (
            headers.get("hx-request") == "true"
            and headers.get("hx-history-restore-request") != "true"
        )
        fragment = is_fragment(markup, htmx=htmx)
        problems = html_problems(markup, fragment=fragment)
        self.problems.extend(f"{source}: {problem}" for problem in problems)
        if self.received is not None:
            self.received.add(
                ReceivedDocument(
                    method=request.method,
                    url=response.url,
                    status=response.status,
                    markup=markup,
                    fragment=fragment,
                    javascript=self.javascript,
                )
            )

    def _body(self, response: Response) -> str | None:
        try:
            return response.text()
        except PlaywrightError:
            request = response.request
            if request.method != "GET":
                return None
            htmx = {
                name: value for name, value in request.headers.items() if name.startswith("hx-")
            }
            return self.context.request.get(response.url, headers=htmx).text()

    def assert_sound(self, page: Page) -> None:
        """Wait for the reads still under way, then fail on any problem found."""
        for _ in range(_SETTLE_STEPS):
            if not self.pending:
                break
            page.wait_for_timeout(_SETTLE_MS)
        assert self.pending == 0, f"{self.pending} HTML responses were never read"
        assert self.problems == [], "HTML the browser had to repair:\n  " + "\n  ".join(
            self.problems
        )

"""Cross-origin request protection and the security headers of every response.

Cross-site request forgery is stopped without tokens, with the algorithm of Go 1.25's
`net/http.CrossOriginProtection` (Filippo Valsorda, "Cross-Site Request Forgery", 2025):

1. GET, HEAD and OPTIONS are safe and always pass.
2. If the browser sent `Sec-Fetch-Site`, the request passes only when it says `same-origin` or
   `none` (typed in the address bar, a bookmark).
3. Otherwise, if it sent `Origin`, the request passes only when that origin is the site's own
   (the `BASE_URL` origin, or the `Host` the request was sent to).
4. A request with neither header does not come from a browser that could carry someone's cookie
   (every browser since 2020 sends one of them on a cross-origin POST), so it passes.

Every refusal is a 403 with a French page. The session cookie is SameSite=Lax as a second wall.

Pages and files that hold personal data must not stay in a browser's or a proxy's cache (a shared
computer at a PMI, a library, a family's phone): every answer under a private prefix carries
`Cache-Control: no-store`, whatever the view set, so that a new staff route, export or token page
is covered the day it is written.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from workshops.web.forms import typed_text

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    # Family links carry a secret token: never send our URLs to another site.
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "cross-origin-opener-policy": "same-origin",
}

# The paths whose answers are never stored: the staff pages and their exports (CSV, XLSX,
# documents), the family pages reached by a registration's secret link, and the secret calendar
# feeds. The public catalogue and the public feed stay cacheable.
NO_STORE_PREFIXES = ("/pro/", "/inscription/", "/agendas/")
NO_STORE = "no-store"


def is_private_path(path: str) -> bool:
    """Whether the answer to `path` may hold personal data, and so must not be cached."""
    return path.startswith(NO_STORE_PREFIXES) or path == "/pro"


def is_cross_origin_request(method: str, headers: Headers, own_origin: str) -> bool:
    """True when an unsafe request was sent by a page of another site."""
    if method.upper() in SAFE_METHODS:
        return False
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return False
    if origin == own_origin:
        return False
    host = headers.get("host")
    return host is None or urlsplit(origin).netloc != host


class CrossOriginProtectionMiddleware:
    def __init__(self, app: ASGIApp, *, base_url: str, refuse: ASGIApp) -> None:
        self.app = app
        parts = urlsplit(base_url)
        self.own_origin = f"{parts.scheme}://{parts.netloc}"
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and is_cross_origin_request(
            scope["method"], Headers(scope=scope), self.own_origin
        ):
            await self.refuse(scope, receive, send)
            return
        await self.app(scope, receive, send)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.headers = dict(SECURITY_HEADERS)
        if https:
            self.headers["strict-transport-security"] = "max-age=31536000"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        private = is_private_path(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
                if private:
                    # Replaces what a view chose (a private feed's max-age, for one).
                    headers["cache-control"] = NO_STORE
            await send(message)

        await self.app(scope, receive, send_with_headers)


class TypedQueryMiddleware:
    """Remove the characters no one types (`web.forms.typed_text`: NUL, other control
    characters, noncharacters) from query strings before any view reads them.

    PostgreSQL refuses NUL in text (a filter typed with it would end in a 500), and a filter
    shown back in its field would make the page invalid HTML; forms do the same with their
    values (`web.forms.read_form`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query: bytes = scope.get("query_string", b"")
        if scope["type"] == "http" and query:
            typed = _typed_query(query)
            if typed != query:
                scope = {**scope, "query_string": typed}
        await self.app(scope, receive, send)


def _typed_query(query: bytes) -> bytes:
    """The query without untyped characters; unchanged, byte for byte, when it has none."""
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True, errors="replace")
    typed = [(typed_text(name), typed_text(value)) for name, value in pairs]
    return query if typed == pairs else urlencode(typed).encode("ascii")


class BodySizeLimitMiddleware:
    """Refuse request bodies over `max_bytes` with a 413: by their announced length at once,
    or while streaming when no length was announced."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, refuse: ASGIApp) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            await self.refuse(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413)
            return message

        await self.app(scope, limited_receive, send)

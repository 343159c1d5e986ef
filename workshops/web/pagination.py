"""Page numbers from the query string, and what a template needs to draw the page links."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

PER_PAGE = 25


@dataclass(frozen=True)
class Page:
    number: int
    per_page: int
    total: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def count(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.count


def page_number(request: Request) -> int:
    """The `page` query parameter, or 1 when it is missing or not a sensible number."""
    raw = request.query_params.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1

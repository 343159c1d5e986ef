"""Counts shown in the staff navigation of every page (« Demandes de salle (3) »).

The web shell imports no domain: each domain's pages register the counts they own
(`register_count`, e.g. `workshops.rooms.pages`), and the sign-in guard computes them once per
request for the signed-in member (`workshops.web.auth.current_staff`), under their names on
`request.state`, which `render` hands to the templates.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from workshops.accounts import Staff

Counter = Callable[[Staff], Awaitable[int]]
_COUNTERS: dict[str, Counter] = {}


def register_count(name: str, counter: Counter) -> None:
    """Show `counter(staff)` in the navigation under `name` (a template variable)."""
    _COUNTERS[name] = counter


async def navigation_counts(staff: Staff) -> dict[str, int]:
    """Every registered count, for this member."""
    return {name: await counter(staff) for name, counter in _COUNTERS.items()}

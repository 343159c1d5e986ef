"""Counts shown in the staff navigation of every page (« Demandes de salle (3) »).

The web shell imports no domain: each domain's pages register the counts they own
(`register_count`, e.g. `workshops.rooms.pages`), and the sign-in guard computes them once per
request for the signed-in member (`workshops.web.auth.current_staff`), under their names on
`request.state`, which `render` hands to the templates.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from markupsafe import Markup
from starlette.requests import Request

from workshops.accounts import Staff
from workshops.kernel.templating import ENVIRONMENTS

Counter = Callable[[Staff], Awaitable[int]]
_COUNTERS: dict[str, Counter] = {}


def register_count(name: str, counter: Counter) -> None:
    """Show `counter(staff)` in the navigation under `name` (a template variable)."""
    _COUNTERS[name] = counter


async def navigation_counts(staff: Staff) -> dict[str, int]:
    """Every registered count, for this member."""
    return {name: await counter(staff) for name, counter in _COUNTERS.items()}


# Which link of the navigation is the current page. The link of the page itself carries
# `aria-current="page"`; a page below a section (a workshop, under « Ateliers ») marks its
# section's link with `aria-current="true"`: screen readers say « current » without claiming
# that the link leads to this very page, and sighted users see where they are in the same way.
SECTIONS: dict[str, frozenset[str]] = {
    "signup.catalogue": frozenset(
        {"signup.workshop", "signup.register", "signup.registration", "signup.cancel"}
    ),
    "accounts.login": frozenset(
        {"accounts.password_forgotten", "accounts.password_new", "accounts.invitation"}
    ),
    "accounts.profile": frozenset({"accounts.change_password", "accounts.logout_everywhere"}),
    "accounts.organisations": frozenset(
        {"accounts.organisation", "accounts.organisation_new", "accounts.member_add"}
    ),
    "rooms.sites": frozenset(
        {"rooms.site", "rooms.site_new", "rooms.site_edit", "rooms.site_week", "rooms.room_new"}
    ),
    "rooms.search": frozenset({"rooms.request"}),
    "planning.workshops": frozenset(
        {
            "planning.workshop",
            "planning.workshop_new",
            "planning.workshop_edit",
            "planning.workshop_duplicate",
            "planning.my_sessions",
            "signup.staff_registrations",
            "signup.attendance",
        }
    ),
    "planning.themes": frozenset({"planning.theme"}),
    "partners.conventions": frozenset(
        {
            "partners.convention",
            "partners.convention_new",
            "partners.convention_edit",
            "evaluation.convention",
        }
    ),
    "privacy.tool": frozenset({"privacy.search"}),
    "mail.outbox": frozenset({"mail.message"}),
}


class CurrentPage:
    """The route of the page being shown, for the navigation's `aria-current`."""

    def __init__(self, route_name: str) -> None:
        self.route_name = route_name

    def aria(self, link: str) -> str:
        """`page` for the link to this page, `true` for its section's link, else empty."""
        if link == self.route_name:
            return "page"
        if self.route_name in SECTIONS.get(link, ()):
            return "true"
        return ""

    def attribute(self, link: str) -> Markup:
        """The `aria-current` attribute of `link`, with its leading space, or nothing."""
        state = self.aria(link)
        return Markup(f' aria-current="{state}"') if state else Markup("")


def current_page(request: Request) -> CurrentPage:
    route = request.scope.get("route")
    return CurrentPage(getattr(route, "name", None) or "")


# The templates ask `current_page(request).aria("rooms.inbox")` (base.html, staff_nav.html).
for _environment in ENVIRONMENTS.values():
    _environment.globals["current_page"] = current_page

"""The public catalogue at `/`: filters in the query string, htmx refreshes only the results."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from datetime import date
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from workshops.kernel.clock import utc_now
from workshops.kernel.i18n import _, get_locale, ngettext
from workshops.signup.catalogue import EXPECTING, CatalogueFilter, filter_choices, upcoming_page
from workshops.web.auth import current_staff
from workshops.web.forms import SubmittedForm
from workshops.web.pagination import Page, page_number
from workshops.web.templating import is_htmx, render

FILTER_FIELDS = ("commune", "centre", "theme", "age", "du", "au", "places")
PER_PAGE = 10


def _number(raw: str, maximum: int) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) <= 9 and int(raw) <= maximum else None


def _day(raw: str, name: str, errors: dict[str, str]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("Indiquez une date valide, par exemple 2026-12-01.")
        return None


def read_filter(form: SubmittedForm) -> CatalogueFilter:
    errors = form.errors
    age = form["age"]
    if age and age != EXPECTING and _number(age, 216) is None:
        errors["age"] = _("Indiquez l'âge en mois (un nombre), ou choisissez « futurs parents ».")
    return CatalogueFilter(
        commune=form["commune"],
        centre_id=_number(form["centre"], 999_999_999),
        theme_id=_number(form["theme"], 999_999_999),
        age_months=_number(age, 216) if age != EXPECTING else None,
        expecting=age == EXPECTING,
        starts_from=_day(form["du"], "du", errors),
        starts_until=_day(form["au"], "au", errors),
        with_places=form["places"] == "oui",
    )


class WrittenPages:
    """Catalogue pages already written, by everything they were written from.

    The catalogue's first page is the most asked-for page of the platform and stays the same
    between two changes of the workshops. Every visit still reads the database; when what it
    read, the language, the address and the kind of request (htmx or not) are those of a page
    written before, that page is sent again instead of rendering the templates anew: never an
    outdated page, since the key is made of the data itself. Only for visitors who are not
    signed in (the page of a staff member shows their name and counts). Per process, bounded.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.pages: OrderedDict[Hashable, tuple[bytes, int]] = OrderedDict()

    def get(self, key: Hashable) -> Response | None:
        found = self.pages.get(key)
        if found is None:
            return None
        self.pages.move_to_end(key)
        return HTMLResponse(found[0], status_code=found[1])

    def keep(self, key: Hashable, response: Response) -> None:
        self.pages[key] = (bytes(response.body), response.status_code)
        if len(self.pages) > self.size:
            self.pages.popitem(last=False)


written_pages = WrittenPages()


async def catalogue(request: Request) -> Response:
    staff = await current_staff(request)
    params = request.query_params
    form = SubmittedForm(
        values={name: params.get(name, "").strip()[:100] for name in FILTER_FIELDS}
    )
    wanted = read_filter(form)
    settings = request.app.state.settings
    number = page_number(request)
    found = await upcoming_page(
        wanted=wanted,
        now=utc_now(),
        zone=settings.zone,
        offset=(number - 1) * PER_PAGE,
        limit=PER_PAGE,
    )
    page = Page(number=number, per_page=PER_PAGE, total=found.total)
    choices = await filter_choices()
    # Everything the page is written from; the time zone shapes the dates shown.
    key = (
        get_locale(),
        settings.zone,
        is_htmx(request),
        request.scope["query_string"],
        found,
        choices,
    )
    if staff is None and (written := written_pages.get(key)) is not None:
        return written
    listings = found.listings()
    query = urlencode({name: value for name, value in form.values.items() if value})
    response = render(
        request,
        "signup/catalogue.html",
        {
            "form": form,
            "listings": listings,
            "page": page,
            "page_query": query,
            "themes": choices.themes,
            "communes": choices.communes,
            "centres": choices.centres,
            "ages": [
                (EXPECTING, _("J'attends un enfant")),
                *(
                    (str(months), ngettext("%(num)s mois", "%(num)s mois", months))
                    for months in range(48)
                ),
            ],
        },
        status_code=422 if form.errors else 200,
        block="results",
    )
    if staff is None:
        written_pages.keep(key, response)
    return response


routes = [Route("/", catalogue, methods=["GET"], name="signup.catalogue")]

"""The family's commune of residence, chosen from the official list (`workshops.kernel.communes`).

The form sends what was typed (`commune`: a name or a postal code) and, once a commune was chosen
among the proposals, its INSEE code (`commune_code`). Without JavaScript the typed text alone is
enough when it names one commune; when it names several or none, the form comes back with the
proposals as radio buttons, « Hors de France ou autre » among them, which keeps the text as typed.
With htmx the same proposals appear while typing (`/communes`, here too). Every form that asks
for a commune uses this field: a family's sign-up, a site, a workshop's eligible communes, the
commune of an evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from workshops.kernel.communes import Commune, by_code, matching, search
from workshops.kernel.i18n import _
from workshops.web.forms import SubmittedForm
from workshops.web.templating import render

CODE_FIELD = "commune_code"
OTHER = "autre"


@dataclass(frozen=True)
class Residence:
    """An INSEE code and the commune's name; no code for a family from abroad (name as typed)."""

    code: str
    name: str


def proposals(typed: str, chosen: str = "") -> list[Commune]:
    """The communes to offer for `typed`, the chosen one first."""
    exact = list(matching(typed)) if typed.strip() else []
    found = exact + [commune for commune in search(typed) if commune not in exact]
    current = by_code(chosen)
    if current is not None:
        found = [current] + [commune for commune in found if commune != current]
    return found[:8]


def read_residence(form: SubmittedForm) -> Residence | None:
    """The commune in `form`, or None with the reason in `form.errors["commune"]`."""
    return read_commune(
        form,
        missing=_("Indiquez votre commune de résidence."),
        missing_other=_("Indiquez votre commune ou votre pays de résidence."),
    )


def read_commune(form: SubmittedForm, *, missing: str, missing_other: str) -> Residence | None:
    """The commune in `form` (`commune` typed, `commune_code` chosen), or None with the reason
    in `form.errors["commune"]`: `missing` when nothing was typed, `missing_other` when
    « Hors de France ou autre » was chosen with nothing typed. The site form and the
    coordinators' overview read their commune with it too."""
    typed, code = form["commune"].strip(), form[CODE_FIELD]
    if code == OTHER:
        if typed:
            return Residence("", typed)
        form.errors["commune"] = missing_other
        return None
    chosen = by_code(code)
    if chosen is not None:
        return Residence(chosen.code, chosen.name)
    if not typed:
        form.errors["commune"] = missing
        return None
    found = matching(typed)
    if len(found) == 1:
        return Residence(found[0].code, found[0].name)
    if found:
        form.errors["commune"] = _("Plusieurs communes correspondent : choisissez la vôtre.")
    else:
        form.errors["commune"] = _(
            "Cette commune n'est pas dans la liste officielle : choisissez-la parmi les "
            "propositions, ou « Hors de France ou autre »."
        )
    return None


def shown_proposals(form: SubmittedForm) -> list[Commune]:
    """The proposals a page shows under the field: after a refusal, or to keep a choice made."""
    if form.errors.get("commune") or by_code(form[CODE_FIELD]) is not None:
        return proposals(form["commune"], form[CODE_FIELD])
    return []


async def commune_proposals(request: Request) -> Response:
    typed = request.query_params.get("commune", "")[:100]
    chosen = request.query_params.get(CODE_FIELD, "")[:5]
    form = SubmittedForm(values={"commune": typed, CODE_FIELD: chosen})
    return render(
        request,
        "signup/communes.html",
        {"form": form, "commune_proposals": proposals(typed, chosen) if typed.strip() else []},
        block="choices",
    )


routes = [Route("/communes", commune_proposals, methods=["GET"], name="web.communes")]

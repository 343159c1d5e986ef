"""`/communes`: the communes proposed for what a family types, as htmx swaps them under the
sign-up field; without JavaScript the same address is a small search page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from workshops.signup.residence import CODE_FIELD, proposals
from workshops.web.forms import SubmittedForm
from workshops.web.templating import render


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


routes = [Route("/communes", commune_proposals, methods=["GET"])]

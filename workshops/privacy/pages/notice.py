"""The privacy notice for families (`GET /confidentialite`), public and linked from every page.

It states what the sign-up form collects and why; the numbers it quotes (retention period) come
from the settings the platform applies, so the notice cannot drift from what is done.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from workshops.accounts import Organisation, OrganisationKind
from workshops.web.auth import current_staff
from workshops.web.templating import render


async def pmi_contacts() -> list[Organisation]:
    """The PMI services families can write to, to exercise their rights."""
    return list(await Organisation.filter(kind=OrganisationKind.PMI))


async def privacy_notice(request: Request) -> Response:
    await current_staff(request)
    return render(
        request,
        "privacy/notice.html",
        {
            "retention_months": request.app.state.settings.retention_months,
            "contacts": await pmi_contacts(),
        },
    )


routes = [Route("/confidentialite", privacy_notice, methods=["GET"], name="privacy.notice")]

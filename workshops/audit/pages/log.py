"""The audit log page for platform administrators."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from workshops.accounts import Permission
from workshops.audit import events as event_log
from workshops.web.auth import require_permission
from workshops.web.pagination import PER_PAGE, Page, page_number
from workshops.web.templating import render


async def audit_log(request: Request) -> Response:
    await require_permission(request, Permission.VIEW_AUDIT_LOG)
    number = page_number(request)
    events, total = await event_log.list_events(offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
    page = Page(number=number, per_page=PER_PAGE, total=total)
    return render(request, "audit/log.html", {"events": events, "page": page})


routes = [Route("/pro/journal", audit_log, methods=["GET"], name="audit.log")]

"""The staff outbox page: every message with its status, attempts and last error; send again."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from workshops.accounts import Permission
from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid
from workshops.mail import outbox as mail_outbox
from workshops.web.auth import actor_of, require_permission
from workshops.web.pagination import PER_PAGE, Page, page_number
from workshops.web.templating import render

SEARCH_PARAMETER = "destinataire"


def _search(request: Request) -> str:
    return request.query_params.get(SEARCH_PARAMETER, "").replace("\x00", "").strip()[:254]


async def _outbox_page(
    request: Request, *, notice: str = "", error: str = "", status_code: int = 200
) -> Response:
    search = _search(request)
    number = page_number(request)
    messages, total = await mail_outbox.list_messages(
        recipient=search, offset=(number - 1) * PER_PAGE, limit=PER_PAGE
    )
    return render(
        request,
        "mail/outbox.html",
        {
            "messages": messages,
            "page": Page(number=number, per_page=PER_PAGE, total=total),
            "page_query": urlencode({SEARCH_PARAMETER: search}) if search else "",
            "search": search,
            "status_labels": mail_outbox.STATUS_LABELS,
            "notice": notice,
            "error": error,
        },
        status_code=status_code,
        block="messages",
    )


async def outbox(request: Request) -> Response:
    await require_permission(request, Permission.VIEW_OUTBOX)
    return await _outbox_page(request)


async def message_detail(request: Request) -> Response:
    await require_permission(request, Permission.VIEW_OUTBOX)
    message = await mail_outbox.get_message(request.path_params["message_id"])
    if message is None:
        raise HTTPException(404)
    return render(
        request,
        "mail/message.html",
        {
            "message": message,
            "attempts": await mail_outbox.list_attempts(message.id),
            "status_labels": mail_outbox.STATUS_LABELS,
        },
    )


async def send_again(request: Request) -> Response:
    staff = await require_permission(request, Permission.VIEW_OUTBOX)
    try:
        message = await mail_outbox.resend_message(
            actor=actor_of(request, staff), message_id=request.path_params["message_id"]
        )
    except Invalid as invalid:
        return await _outbox_page(request, error=invalid.errors["message"], status_code=409)
    notice = _("Le message à %(to)s est remis en file d'envoi.", to=message.recipient)
    return await _outbox_page(request, notice=notice)


routes = [
    Route("/pro/courriels", outbox, methods=["GET"], name="mail.outbox"),
    Route("/pro/courriels/{message_id:id}", message_detail, methods=["GET"], name="mail.message"),
    Route(
        "/pro/courriels/{message_id:id}/renvoi",
        send_again,
        methods=["POST"],
        name="mail.send_again",
    ),
]

"""Calendar feeds over HTTP (public and secret addresses) and renewing a secret address.

A secret address is renewed by its owner: a member for their own feed, whoever manages an
organisation's feed for it, the managers of a room's centre for the room's.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from workshops import rooms
from workshops.accounts import Permission
from workshops.calendars import feeds
from workshops.kernel import urls
from workshops.kernel.i18n import _
from workshops.web.auth import actor_of, require_permission

CALENDAR_TYPE = "text/calendar; charset=utf-8"
CENTRE_PARAMETER = "centre"


def _calendar(body: bytes, *, filename: str, private: bool) -> Response:
    headers = {
        "content-disposition": f'inline; filename="{filename}"',
        "cache-control": "private, max-age=300" if private else "public, max-age=300",
    }
    if private:  # A secret address must not end up in a search engine.
        headers["x-robots-tag"] = "noindex, nofollow"
    return Response(body, media_type=CALENDAR_TYPE, headers=headers)


async def public_feed(request: Request) -> Response:
    raw = request.query_params.get(CENTRE_PARAMETER, "")
    centre = None
    if raw:
        if not raw.isdigit() or len(raw) > 9:
            raise HTTPException(400, _("Le centre demandé n'est pas un numéro valide."))
        centre = await feeds.find_centre(int(raw))
        if centre is None:
            raise HTTPException(404)
    body = await feeds.public_feed(settings=request.app.state.settings, centre=centre)
    return _calendar(body, filename="ateliers.ics", private=False)


async def private_feed(request: Request) -> Response:
    feed = await feeds.find_feed(request.path_params["token"])
    if feed is None:
        raise HTTPException(404)
    body = await feeds.private_feed(feed, settings=request.app.state.settings)
    return _calendar(body, filename="agenda.ics", private=True)


async def renew_personal_feed(request: Request) -> Response:
    staff = await require_permission(request, Permission.PLAN_WORKSHOPS)
    await feeds.regenerate_personal_feed(actor=actor_of(request, staff))
    return RedirectResponse(
        urls.path("accounts.profile") + "?agenda=nouveau#agendas", status_code=303
    )


async def renew_organisation_feed(request: Request) -> Response:
    organisation_id = request.path_params["organisation_id"]
    staff = await require_permission(request, Permission.MANAGE_CALENDAR_FEED, organisation_id)
    if not await feeds.has_feed(organisation_id):
        raise HTTPException(404)
    await feeds.regenerate_organisation_feed(
        actor=actor_of(request, staff), organisation_id=organisation_id
    )
    return RedirectResponse(
        urls.path("accounts.profile") + "?agenda=nouveau#agendas", status_code=303
    )


async def renew_room_feed(request: Request) -> Response:
    """A room's feed belongs to the managers of the centre that lends it."""
    room = await rooms.get_room(request.path_params["room_id"])
    if room is None:
        raise HTTPException(404)
    staff = await require_permission(
        request, Permission.MANAGE_CALENDAR_FEED, room.site.organisation_id
    )
    await feeds.regenerate_room_feed(actor=actor_of(request, staff), room=room)
    return RedirectResponse(
        urls.path("rooms.room", room_id=room.id) + "?agenda=nouveau#agenda", status_code=303
    )


routes = [
    Route("/ateliers.ics", public_feed, methods=["GET"], name="calendars.public_feed"),
    Route("/agendas/{token}.ics", private_feed, methods=["GET"], name="calendars.private_feed"),
    Route(
        "/pro/profil/agenda",
        renew_personal_feed,
        methods=["POST"],
        name="calendars.renew_personal_feed",
    ),
    Route(
        "/pro/profil/agenda/{organisation_id:id}",
        renew_organisation_feed,
        methods=["POST"],
        name="calendars.renew_organisation_feed",
    ),
    Route(
        "/pro/salles/{room_id:id}/agenda",
        renew_room_feed,
        methods=["POST"],
        name="calendars.renew_room_feed",
    ),
]

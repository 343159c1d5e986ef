"""Week pages: one room, one site (for its centre), and a facilitator's own bookings."""

from __future__ import annotations

from datetime import date, timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from workshops.accounts import Permission
from workshops.kernel.clock import local_today
from workshops.kernel.i18n import _
from workshops.rooms import premises, week
from workshops.rooms.pages.guards import room_for, site_for
from workshops.web.auth import require_permission
from workshops.web.templating import render


def _monday(request: Request) -> date:
    today = local_today(request.app.state.settings.zone)
    return week.week_start(request.query_params.get("semaine", ""), today)


def _week_page(request: Request, title: str, monday: date, days: list[week.WeekDay]) -> Response:
    return render(
        request,
        "rooms/week.html",
        {
            "title": title,
            "monday": monday,
            "previous": monday - timedelta(weeks=1),
            "next": monday + timedelta(weeks=1),
            "days": days,
            "sent": request.query_params.get("envoyee", ""),
        },
        block="week",
    )


async def room_week(request: Request) -> Response:
    _staff, room = await room_for(request, Permission.MANAGE_ROOMS)
    monday = _monday(request)
    days = await week.rooms_week([room], monday, request.app.state.settings.zone)
    return _week_page(request, f"{room.name} · {room.site.name}", monday, days)


async def site_week(request: Request) -> Response:
    _staff, site = await site_for(request, Permission.MANAGE_ROOMS)
    monday = _monday(request)
    rooms = await premises.rooms_of_site(site)
    days = await week.rooms_week(rooms, monday, request.app.state.settings.zone)
    return _week_page(request, site.name, monday, days)


async def my_week(request: Request) -> Response:
    staff = await require_permission(request, Permission.REQUEST_ROOMS)
    monday = _monday(request)
    days = await week.requester_week(staff.id, monday, request.app.state.settings.zone)
    return _week_page(request, _("Mes réservations de salle"), monday, days)


routes = [
    Route("/pro/salles/{room_id:id}/semaine", room_week, methods=["GET"], name="rooms.room_week"),
    Route("/pro/lieux/{site_id:id}/semaine", site_week, methods=["GET"], name="rooms.site_week"),
    Route("/pro/reservations/semaine", my_week, methods=["GET"], name="rooms.my_week"),
]

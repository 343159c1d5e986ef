"""What every rooms page checks first: the object exists (404) and belongs to the user's side (403).

A centre manager of centre A gets a 403 for anything of centre B, whatever the address typed.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request

from workshops.accounts import Permission, Staff
from workshops.kernel.i18n import _
from workshops.rooms import premises
from workshops.rooms.inbox import Sides, get_booking, sides_of
from workshops.rooms.models import Room, RoomBooking, Site
from workshops.web.auth import require_permission, require_staff


async def site_for(request: Request, permission: Permission) -> tuple[Staff, Site]:
    site = await premises.get_site(request.path_params["site_id"])
    if site is None:
        raise HTTPException(404)
    staff = await require_permission(request, permission, site.organisation_id)
    return staff, site


async def room_for(request: Request, permission: Permission) -> tuple[Staff, Room]:
    room = await premises.get_room(request.path_params["room_id"])
    if room is None:
        raise HTTPException(404)
    staff = await require_permission(request, permission, room.site.organisation_id)
    return staff, room


async def booking_for(request: Request) -> tuple[Staff, RoomBooking, Sides]:
    """A booking seen by its centre or by its requester's side; anyone else gets a 403."""
    staff = await require_staff(request)
    booking = await get_booking(request.path_params["booking_id"])
    if booking is None:
        raise HTTPException(404)
    sides = sides_of(staff, booking)
    if not sides.any:
        raise HTTPException(403, _("Vous n'avez pas accès à cette page."))
    return staff, booking, sides


async def booking_for_centre(request: Request) -> tuple[Staff, RoomBooking]:
    staff, booking, sides = await booking_for(request)
    if not sides.centre:
        raise HTTPException(403, _("Seul le centre qui prête la salle décide de cette demande."))
    return staff, booking

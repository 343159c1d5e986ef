"""Pages of a centre's premises: its sites, their rooms, and the forms that describe them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from workshops import calendars
from workshops.accounts import Permission, Staff
from workshops.kernel import urls
from workshops.kernel.clock import local_today
from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid
from workshops.rooms import offers, premises
from workshops.rooms.availability import weekday_names
from workshops.rooms.ics_import import MAX_FILE_BYTES
from workshops.rooms.models import Equipment, Room, Site
from workshops.rooms.pages.guards import room_for, site_for
from workshops.rooms.parsing import read_euros, read_whole_number
from workshops.web.auth import actor_of, require_permission
from workshops.web.communes import CODE_FIELD, read_commune, shown_proposals
from workshops.web.forms import SubmittedForm, read_choices, read_form
from workshops.web.templating import render

SITE_FIELDS = {
    "organisation": 9,
    "name": 150,
    "address": 250,
    "postcode": 10,
    "commune": 100,
    CODE_FIELD: 5,
    "access_notes": 2000,
}
ROOM_FIELDS = {
    "name": 150,
    "capacity": 4,
    "surface_m2": 5,
    "step_free": 1,
    "accessibility_notes": 2000,
    "hourly_value": 12,
}


def _centres(staff: Staff) -> list[tuple[str, str]]:
    return [
        (str(grant.organisation_id), grant.organisation_name)
        for grant in staff.grants
        if grant.organisation_id in staff.organisation_ids(Permission.MANAGE_ROOMS)
    ]


async def site_list(request: Request) -> Response:
    staff = await require_permission(request, Permission.MANAGE_ROOMS)
    sites = await premises.sites_of(staff.organisation_ids(Permission.MANAGE_ROOMS))
    return render(request, "rooms/site_list.html", {"sites": sites})


def _site_form_page(
    request: Request, staff: Staff, form: SubmittedForm, site: Site | None, status_code: int = 200
) -> Response:
    return render(
        request,
        "rooms/site_form.html",
        {
            "form": form,
            "site": site,
            "centres": _centres(staff),
            "commune_proposals": shown_proposals(form),
        },
        status_code=status_code,
    )


async def site_new(request: Request) -> Response:
    staff = await require_permission(request, Permission.MANAGE_ROOMS)
    centres = _centres(staff)
    form = SubmittedForm(values={"organisation": centres[0][0] if len(centres) == 1 else ""})
    return _site_form_page(request, staff, form, None)


async def site_edit(request: Request) -> Response:
    staff, site = await site_for(request, Permission.MANAGE_ROOMS)
    values = {name: str(getattr(site, name)) for name in SITE_FIELDS if name != "organisation"}
    form = SubmittedForm(values={**values, "organisation": str(site.organisation_id)})
    return _site_form_page(request, staff, form, site)


async def _save_site(request: Request, staff: Staff, site: Site | None) -> Response:
    form = await read_form(request, SITE_FIELDS)
    organisation = form["organisation"]
    if site is not None:
        organisation = str(site.organisation_id)
    if not organisation.isdigit() or int(organisation) not in staff.organisation_ids(
        Permission.MANAGE_ROOMS
    ):
        form.errors["organisation"] = premises.choose_centre_message()
    # The commune from the official list, as a family chooses theirs (`web.communes`).
    commune = read_commune(
        form,
        missing=_("Indiquez la commune."),
        missing_other=_("Indiquez la commune du lieu."),
    )
    if not form.errors and commune is not None:
        details = premises.SiteDetails(
            name=form["name"],
            address=form["address"],
            postcode=form["postcode"],
            commune=commune.name,
            access_notes=form["access_notes"],
            commune_code=commune.code,
        )
        try:
            saved = await premises.save_site(
                actor=actor_of(request, staff),
                organisation_id=int(organisation),
                details=details,
                site=site,
            )
        except Invalid as invalid:
            form.errors.update(invalid.errors)
        else:
            return RedirectResponse(urls.path("rooms.site", site_id=saved.id), status_code=303)
    return _site_form_page(request, staff, form, site, status_code=422)


async def site_create(request: Request) -> Response:
    staff = await require_permission(request, Permission.MANAGE_ROOMS)
    return await _save_site(request, staff, None)


async def site_update(request: Request) -> Response:
    staff, site = await site_for(request, Permission.MANAGE_ROOMS)
    return await _save_site(request, staff, site)


async def site_page(
    request: Request,
    site: Site,
    *,
    form: SubmittedForm | None = None,
    notice: str = "",
    status_code: int = 200,
    block: str | None = None,
) -> Response:
    """The site with its rooms and closures; the closures block alone for htmx."""
    today = local_today(request.app.state.settings.zone)
    return render(
        request,
        "rooms/site_detail.html",
        {
            "site": site,
            "rooms": await premises.rooms_of_site(site),
            "closures": await offers.closures_of(site, today),
            "form": form or SubmittedForm(values={}),
            "notice": notice,
            "max_upload_mb": MAX_FILE_BYTES // (1024 * 1024),
        },
        status_code=status_code,
        block=block,
    )


async def site_detail(request: Request) -> Response:
    _staff, site = await site_for(request, Permission.MANAGE_ROOMS)
    return await site_page(request, site)


def _room_form_page(
    request: Request, form: SubmittedForm, site: Site, room: Room | None, status_code: int = 200
) -> Response:
    return render(
        request,
        "rooms/room_form.html",
        {
            "form": form,
            "site": site,
            "room": room,
            "equipment_choices": [(e.value, premises.EQUIPMENT_LABELS[e]) for e in Equipment],
        },
        status_code=status_code,
    )


async def room_new(request: Request) -> Response:
    _staff, site = await site_for(request, Permission.MANAGE_ROOMS)
    form = SubmittedForm(values={"capacity": "", "hourly_value": ""})
    return _room_form_page(request, form, site, None)


async def room_edit(request: Request) -> Response:
    _staff, room = await room_for(request, Permission.MANAGE_ROOMS)
    values = {
        "name": room.name,
        "capacity": str(room.capacity),
        "surface_m2": "" if room.surface_m2 is None else str(room.surface_m2),
        "step_free": "1" if room.step_free else "",
        "accessibility_notes": room.accessibility_notes,
        "hourly_value": str(room.hourly_value).replace(".", ","),
    }
    form = SubmittedForm(values=values)
    form.values["equipment"] = ",".join(room.equipment)
    return _room_form_page(request, form, room.site, room)


async def _save_room(request: Request, staff: Staff, site: Site, room: Room | None) -> Response:
    form = await read_form(request, ROOM_FIELDS)
    equipment = await read_choices(request, "equipment", [e.value for e in Equipment])
    form.values["equipment"] = ",".join(equipment)
    errors = form.errors
    capacity = read_whole_number(form["capacity"], "capacity", errors, minimum=1, maximum=500)
    surface = read_whole_number(
        form["surface_m2"], "surface_m2", errors, minimum=1, maximum=5000, required=False
    )
    hourly_value = read_euros(form["hourly_value"], "hourly_value", errors)
    if not errors and capacity is not None and hourly_value is not None:
        details = premises.RoomDetails(
            name=form["name"],
            capacity=capacity,
            surface_m2=surface,
            equipment=tuple(equipment),
            step_free=form["step_free"] == "1",
            accessibility_notes=form["accessibility_notes"],
            hourly_value=hourly_value,
        )
        try:
            saved = await premises.save_room(
                actor=actor_of(request, staff), site=site, details=details, room=room
            )
        except Invalid as invalid:
            errors.update(invalid.errors)
        else:
            return RedirectResponse(urls.path("rooms.room", room_id=saved.id), status_code=303)
    return _room_form_page(request, form, site, room, status_code=422)


async def room_create(request: Request) -> Response:
    staff, site = await site_for(request, Permission.MANAGE_ROOMS)
    return await _save_room(request, staff, site, None)


async def room_update(request: Request) -> Response:
    staff, room = await room_for(request, Permission.MANAGE_ROOMS)
    return await _save_room(request, staff, room.site, room)


async def room_page(
    request: Request,
    room: Room,
    *,
    form: SubmittedForm | None = None,
    notice: str = "",
    status_code: int = 200,
    block: str | None = None,
) -> Response:
    """The room with its weekly windows; the windows block alone for htmx."""
    return render(
        request,
        "rooms/room_detail.html",
        {
            "room": room,
            "equipment": premises.equipment_labels(room),
            "windows": await offers.windows_of(room),
            "weekdays": weekday_names(),
            "form": form or SubmittedForm(values={}),
            "notice": notice,
            "feed": await calendars.room_feed(room.id),
            "feed_url": calendars.feed_url,
        },
        status_code=status_code,
        block=block,
    )


async def room_detail(request: Request) -> Response:
    _staff, room = await room_for(request, Permission.MANAGE_ROOMS)
    return await room_page(request, room)


routes = [
    Route("/pro/lieux", site_list, methods=["GET"], name="rooms.sites"),
    Route("/pro/lieux", site_create, methods=["POST"], name="rooms.sites"),
    Route("/pro/lieux/nouveau", site_new, methods=["GET"], name="rooms.site_new"),
    Route("/pro/lieux/{site_id:id}", site_detail, methods=["GET"], name="rooms.site"),
    Route("/pro/lieux/{site_id:id}/modifier", site_edit, methods=["GET"], name="rooms.site_edit"),
    Route(
        "/pro/lieux/{site_id:id}/modifier", site_update, methods=["POST"], name="rooms.site_edit"
    ),
    Route(
        "/pro/lieux/{site_id:id}/salles/nouvelle", room_new, methods=["GET"], name="rooms.room_new"
    ),
    Route(
        "/pro/lieux/{site_id:id}/salles", room_create, methods=["POST"], name="rooms.room_create"
    ),
    Route("/pro/salles/{room_id:id}", room_detail, methods=["GET"], name="rooms.room"),
    Route("/pro/salles/{room_id:id}/modifier", room_edit, methods=["GET"], name="rooms.room_edit"),
    Route(
        "/pro/salles/{room_id:id}/modifier", room_update, methods=["POST"], name="rooms.room_edit"
    ),
]

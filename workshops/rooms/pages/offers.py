"""Forms of what a centre offers: weekly windows of a room, closures of a site, `.ics` import."""

from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from workshops.accounts import Permission
from workshops.kernel.clock import local_today
from workshops.kernel.i18n import _, ngettext
from workshops.kernel.validation import Invalid
from workshops.rooms import offers
from workshops.rooms.ics_import import (
    FIELD,
    MAX_FILE_BYTES,
    dump_drafts,
    load_drafts,
    parse_closures,
)
from workshops.rooms.pages.guards import room_for, site_for
from workshops.rooms.pages.premises import room_page, site_page
from workshops.rooms.parsing import read_date, read_minute, read_whole_number
from workshops.web.auth import actor_of
from workshops.web.forms import SubmittedForm, read_form, read_upload
from workshops.web.templating import render

WINDOW_FIELDS = {"weekday": 1, "start": 5, "end": 5, "valid_from": 10, "valid_until": 10}
CLOSURE_FIELDS = {"room": 9, "starts_on": 10, "ends_on": 10, "reason": 200}
IMPORT_FIELDS = {"closures": 200_000}


def _today(request: Request) -> date:
    return local_today(request.app.state.settings.zone)


async def window_add(request: Request) -> Response:
    staff, room = await room_for(request, Permission.MANAGE_ROOMS)
    form = await read_form(request, WINDOW_FIELDS)
    errors = form.errors
    weekday = read_whole_number(form["weekday"], "weekday", errors, minimum=0, maximum=6)
    start = read_minute(form["start"], "start", errors)
    end = read_minute(form["end"], "end", errors)
    valid_from = read_date(form["valid_from"], "valid_from", errors)
    valid_until = read_date(form["valid_until"], "valid_until", errors)
    if weekday is not None and start is not None and end is not None and valid_from and valid_until:
        details = offers.WindowDetails(weekday, start, end, valid_from, valid_until)
        try:
            await offers.add_window(
                actor=actor_of(request, staff), room=room, details=details, today=_today(request)
            )
        except Invalid as invalid:
            errors.update(invalid.errors)
        else:
            notice = _("Le créneau est ajouté.")
            return await room_page(request, room, notice=notice, block="windows")
    return await room_page(request, room, form=form, status_code=422, block="windows")


async def window_remove(request: Request) -> Response:
    staff, room = await room_for(request, Permission.MANAGE_ROOMS)
    try:
        await offers.remove_window(
            actor=actor_of(request, staff), room=room, window_id=request.path_params["window_id"]
        )
    except Invalid as invalid:
        form = SubmittedForm(values={}, errors=invalid.errors)
        return await room_page(request, room, form=form, status_code=422, block="windows")
    return await room_page(request, room, notice=_("Le créneau est retiré."), block="windows")


async def closure_add(request: Request) -> Response:
    staff, site = await site_for(request, Permission.MANAGE_ROOMS)
    form = await read_form(request, CLOSURE_FIELDS)
    errors = form.errors
    starts_on = read_date(form["starts_on"], "starts_on", errors)
    ends_on = read_date(form["ends_on"], "ends_on", errors) if form["ends_on"] else starts_on
    room_id = read_whole_number(
        form["room"], "room", errors, minimum=1, maximum=999_999_999, required=False
    )
    if starts_on and ends_on and not errors:
        try:
            await offers.add_closure(
                actor=actor_of(request, staff),
                site=site,
                room_id=room_id,
                starts_on=starts_on,
                ends_on=ends_on,
                reason=form["reason"],
                today=_today(request),
            )
        except Invalid as invalid:
            errors.update(invalid.errors)
        else:
            notice = _("La fermeture est enregistrée.")
            return await site_page(request, site, notice=notice, block="closures")
    return await site_page(request, site, form=form, status_code=422, block="closures")


async def closure_remove(request: Request) -> Response:
    staff, site = await site_for(request, Permission.MANAGE_ROOMS)
    try:
        await offers.remove_closure(
            actor=actor_of(request, staff), site=site, closure_id=request.path_params["closure_id"]
        )
    except Invalid as invalid:
        form = SubmittedForm(values={}, errors=invalid.errors)
        return await site_page(request, site, form=form, status_code=422, block="closures")
    return await site_page(request, site, notice=_("La fermeture est retirée."), block="closures")


async def import_preview(request: Request) -> Response:
    """Read the uploaded file and show what it would close; nothing is saved yet."""
    _staff, site = await site_for(request, Permission.MANAGE_ROOMS)
    content = await read_upload(request, FIELD, MAX_FILE_BYTES)
    zone = request.app.state.settings.zone
    try:
        drafts = parse_closures(content, zone=zone, today=_today(request))
    except Invalid as invalid:
        form = SubmittedForm(values={}, errors=invalid.errors)
        return await site_page(request, site, form=form, status_code=422)
    known = await offers.already_imported(site, drafts)
    return render(
        request,
        "rooms/closure_preview.html",
        {"site": site, "drafts": drafts, "known": known, "carried": dump_drafts(drafts)},
    )


async def import_confirm(request: Request) -> Response:
    staff, site = await site_for(request, Permission.MANAGE_ROOMS)
    form = await read_form(request, IMPORT_FIELDS)
    try:
        if form.errors:
            raise Invalid({FIELD: _("L'aperçu est trop long : importez un fichier plus court.")})
        closures = await offers.import_closures(
            actor=actor_of(request, staff),
            site=site,
            drafts=load_drafts(form["closures"]),
            today=_today(request),
        )
    except Invalid as invalid:
        form = SubmittedForm(values={}, errors=invalid.errors)
        return await site_page(request, site, form=form, status_code=422)
    notice = ngettext("%(num)s fermeture importée.", "%(num)s fermetures importées.", len(closures))
    return await site_page(request, site, notice=notice)


routes = [
    Route(
        "/pro/salles/{room_id:id}/creneaux", window_add, methods=["POST"], name="rooms.window_add"
    ),
    Route(
        "/pro/salles/{room_id:id}/creneaux/{window_id:id}/retrait",
        window_remove,
        methods=["POST"],
        name="rooms.window_remove",
    ),
    Route(
        "/pro/lieux/{site_id:id}/fermetures",
        closure_add,
        methods=["POST"],
        name="rooms.closure_add",
    ),
    Route(
        "/pro/lieux/{site_id:id}/fermetures/{closure_id:id}/retrait",
        closure_remove,
        methods=["POST"],
        name="rooms.closure_remove",
    ),
    Route(
        "/pro/lieux/{site_id:id}/fermetures/apercu",
        import_preview,
        methods=["POST"],
        name="rooms.closure_import_preview",
    ),
    Route(
        "/pro/lieux/{site_id:id}/fermetures/import",
        import_confirm,
        methods=["POST"],
        name="rooms.closure_import",
    ),
]

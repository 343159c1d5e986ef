"""Pages of room requests: search, ask (with the preview of a series), inbox, decide, cancel."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from workshops.accounts import Permission, Staff
from workshops.kernel import urls
from workshops.kernel.clock import local_today, utc_now
from workshops.kernel.i18n import _, format_datetime, ngettext
from workshops.kernel.validation import Invalid
from workshops.rooms import requesting
from workshops.rooms.availability import SearchCriteria, Slot, find_free_rooms
from workshops.rooms.booking import Decision, cancel_booking, confirm_booking, decline_booking
from workshops.rooms.inbox import Sides, get_booking, pending_requests
from workshops.rooms.models import Equipment, Room, RoomBooking
from workshops.rooms.offers import describe_window, windows_of
from workshops.rooms.pages.guards import booking_for, booking_for_centre
from workshops.rooms.parsing import read_date, read_minute, read_whole_number
from workshops.rooms.premises import (
    EQUIPMENT_LABELS,
    communes_with_rooms,
    equipment_labels,
    get_room,
)
from workshops.web.auth import actor_of, require_permission
from workshops.web.forms import SubmittedForm, read_choices, read_form
from workshops.web.pagination import PER_PAGE, Page, page_number
from workshops.web.templating import is_htmx, render

SEARCH_FIELDS = ("day", "starts", "ends", "commune", "capacity")
REQUEST_FIELDS = {
    "day": 10,
    "starts": 5,
    "ends": 5,
    "weeks": 2,
    "message": 2000,
    "step": 10,
    "dates": 600,
}
DECISION_FIELDS = {"reason": 1000, "series": 1}


def _read_slot(form: SubmittedForm) -> Slot | None:
    errors = form.errors
    day = read_date(form["day"], "day", errors)
    starts = read_minute(form["starts"], "starts", errors)
    ends = read_minute(form["ends"], "ends", errors)
    if day is None or starts is None or ends is None:
        return None
    return Slot(day, starts, ends)


# --- Search and request ----------------------------------------------------------------------


async def search(request: Request) -> Response:
    await require_permission(request, Permission.REQUEST_ROOMS)
    params = request.query_params
    form = SubmittedForm(
        values={name: params.get(name, "").strip()[:100] for name in SEARCH_FIELDS}
    )
    equipment = await read_choices(request, "equipment", [e.value for e in Equipment])
    rooms: list[Room] | None = None
    if form["day"]:
        slot = _read_slot(form)
        capacity = read_whole_number(
            form["capacity"], "capacity", form.errors, minimum=1, maximum=500, required=False
        )
        zone = request.app.state.settings.zone
        if slot is not None and not form.errors:
            form.errors.update(requesting.slot_errors(slot, weeks=1, zone=zone, now=utc_now()))
        if slot is not None and not form.errors:
            criteria = SearchCriteria(slot, form["commune"], capacity or 0, tuple(equipment))
            rooms = await find_free_rooms(criteria, zone=zone, now=utc_now())
    return render(
        request,
        "rooms/search.html",
        {
            "form": form,
            "chosen_equipment": equipment,
            "equipment_choices": [(e.value, EQUIPMENT_LABELS[e]) for e in Equipment],
            "rooms": rooms,
            "labels": {room.id: equipment_labels(room) for room in rooms or []},
            "communes": await communes_with_rooms(),
        },
        status_code=422 if form.errors else 200,
        block="results",
    )


async def _requestable_room(request: Request) -> tuple[Staff, Room]:
    staff = await require_permission(request, Permission.REQUEST_ROOMS)
    room = await get_room(request.path_params["room_id"])
    if room is None:
        raise HTTPException(404)
    return staff, room


async def _request_page(
    request: Request,
    room: Room,
    form: SubmittedForm,
    plan: requesting.SeriesPlan | None = None,
    status_code: int = 200,
) -> Response:
    today = local_today(request.app.state.settings.zone)
    return render(
        request,
        "rooms/request_form.html",
        {
            "room": room,
            "form": form,
            "plan": plan,
            "equipment": equipment_labels(room),
            "offers": [
                describe_window(w) for w in await windows_of(room) if w.valid_until >= today
            ],
            "max_weeks": requesting.MAX_OCCURRENCES,
        },
        status_code=status_code,
    )


async def request_form(request: Request) -> Response:
    _staff, room = await _requestable_room(request)
    params = request.query_params
    values = {name: params.get(name, "").strip()[:10] for name in ("day", "starts", "ends")}
    return await _request_page(request, room, SubmittedForm(values={**values, "weeks": "1"}))


def _previewed_days(raw: str) -> list[date] | None:
    try:
        return [date.fromisoformat(day) for day in raw.split(",") if day]
    except ValueError:
        return None


async def request_send(request: Request) -> Response:
    """Preview the dates of a series, or send the request once they were seen."""
    staff, room = await _requestable_room(request)
    form = await read_form(request, REQUEST_FIELDS)
    slot = _read_slot(form)
    weeks = read_whole_number(form["weeks"] or "1", "weeks", form.errors, minimum=1, maximum=99)
    if slot is None or weeks is None or form.errors:
        return await _request_page(request, room, form, status_code=422)
    zone = request.app.state.settings.zone
    previewed = _previewed_days(form["dates"]) if form["dates"] else None
    wants_preview = form["step"] == "preview" or (weeks > 1 and previewed is None)
    try:
        if wants_preview:
            plan = await requesting.plan_series(room=room, slot=slot, weeks=weeks, zone=zone)
            form.values["dates"] = ",".join(s.day.isoformat() for s in plan.bookable)
            return await _request_page(request, room, form, plan)
        bookings = await requesting.request_booking(
            actor=actor_of(request, staff),
            room=room,
            slot=slot,
            weeks=weeks,
            message=form["message"],
            organisation_id=requesting.requester_organisation(staff),
            settings=request.app.state.settings,
            expected_days=previewed if weeks > 1 else None,
        )
    except Invalid as invalid:
        form.errors.update(invalid.errors)
        plan = None
        if weeks > 1 and "weeks" in invalid.errors and weeks <= requesting.MAX_OCCURRENCES:
            plan = await requesting.plan_series(room=room, slot=slot, weeks=weeks, zone=zone)
            form.values["dates"] = ",".join(s.day.isoformat() for s in plan.bookable)
        return await _request_page(request, room, form, plan, status_code=422)
    first_day = bookings[0].starts_at.astimezone(zone).date().isoformat()
    return RedirectResponse(
        urls.path("rooms.my_week") + f"?semaine={first_day}&envoyee={len(bookings)}",
        status_code=303,
    )


# --- The centre's inbox and decisions --------------------------------------------------------


async def _inbox_page(
    request: Request,
    staff: Staff,
    *,
    notice: str = "",
    failed: int = 0,
    form: SubmittedForm | None = None,
    status_code: int = 200,
) -> Response:
    centre_ids = staff.organisation_ids(Permission.DECIDE_ROOM_REQUESTS)
    requests = await pending_requests(centre_ids)
    request.state.pending_room_requests = len(requests)
    page = Page(number=page_number(request), per_page=PER_PAGE, total=len(requests))
    if page.number > page.count:  # the last entry of the last page was just decided
        page = Page(number=page.count, per_page=PER_PAGE, total=len(requests))
    return render(
        request,
        "rooms/inbox.html",
        {
            "requests": requests[page.offset : page.offset + PER_PAGE],
            "total": len(requests),
            "page": page,
            "pagination_path": urls.path("rooms.inbox"),
            "notice": notice,
            "failed": failed,
            "form": form or SubmittedForm(values={}),
            "refresh_count": is_htmx(request),
        },
        status_code=status_code,
        block="inbox",
    )


async def inbox(request: Request) -> Response:
    staff = await require_permission(request, Permission.DECIDE_ROOM_REQUESTS)
    return await _inbox_page(request, staff)


def _confirmed_notice(decision: Decision, zone: ZoneInfo) -> str:
    notice = ngettext(
        "%(num)s date confirmée.", "%(num)s dates confirmées.", len(decision.confirmed)
    )
    for booking, reason in decision.left_pending:
        day = format_datetime(booking.starts_at, zone, "EEEE d MMMM y")
        notice += " " + _("Le %(day)s reste en attente : %(reason)s", day=day, reason=reason)
    return notice


async def confirm(request: Request) -> Response:
    staff, booking = await booking_for_centre(request)
    form = await read_form(request, DECISION_FIELDS)
    try:
        decision = await confirm_booking(
            actor=actor_of(request, staff),
            booking=booking,
            settings=request.app.state.settings,
            whole_series=form["series"] == "1",
        )
    except Invalid as invalid:
        form.errors.update(invalid.errors)
        return await _inbox_page(request, staff, failed=booking.id, form=form, status_code=409)
    return await _inbox_page(
        request, staff, notice=_confirmed_notice(decision, request.app.state.settings.zone)
    )


async def decline(request: Request) -> Response:
    staff, booking = await booking_for_centre(request)
    form = await read_form(request, DECISION_FIELDS)
    try:
        declined = await decline_booking(
            actor=actor_of(request, staff),
            booking=booking,
            reason=form["reason"],
            settings=request.app.state.settings,
            whole_series=form["series"] == "1",
        )
    except Invalid as invalid:
        form.errors.update(invalid.errors)
        return await _inbox_page(request, staff, failed=booking.id, form=form, status_code=422)
    notice = ngettext("%(num)s date refusée.", "%(num)s dates refusées.", len(declined))
    return await _inbox_page(request, staff, notice=notice)


# --- One booking, and its cancellation -------------------------------------------------------


def _detail_page(
    request: Request,
    booking: RoomBooking,
    sides: Sides,
    form: SubmittedForm | None = None,
    notice: str = "",
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "rooms/booking_detail.html",
        {
            "booking": booking,
            "sides": sides,
            "form": form or SubmittedForm(values={}),
            "notice": notice,
        },
        status_code=status_code,
    )


async def booking_detail(request: Request) -> Response:
    _staff, booking, sides = await booking_for(request)
    return _detail_page(request, booking, sides)


async def cancel(request: Request) -> Response:
    staff, booking, sides = await booking_for(request)
    form = await read_form(request, {"reason": 1000})
    try:
        booking = await cancel_booking(
            actor=actor_of(request, staff),
            booking=booking,
            reason=form["reason"],
            by_centre=sides.centre,
            settings=request.app.state.settings,
        )
    except Invalid as invalid:
        form.errors.update(invalid.errors)
        return _detail_page(request, booking, sides, form, status_code=422)
    refreshed = await get_booking(booking.id)
    assert refreshed is not None
    return _detail_page(request, refreshed, sides, notice=_("La réservation est annulée."))


routes = [
    Route("/pro/salles/recherche", search, methods=["GET"], name="rooms.search"),
    Route("/pro/salles/demandes", inbox, methods=["GET"], name="rooms.inbox"),
    Route("/pro/salles/{room_id:id}/demande", request_form, methods=["GET"], name="rooms.request"),
    Route("/pro/salles/{room_id:id}/demande", request_send, methods=["POST"], name="rooms.request"),
    Route(
        "/pro/reservations/{booking_id:id}", booking_detail, methods=["GET"], name="rooms.booking"
    ),
    Route(
        "/pro/reservations/{booking_id:id}/confirmation",
        confirm,
        methods=["POST"],
        name="rooms.booking_confirm",
    ),
    Route(
        "/pro/reservations/{booking_id:id}/refus",
        decline,
        methods=["POST"],
        name="rooms.booking_decline",
    ),
    Route(
        "/pro/reservations/{booking_id:id}/annulation",
        cancel,
        methods=["POST"],
        name="rooms.booking_cancel",
    ),
]

"""Premises indicators [locaux]: hours offered, booked and used, occupancy, the value of the free
loan, and how room requests were answered.

Hours offered come from the weekly windows (local wall-clock time, so 9:00-12:00 is three hours on
both sides of a daylight-saving change) on the days of the period they are valid, minus the days a
closure covers the site or the room. Those rows are few (windows and closures, not bookings), so
the calendar walk runs in Python; everything counted per booking runs in SQL.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from workshops.evaluation.scope import Frame
from workshops.evaluation.sql import dialect, fetch

# Bookings used by a held session, found from the sessions of the period (by their start index).
_USED = (
    "SELECT DISTINCT s.booking_id FROM workshop_session s JOIN workshop w ON w.id = s.workshop_id "
    "WHERE s.starts_at >= ? AND s.starts_at < ? AND s.cancelled_at IS NULL "
    "AND w.status <> 'cancelled' AND s.ends_at <= ?"
)


async def compute_premises(*, frame: Frame) -> dict[str, Any]:
    offered = await _hours_offered(frame)
    use = await _use(frame)
    requests = await _requests(frame)
    rate = round(use["hours_used"] / offered, 4) if offered else None
    return {"hours_offered": round(offered, 2), **use, "occupancy_rate": rate, **requests}


async def _hours_offered(frame: Frame) -> float:
    rooms, params = frame.scope.offered_rooms("a.room_id")
    windows = await fetch(
        "SELECT a.room_id, t.id AS site_id, a.weekday, a.start_minute, a.end_minute, "
        "a.valid_from, a.valid_until FROM room_availability a JOIN room r ON r.id = a.room_id "
        f"JOIN site t ON t.id = r.site_id WHERE {rooms} AND a.valid_from <= ? "
        "AND a.valid_until >= ?",
        [*params, frame.period.last_day, frame.period.first_day],
    )
    closures = await fetch(
        "SELECT site_id, room_id, starts_on, ends_on FROM room_closure "
        "WHERE starts_on <= ? AND ends_on >= ?",
        [frame.period.last_day, frame.period.first_day],
    )
    minutes = 0
    for window in windows:
        for day in _days(frame, window["valid_from"], window["valid_until"]):
            if day.weekday() == window["weekday"] and not _closed(closures, window, day):
                minutes += window["end_minute"] - window["start_minute"]
    return minutes / 60


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _days(frame: Frame, valid_from: Any, valid_until: Any) -> list[date]:
    first = max(frame.period.first_day, _as_date(valid_from))
    last = min(frame.period.last_day, _as_date(valid_until))
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _closed(closures: list[dict[str, Any]], window: dict[str, Any], day: date) -> bool:
    return any(
        closure["site_id"] == window["site_id"]
        and closure["room_id"] in (None, window["room_id"])
        and _as_date(closure["starts_on"]) <= day <= _as_date(closure["ends_on"])
        for closure in closures
    )


async def _use(frame: Frame) -> dict[str, Any]:
    """Confirmed hours per room, those used by a held session, and the loan they are worth."""
    rooms, params = frame.scope.rooms("b.room_id")
    run_by, run_params = frame.scope.run_by("b.organisation_id")
    start, end = frame.period.bounds(frame.zone)
    hours = dialect().hours("b.starts_at", "b.ends_at")
    rows = await fetch(
        f"SELECT b.room_id, r.hourly_value, SUM({hours}) AS booked, "
        f"SUM(CASE WHEN used.booking_id IS NOT NULL THEN {hours} ELSE 0 END) AS used "
        "FROM room_booking b JOIN room r ON r.id = b.room_id "
        f"LEFT JOIN ({_USED}) used ON used.booking_id = b.id "
        f"WHERE b.status = 'confirmed' AND {rooms} AND {run_by} "
        "AND b.starts_at >= ? AND b.starts_at < ? GROUP BY b.room_id, r.hourly_value",
        [start, end, frame.now, *params, *run_params, start, end],
    )
    booked = sum(float(row["booked"] or 0) for row in rows)
    used = sum(float(row["used"] or 0) for row in rows)
    value = sum(
        (
            Decimal(str(row["hourly_value"])) * Decimal(str(round(float(row["used"] or 0), 4)))
            for row in rows
        ),
        Decimal(0),
    )
    return {
        "hours_booked": round(booked, 2),
        "hours_used": round(used, 2),
        "loan_value": float(value.quantize(Decimal("0.01"))),
    }


async def _requests(frame: Frame) -> dict[str, Any]:
    """Requests for slots in the period: how many were confirmed, declined, and how fast."""
    rooms, params = frame.scope.rooms("b.room_id")
    run_by, run_params = frame.scope.run_by("b.organisation_id")
    start, end = frame.period.bounds(frame.zone)
    delay = dialect().hours("b.created_at", "b.decided_at")
    [row] = await fetch(
        "SELECT COUNT(*) AS requests, "
        "SUM(CASE WHEN b.decided_at IS NOT NULL AND b.status <> 'declined' THEN 1 ELSE 0 END) "
        "AS confirmed, SUM(CASE WHEN b.status = 'declined' THEN 1 ELSE 0 END) AS declined, "
        f"AVG(CASE WHEN b.decided_at IS NOT NULL THEN {delay} END) AS mean_delay "
        f"FROM room_booking b WHERE {rooms} AND {run_by} AND b.starts_at >= ? "
        "AND b.starts_at < ?",
        [*params, *run_params, start, end],
    )
    mean = row["mean_delay"]
    return {
        "requests": int(row["requests"] or 0),
        "requests_confirmed": int(row["confirmed"] or 0),
        "requests_declined": int(row["declined"] or 0),
        "mean_response_hours": None if mean is None else round(float(mean), 1),
    }

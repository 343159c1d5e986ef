"""Participation indicators [participation]: registrations, places, attendance, fill rate, unserved
demand, distinct, new and returning families, children by age band, communes, how families heard.

A family is its e-mail, or once anonymised its `family_key` (rule 6): anonymisation gives all the
registrations of one e-mail the same random key at once, so these counts do not move when personal
data is erased. A family is returning when it had a confirmed registration to a session before the
period in the same scope (for a convention: it came to this centre, to its PMI's workshops,
before); new otherwise.
"""

from __future__ import annotations

from typing import Any

from workshops.evaluation.scope import Frame
from workshops.evaluation.sql import dialect, fetch

AGE_BANDS = ("prenatal", "0-2", "3-5", "6-11", "12-23", "24-35", "36+")
_FAMILY = "CASE WHEN {r}.family_key <> '' THEN {r}.family_key ELSE lower({r}.email) END"


async def compute_participation(*, frame: Frame) -> dict[str, Any]:
    return {
        **await _registrations(frame),
        **await _attendance(frame),
        **await _families(frame),
        "age_bands": await _age_bands(frame),
        **await _communes(frame),
        "heard_from": await _heard_from(frame),
    }


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


async def _registrations(frame: Frame) -> dict[str, Any]:
    workshops, params = frame.workshops()
    [row] = await fetch(
        "SELECT SUM(CASE WHEN r.status = 'confirmed' THEN 1 ELSE 0 END) AS registrations, "
        "SUM(CASE WHEN r.status = 'confirmed' THEN r.places ELSE 0 END) AS places, "
        "SUM(CASE WHEN r.status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled, "
        "SUM(CASE WHEN r.status = 'waitlisted' THEN 1 ELSE 0 END) AS waitlisted, "
        "SUM(CASE WHEN r.status = 'waitlisted' THEN r.places ELSE 0 END) AS waitlisted_places "
        f"FROM ({workshops}) p JOIN registration r ON r.workshop_id = p.workshop_id",
        params,
    )
    [capacity] = await fetch(
        "SELECT SUM(w.capacity) AS capacity "
        f"FROM ({workshops}) p JOIN workshop w ON w.id = p.workshop_id "
        "WHERE w.status <> 'cancelled'",
        params,
    )
    places = int(row["places"] or 0)
    offered = int(capacity["capacity"] or 0)
    return {
        "registrations": int(row["registrations"] or 0),
        "registrations_cancelled": int(row["cancelled"] or 0),
        "places": places,
        "capacity": offered,
        "fill_rate": _rate(places, offered),
        "waitlist_unserved": int(row["waitlisted"] or 0),
        "waitlist_unserved_places": int(row["waitlisted_places"] or 0),
    }


async def _attendance(frame: Frame) -> dict[str, Any]:
    workshops, params = frame.workshops()
    [row] = await fetch(
        "SELECT SUM(CASE WHEN a.status = 'present' THEN 1 ELSE 0 END) AS present, "
        "SUM(CASE WHEN a.status = 'excused' THEN 1 ELSE 0 END) AS excused, "
        "SUM(CASE WHEN a.status = 'absent' THEN 1 ELSE 0 END) AS absent "
        f"FROM ({workshops}) p JOIN registration r ON r.workshop_id = p.workshop_id "
        "JOIN attendance a ON a.registration_id = r.id",
        params,
    )
    present, excused, absent = (int(row[key] or 0) for key in ("present", "excused", "absent"))
    return {
        "present": present,
        "excused": excused,
        "absent": absent,
        "attendance_rate": _rate(present, present + excused + absent),
    }


async def _families(frame: Frame) -> dict[str, Any]:
    """Distinct families of the period, and those seen before it in the same scope."""
    workshops, params = frame.workshops()
    rooms, room_params = frame.scope.rooms("b.room_id")
    run_by, run_params = frame.scope.run_by("hw.organisation_id")
    start, _ = frame.period.bounds(frame.zone)
    family, earlier = _FAMILY.format(r="r"), _FAMILY.format(r="h")
    [row] = await fetch(
        "SELECT COUNT(*) AS families, "
        "SUM(CASE WHEN seen.family IS NOT NULL THEN 1 ELSE 0 END) AS returners "
        f"FROM (SELECT DISTINCT {family} AS family FROM ({workshops}) p "
        "JOIN registration r ON r.workshop_id = p.workshop_id WHERE r.status = 'confirmed') f "
        f"LEFT JOIN (SELECT DISTINCT {earlier} AS family FROM workshop_session s "
        "JOIN room_booking b ON b.id = s.booking_id "
        "JOIN workshop hw ON hw.id = s.workshop_id "
        "JOIN registration h ON h.workshop_id = s.workshop_id "
        f"WHERE s.starts_at < ? AND {rooms} AND {run_by} AND h.status = 'confirmed') seen "
        "ON seen.family = f.family",
        [*params, start, *room_params, *run_params],
    )
    families = int(row["families"] or 0)
    returning = int(row["returners"] or 0)
    return {
        "families": families,
        "families_new": families - returning,
        "families_returning": returning,
    }


def age_band(*, born: str | None, expected: str | None, session_month: str) -> str:
    """The band of a child at the month of the workshop's first session."""
    if not born:
        return "prenatal"
    year, month = (int(part) for part in born[:7].split("-"))
    at_year, at_month = (int(part) for part in session_month[:7].split("-"))
    months = (at_year - year) * 12 + at_month - month
    for band, upper in (("0-2", 2), ("3-5", 5), ("6-11", 11), ("12-23", 23), ("24-35", 35)):
        if months <= upper:
            return band
    return "36+"


async def _age_bands(frame: Frame) -> dict[str, int]:
    """Children of confirmed registrations, counted in SQL by birth and session month."""
    workshops, params = frame.workshops()
    sql_dialect = dialect()
    unnest, born, expected = sql_dialect.children("r.children")
    month = sql_dialect.month("p.first_start")
    rows = await fetch(
        f"SELECT {born} AS born, {expected} AS expected, {month} AS session_month, "
        f"COUNT(*) AS children FROM ({workshops}) p "
        f"JOIN registration r ON r.workshop_id = p.workshop_id CROSS JOIN {unnest} "
        f"WHERE r.status = 'confirmed' GROUP BY {born}, {expected}, {month}",
        params,
    )
    bands = dict.fromkeys(AGE_BANDS, 0)
    for row in rows:
        band = age_band(
            born=row["born"], expected=row["expected"], session_month=row["session_month"]
        )
        bands[band] += int(row["children"])
    return bands


async def _communes(frame: Frame) -> dict[str, Any]:
    """Where families live: in a commune where their workshop was held, or elsewhere."""
    workshops, params = frame.workshops()
    # The communes where each workshop of the period was held, read once per workshop and
    # joined, rather than looked up again for every registration.
    held = (
        "SELECT DISTINCT s.workshop_id AS workshop_id, lower(t.commune) AS commune "
        f"FROM ({workshops}) q JOIN workshop_session s ON s.workshop_id = q.workshop_id "
        "JOIN room_booking b ON b.id = s.booking_id JOIN room m ON m.id = b.room_id "
        "JOIN site t ON t.id = m.site_id"
    )
    local = "CASE WHEN h.workshop_id IS NULL THEN 0 ELSE 1 END"
    rows = await fetch(
        f"SELECT r.commune AS commune, {local} AS local, COUNT(*) AS registrations "
        f"FROM ({workshops}) p JOIN registration r ON r.workshop_id = p.workshop_id "
        f"LEFT JOIN ({held}) h ON h.workshop_id = r.workshop_id "
        "AND h.commune = lower(r.commune) "
        f"WHERE r.status = 'confirmed' GROUP BY r.commune, {local} "
        "ORDER BY registrations DESC, r.commune",
        [*params, *params],
    )
    in_commune = sum(int(row["registrations"]) for row in rows if int(row["local"]))
    elsewhere = sum(int(row["registrations"]) for row in rows if not int(row["local"]))
    return {
        "commune_local": in_commune,
        "commune_elsewhere": elsewhere,
        "communes": [
            {"commune": row["commune"], "registrations": int(row["registrations"])} for row in rows
        ],
    }


async def _heard_from(frame: Frame) -> list[dict[str, Any]]:
    workshops, params = frame.workshops()
    rows = await fetch(
        "SELECT r.heard_from AS heard_from, COUNT(*) AS registrations "
        f"FROM ({workshops}) p JOIN registration r ON r.workshop_id = p.workshop_id "
        "WHERE r.status = 'confirmed' GROUP BY r.heard_from "
        "ORDER BY registrations DESC, r.heard_from",
        params,
    )
    return [
        {"heard_from": row["heard_from"], "registrations": int(row["registrations"])}
        for row in rows
    ]

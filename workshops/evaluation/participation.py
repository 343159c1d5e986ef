"""Participation indicators [participation]: registrations, places, attendance, fill rate, unserved
demand, distinct, new and returning families, children by age band, communes, how families heard.

What each figure counts is written in `definitions` (and `docs/evaluation.md`); two rules hold
for all of them. The registrations counted are the confirmed registrations of the period's
workshops that are not cancelled (`_COUNTED`): a workshop cancelled as a whole counts only in
`registrations_workshop_cancelled`, so a fill rate never counts places a cancelled workshop no
longer offers. A family is its family key: its e-mail in lower case, or once anonymised its
`family_key` (rule 6): anonymisation gives all the registrations of one e-mail the same random key
at once, so these counts do not move when personal data is erased. A family is returning when it
had a confirmed registration to a workshop not cancelled with a session before the period in the
same scope (for a convention: it came to this centre, to its PMI's workshops, before); new
otherwise.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta
from typing import Any

from workshops.evaluation.communes import canonical_spelling
from workshops.evaluation.scope import Frame
from workshops.evaluation.sql import dialect, fetch
from workshops.kernel.communes import by_code

AGE_BANDS = ("prenatal", "0-2", "3-5", "6-11", "12-23", "24-35", "36+")
_FAMILY = "CASE WHEN {r}.family_key <> '' THEN {r}.family_key ELSE lower({r}.email) END"
_NOT_CANCELLED = "p.status <> 'cancelled'"
# The registrations every participation figure counts (joined as `p` and `r`).
_COUNTED = f"r.status = 'confirmed' AND {_NOT_CANCELLED}"


async def compute_participation(*, frame: Frame) -> dict[str, Any]:
    return {
        **await _registrations(frame),
        **await _places(frame),
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
        f"SELECT SUM(CASE WHEN {_COUNTED} THEN 1 ELSE 0 END) AS registrations, "
        f"SUM(CASE WHEN r.status = 'cancelled' AND {_NOT_CANCELLED} THEN 1 ELSE 0 END) "
        "AS cancelled, "
        "SUM(CASE WHEN r.status = 'confirmed' AND p.status = 'cancelled' THEN 1 ELSE 0 END) "
        "AS workshop_cancelled, "
        f"SUM(CASE WHEN r.status = 'waitlisted' AND {_NOT_CANCELLED} THEN 1 ELSE 0 END) "
        "AS waitlisted, "
        f"SUM(CASE WHEN r.status = 'waitlisted' AND {_NOT_CANCELLED} THEN r.places ELSE 0 END) "
        "AS waitlisted_places "
        f"FROM ({workshops}) p JOIN registration r ON r.workshop_id = p.workshop_id",
        params,
    )
    return {
        "registrations": int(row["registrations"] or 0),
        "registrations_cancelled": int(row["cancelled"] or 0),
        "registrations_workshop_cancelled": int(row["workshop_cancelled"] or 0),
        "waitlist_unserved": int(row["waitlisted"] or 0),
        "waitlist_unserved_places": int(row["waitlisted_places"] or 0),
    }


async def _places(frame: Frame) -> dict[str, Any]:
    """Places offered and taken, workshop by workshop: a workshop never counts more places
    taken than it offers, so the fill rate stays at most 100 %."""
    workshops, params = frame.workshops()
    taken = (
        "SELECT r.workshop_id AS workshop_id, SUM(r.places) AS places "
        f"FROM ({workshops}) p JOIN registration r ON r.workshop_id = p.workshop_id "
        f"WHERE {_COUNTED} GROUP BY r.workshop_id"
    )
    [row] = await fetch(
        "SELECT SUM(w.capacity) AS capacity, SUM(CASE WHEN t.places > w.capacity "
        "THEN w.capacity ELSE COALESCE(t.places, 0) END) AS places "
        f"FROM ({workshops}) p JOIN workshop w ON w.id = p.workshop_id "
        f"LEFT JOIN ({taken}) t ON t.workshop_id = p.workshop_id WHERE {_NOT_CANCELLED}",
        [*params, *params],
    )
    places, offered = int(row["places"] or 0), int(row["capacity"] or 0)
    return {"places": places, "capacity": offered, "fill_rate": _rate(places, offered)}


async def _attendance(frame: Frame) -> dict[str, Any]:
    workshops, params = frame.workshops()
    [row] = await fetch(
        "SELECT SUM(CASE WHEN a.status = 'present' THEN 1 ELSE 0 END) AS present, "
        "SUM(CASE WHEN a.status = 'excused' THEN 1 ELSE 0 END) AS excused, "
        "SUM(CASE WHEN a.status = 'absent' THEN 1 ELSE 0 END) AS absent "
        f"FROM ({workshops}) p JOIN registration r ON r.workshop_id = p.workshop_id "
        "JOIN attendance a ON a.registration_id = r.id "
        "JOIN workshop_session s ON s.id = a.session_id "
        # Marks of sessions held only: a mark entered ahead (possible before attendance was
        # refused until a session's start) counts once its session has ended, like the session.
        f"WHERE {_COUNTED} AND s.cancelled_at IS NULL AND s.ends_at <= ?",
        [*params, frame.now],
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
        f"JOIN registration r ON r.workshop_id = p.workshop_id WHERE {_COUNTED}) f "
        f"LEFT JOIN (SELECT DISTINCT {earlier} AS family FROM workshop_session s "
        "JOIN room_booking b ON b.id = s.booking_id "
        "JOIN workshop hw ON hw.id = s.workshop_id "
        "JOIN registration h ON h.workshop_id = s.workshop_id "
        f"WHERE s.starts_at < ? AND {rooms} AND {run_by} AND h.status = 'confirmed' "
        "AND hw.status NOT IN ('cancelled', 'draft')) seen "
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
    """The band of a child at the (local) month of the workshop's first session."""
    if not born:
        return "prenatal"
    year, month = (int(part) for part in born[:7].split("-"))
    at_year, at_month = (int(part) for part in session_month[:7].split("-"))
    months = (at_year - year) * 12 + at_month - month
    for band, upper in (("0-2", 2), ("3-5", 5), ("6-11", 11), ("12-23", 23), ("24-35", 35)):
        if months <= upper:
            return band
    return "36+"


def _local_month(column: str, frame: Frame) -> tuple[str, list[Any]]:
    """The local 'YYYY-MM' of a UTC timestamp column in the period's months: a CASE on the
    UTC instants where the local months begin (a session at 00:30 on 1 March in Paris is 23:30
    on 28 February in UTC, and its month is March)."""
    months: list[tuple[str, datetime]] = []
    day = frame.period.first_day.replace(day=1)
    while day <= frame.period.last_day:
        following = (day + timedelta(days=32)).replace(day=1)
        ends = datetime.combine(following, time(), frame.zone).astimezone(UTC)
        months.append((f"{day:%Y-%m}", ends))
        day = following
    cases = " ".join(f"WHEN {column} < ? THEN '{label}'" for label, _ends in months)
    return f"(CASE {cases} END)", [ends for _label, ends in months]


async def _age_bands(frame: Frame) -> dict[str, int]:
    """Children of confirmed registrations, counted in SQL by birth and session month."""
    workshops, params = frame.workshops()
    unnest, born, expected = dialect().children("r.children")
    month, month_params = _local_month("q.first_start", frame)
    # The month once per workshop, not once per child.
    months = f"SELECT q.workshop_id, q.status, {month} AS session_month FROM ({workshops}) q"
    children = (
        f"SELECT {born} AS born, {expected} AS expected, p.session_month AS session_month "
        f"FROM ({months}) p "
        f"JOIN registration r ON r.workshop_id = p.workshop_id CROSS JOIN {unnest} "
        f"WHERE {_COUNTED}"
    )
    rows = await fetch(
        "SELECT born, expected, session_month, COUNT(*) AS children "
        f"FROM ({children}) c GROUP BY born, expected, session_month",
        [*month_params, *params],
    )
    bands = dict.fromkeys(AGE_BANDS, 0)
    for row in rows:
        band = age_band(
            born=row["born"], expected=row["expected"], session_month=row["session_month"]
        )
        bands[band] += int(row["children"])
    return bands


async def _communes(frame: Frame) -> dict[str, Any]:
    """Where families live: in a commune where one of their workshops was held, or elsewhere;
    and the distinct families of each commune, grouped by its normalised form."""
    workshops, params = frame.workshops()
    family = _FAMILY.format(r="r")
    # The communes where each workshop of the period was held, read once per workshop and
    # joined, rather than looked up again for every registration.
    held = (
        "SELECT DISTINCT s.workshop_id AS workshop_id, k.commune_key AS commune "
        f"FROM ({workshops}) q JOIN workshop_session s ON s.workshop_id = q.workshop_id "
        "JOIN room_booking b ON b.id = s.booking_id JOIN room m ON m.id = b.room_id "
        f"JOIN site t ON t.id = m.site_id JOIN {frame.communes} k ON k.spelling = t.commune"
    )
    by_family = (
        f"SELECT {family} AS family, "
        "MAX(CASE WHEN h.workshop_id IS NULL THEN 0 ELSE 1 END) AS local "
        f"FROM ({workshops}) p JOIN registration r ON r.workshop_id = p.workshop_id "
        f"JOIN {frame.communes} k ON k.spelling = r.commune "
        f"LEFT JOIN ({held}) h ON h.workshop_id = r.workshop_id AND h.commune = k.commune_key "
        f"WHERE {_COUNTED} GROUP BY {family}"
    )
    [split] = await fetch(
        f"SELECT COUNT(*) AS families, SUM(local) AS local FROM ({by_family}) f",
        [*params, *params],
    )
    local = int(split["local"] or 0)
    return {
        "commune_local": local,
        "commune_elsewhere": int(split["families"] or 0) - local,
        "communes": await _by_commune(frame),
    }


async def _by_commune(frame: Frame) -> list[dict[str, Any]]:
    """Distinct families by commune: by INSEE code when the family chose its commune from the
    official list, else by normalised text; each under its most frequent spelling (the
    spellings are few: one row per way a commune was typed, not per registration)."""
    workshops, params = frame.workshops()
    # '#' keeps a code apart from a text typed as digits (a postal code).
    family = _FAMILY.format(r="r")
    typed = "CASE WHEN r.commune_code <> '' THEN '#' || r.commune_code ELSE k.commune_key END"
    source = (
        f"FROM ({workshops}) p JOIN registration r ON r.workshop_id = p.workshop_id "
        f"JOIN {frame.communes} k ON k.spelling = r.commune WHERE {_COUNTED}"
    )
    counts = await fetch(
        f"SELECT {typed} AS commune, COUNT(DISTINCT {family}) AS families {source} "
        f"GROUP BY {typed}",
        params,
    )
    spellings: dict[str, list[tuple[str, int]]] = {}
    for row in await fetch(
        f"SELECT {typed} AS commune, TRIM(r.commune) AS spelling, COUNT(*) AS used {source} "
        f"GROUP BY {typed}, TRIM(r.commune)",
        params,
    ):
        spellings.setdefault(row["commune"], []).append((row["spelling"], int(row["used"])))
    names = {row["commune"]: _commune_name(row["commune"], spellings) for row in counts}
    homonyms = {name for name, seen in Counter(names.values()).items() if seen > 1}
    found = [
        {
            "commune": _commune_label(row["commune"], names, homonyms),
            "code": _commune_code(row["commune"]),
            "families": int(row["families"]),
        }
        for row in counts
    ]
    return sorted(found, key=lambda item: (-item["families"], item["commune"]))


def _commune_name(key: str, spellings: dict[str, list[tuple[str, int]]]) -> str:
    """A commune chosen from the official list goes by its official name; one kept as typed,
    by its most frequent spelling."""
    listed = by_code(key[1:]) if key.startswith("#") else None
    return listed.name if listed is not None else canonical_spelling(spellings.get(key, []))


def _commune_code(key: str) -> str:
    """The INSEE code of a commune chosen from the official list; "" for one kept as typed."""
    listed = by_code(key[1:]) if key.startswith("#") else None
    return listed.code if listed is not None else ""


def _commune_label(key: str, names: dict[str, str], homonyms: set[str]) -> str:
    """The row's label: homonyms (Saint-Denis in Seine-Saint-Denis and in La Réunion) carry
    their département, or their rows would read as one commune and be added up as one."""
    listed = by_code(key[1:]) if key.startswith("#") else None
    if listed is not None and names[key] in homonyms:
        return listed.label
    return names[key]


async def _heard_from(frame: Frame) -> list[dict[str, Any]]:
    """Distinct families by how they heard of the workshops."""
    workshops, params = frame.workshops()
    family = _FAMILY.format(r="r")
    rows = await fetch(
        f"SELECT r.heard_from AS heard_from, COUNT(DISTINCT {family}) AS families "
        f"FROM ({workshops}) p JOIN registration r ON r.workshop_id = p.workshop_id "
        f"WHERE {_COUNTED} GROUP BY r.heard_from "
        "ORDER BY families DESC, r.heard_from",
        params,
    )
    return [{"heard_from": row["heard_from"], "families": int(row["families"])} for row in rows]

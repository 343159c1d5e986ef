"""The open data hides small counts, and nothing published gives a hidden count back.

Tables are generated (hypothesis) with the sums that hold in a real evaluation, then attacked the
ways a reader could: a rate times its denominator, a total minus the visible rows, and the bounds
every sum puts on the cells hidden in it ("< 5" is 1 to 4, "masqué" at least 1)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.evaluation.dataset import EXPECTED_ACTIVITY, EXPECTED_PARTICIPATION, EXPECTED_PREMISES
from workshops.evaluation.opendata import HIDDEN, MASKED, open_tables
from workshops.evaluation.tables import AGE_LABELS, Table, build_tables

Counts = st.integers(min_value=0, max_value=14)
Cells = dict[str, Any]  # "table/row" -> published value, for one column


def _split(draw: st.DrawFn, total: int, parts: int) -> list[int]:
    """`total` split into `parts` counts, at random."""
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    edges = [0, *cuts, total]
    return [edges[index + 1] - edges[index] for index in range(parts)]


@st.composite
def figures(draw: st.DrawFn) -> dict[str, Any]:
    """One period's figures, with the sums a real evaluation has."""
    themes = [draw(Counts) for _theme in range(draw(st.integers(1, 3)))]
    held, cancelled, to_come = draw(Counts), draw(Counts), draw(st.integers(0, 2))
    sessions_cancelled = draw(Counts)
    activity = {
        "workshops_planned": held + cancelled + to_come, "workshops_held": held,
        "workshops_cancelled": cancelled, "sessions_planned": sum(themes) + sessions_cancelled,
        "sessions_held": sum(themes), "sessions_cancelled": sessions_cancelled,
        "session_hours": 2.0 * sum(themes), "facilitator_hours": 3.0 * sum(themes),
        "themes": [
            {"theme": f"Thème {n}", "workshops": 1, "sessions_held": count, "session_hours": 1.0}
            for n, count in enumerate(themes)
        ],
        "cancellations": [],
    }  # fmt: skip
    confirmed, declined = draw(Counts), draw(Counts)
    premises = {
        "hours_offered": 100.0, "hours_booked": 50.0, "hours_used": 40.0, "occupancy_rate": 0.4,
        "loan_value": 800.0, "requests": confirmed + declined + draw(st.integers(0, 2)),
        "requests_confirmed": confirmed, "requests_declined": declined,
        "mean_response_hours": 12.0,
    }  # fmt: skip
    new, returning = draw(Counts), draw(Counts)
    families = new + returning
    local = draw(st.integers(0, families))
    communes = _split(draw, families, draw(st.integers(1, 3)))
    heard = _split(draw, families, draw(st.integers(1, 3)))
    ages = _split(draw, draw(st.integers(0, 20)), len(AGE_LABELS))
    places = sum(ages)
    capacity = places + draw(Counts)
    present, excused, absent = draw(Counts), draw(Counts), draw(Counts)
    marks = present + excused + absent
    participation = {
        "registrations": families + draw(Counts), "registrations_cancelled": draw(Counts),
        "registrations_workshop_cancelled": draw(Counts), "places": places,
        "capacity": capacity, "fill_rate": round(places / capacity, 4) if capacity else None,
        "waitlist_unserved": draw(Counts), "waitlist_unserved_places": 0, "present": present,
        "excused": excused, "absent": absent,
        "attendance_rate": round(present / marks, 4) if marks else None, "families": families,
        "families_new": new, "families_returning": returning, "commune_local": local,
        "commune_elsewhere": families - local,
        "age_bands": dict(zip(AGE_LABELS, ages, strict=True)),
        "communes": [{"commune": f"Commune {n}", "families": c} for n, c in enumerate(communes)],
        "heard_from": [{"heard_from": f"source{n}", "families": c} for n, c in enumerate(heard)],
    }  # fmt: skip
    return {"activity": activity, "premises": premises, "participation": participation}


def _column(tables: list[Table], column: int) -> Cells:
    return {f"{t.key}/{row.label}": row.values[column] for t in tables for row in t.rows}


def _sums(cells: Cells) -> list[tuple[str, list[str]]]:
    """The exact sums of the generated figures, by published labels: (total, parts)."""
    rows = {key.split("/", 1)[0]: [] for key in cells}  # type: dict[str, list[str]]
    for key in cells:
        rows[key.split("/", 1)[0]].append(key)
    return [
        ("Activité/Séances tenues", rows["Thèmes"]),
        ("Participation/Familles distinctes", ["Participation/Nouvelles familles",
                                              "Participation/Familles déjà venues"]),
        ("Participation/Familles distinctes", ["Participation/Familles de la commune du lieu",
                                              "Participation/Familles d'autres communes"]),
        ("Participation/Familles distinctes", rows["Communes"]),
        ("Participation/Familles distinctes", rows["Connaissance"]),
        ("Participation/Places occupées", rows["Âges"]),
        ("Activité/Séances programmées", ["Activité/Séances tenues", "Activité/Séances annulées"]),
    ]  # fmt: skip


def _bounds(value: Any) -> tuple[int, int]:
    if value == HIDDEN:
        return (1, 4)
    if value == MASKED:  # never a zero
        return (1, 10**9)
    return (int(value), int(value))


def _recomputable(cells: Cells) -> list[str]:
    """The hidden counts a reader works out exactly from the published cells."""
    found = []
    hidden = {key for key, value in cells.items() if value in (HIDDEN, MASKED)}
    # A rate times its denominator, or a numerator over its rate.
    fill = cells["Participation/Taux de remplissage"]
    if fill not in (None, MASKED):
        for key in ("Participation/Places occupées", "Participation/Places proposées"):
            if key in hidden:
                found.append(f"{key} from the fill rate")
    attendance = cells["Participation/Taux de présence"]
    if attendance not in (None, MASKED):
        marks = ["Participation/Présences", "Participation/Absences excusées",
                 "Participation/Absences"]  # fmt: skip
        if any(key in hidden for key in marks):
            found.append("an attendance count from the attendance rate")
    # Totals minus visible rows, and the bounds sums put on hidden cells.
    known = {key: _bounds(value) for key, value in cells.items() if isinstance(value, int | str)}
    sums = [(total, parts) for total, parts in _sums(cells) if total in known]
    for _round in range(40):
        for total, parts in sums:
            low = sum(known[part][0] for part in parts)
            high = sum(known[part][1] for part in parts)
            known[total] = (max(known[total][0], low), min(known[total][1], high))
            for part in parts:
                others = (low - known[part][0], high - known[part][1])
                known[part] = (
                    max(known[part][0], known[total][0] - others[1]),
                    min(known[part][1], known[total][1] - others[0]),
                )
    found += [
        f"{key} from the sums" for key in hidden if key in known and known[key][0] == known[key][1]
    ]
    return found


@settings(max_examples=300, deadline=None)
@given(figures(), figures())
def test_no_hidden_count_can_be_recomputed(
    current: dict[str, Any], previous: dict[str, Any]
) -> None:
    published = open_tables(build_tables(current, previous, ("2025", "2024")))
    for column in (0, 1):
        cells = _column(published, column)
        assert _recomputable(cells) == [], cells
    # Every count from 1 to 4 is hidden; what is not hidden is the figure itself.
    original = build_tables(current, previous, ("2025", "2024"))
    for before, after in zip(
        [t for t in original if t.key != "Annulations"], published, strict=True
    ):
        for row_before, row_after in zip(before.rows, after.rows, strict=True):
            for value, shown in zip(row_before.values, row_after.values, strict=True):
                if row_before.kind == "count" and isinstance(value, int) and 0 < value < 5:
                    assert shown in (HIDDEN, MASKED)
                elif shown not in (HIDDEN, MASKED):
                    assert shown == value


def test_ten_present_at_two_thirds_no_longer_gives_back_the_five_absences() -> None:
    """The case of issue 14: 10 present, 3 excused, 2 absent, 66.7 %."""
    figures_example: dict[str, Any] = copy.deepcopy(
        {
            "activity": EXPECTED_ACTIVITY,
            "premises": EXPECTED_PREMISES,
            "participation": EXPECTED_PARTICIPATION,
        }
    )
    participation = figures_example["participation"]
    participation.update(present=10, excused=3, absent=2, attendance_rate=0.6667)
    published = open_tables(build_tables(figures_example, figures_example, ("2025", "2024")))
    rows = {row.label: row.values for t in published for row in t.rows}
    assert rows["Absences excusées"][0] == rows["Absences"][0] == HIDDEN
    assert rows["Présences"][0] == 10
    assert rows["Taux de présence"][0] == MASKED
    [table] = [t for t in published if t.key == "Participation"]
    assert "masqué" in table.note and "< 5" in table.note

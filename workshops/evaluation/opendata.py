"""Open-data version of the evaluation: the same tables, with small counts hidden so that none can
be worked out again from the cells that stay (`docs/evaluation.md`, "Open data").

A count from 1 to 4 could point at a family in a small commune, so it is published as "< 5"
(zero points at nobody and stays): the primary suppression. Hiding it is not enough when another
cell gives it back: a rate times its denominator, or a total minus the visible parts. So
(complementary suppression, as statistical offices do for tables with margins):
- a rate whose numerator or denominator holds a hidden count is hidden;
- in every group of cells that add up (`_GROUPS`), a hidden part hides the total and a hidden total
  hides a part, so no group has a single unknown; applied again until nothing changes;
- then an audit narrows every hidden cell between what the reader knows (1 to 4 for "< 5", at
  least 1 for "masqué", the sums of the groups); a hidden cell whose bounds meet could be
  recomputed, and one more cell of its group is hidden, or, when none is left, a "< 5" of the
  group becomes "masqué".
Cells hidden in addition read "masqué" (never a zero), and a note under each table says why.
Hours and euros
stay; the cancellations table goes, as it names staff members and quotes free text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from workshops.evaluation.tables import Kind, Table, Value
from workshops.kernel.i18n import _

THRESHOLD = 5
HIDDEN = "< 5"
MASKED = "masqué"
_WITHHELD = {"Annulations"}
_UNBOUNDED = 10**9
_AUDIT_ROUNDS = 50

# (table, total row) = (table, parts): the figures that add up, for one column. `None` as the
# parts' rows means every row of that table. Some are "at least" sums (a family that gave two
# communes counts in each; workshops still to come are in none of held and cancelled): treating
# them as exact sums only hides more.
_GROUPS: tuple[tuple[str, str, str, tuple[str, ...] | None], ...] = (
    ("Activité", "activity.workshops_planned", "Activité",
     ("activity.workshops_held", "activity.workshops_cancelled")),
    ("Activité", "activity.sessions_planned", "Activité",
     ("activity.sessions_held", "activity.sessions_cancelled")),
    ("Activité", "activity.sessions_held", "Thèmes", None),
    ("Locaux", "premises.requests", "Locaux",
     ("premises.requests_confirmed", "premises.requests_declined")),
    ("Participation", "participation.families", "Participation",
     ("participation.families_new", "participation.families_returning")),
    ("Participation", "participation.families", "Participation",
     ("participation.commune_local", "participation.commune_elsewhere")),
    ("Participation", "participation.families", "Communes", None),
    ("Participation", "participation.families", "Connaissance", None),
    ("Participation", "participation.places", "Âges", None),
)  # fmt: skip
# rate row: (numerator rows, denominator rows), all in the table of the rate.
_RATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "participation.fill_rate": (("participation.places",), ("participation.capacity",)),
    "participation.attendance_rate": (
        ("participation.present",),
        ("participation.present", "participation.excused", "participation.absent"),
    ),
}

CellId = tuple[str, str, int]  # table key, row key, column


@dataclass(frozen=True)
class Group:
    total: CellId
    parts: tuple[CellId, ...]

    @property
    def members(self) -> tuple[CellId, ...]:
        return (self.total, *self.parts)


def open_tables(tables: list[Table]) -> list[Table]:
    """The tables as published in open data: small counts hidden, and what would give them back."""
    kept = [table for table in tables if table.key not in _WITHHELD]
    values = {
        (table.key, row.key, column): value
        for table in kept
        for row in table.rows
        for column, value in enumerate(row.values)
    }
    kinds = {(table.key, row.key): row.kind for table in kept for row in table.rows}
    hidden = suppress(values, kinds, groups_of(kept))
    note = _(
        "« < 5 » : effectif de 1 à 4, masqué. « masqué » : chiffre masqué en plus (taux, total "
        "ou autre ligne), pour qu'aucun effectif masqué ne puisse être recalculé."
    )
    return [
        replace(
            table,
            rows=tuple(
                replace(
                    row,
                    values=tuple(
                        hidden.get((table.key, row.key, column), value)
                        for column, value in enumerate(row.values)
                    ),
                )
                for row in table.rows
            ),
            note=note if any(cell[0] == table.key for cell in hidden) else table.note,
        )
        for table in kept
    ]


def groups_of(tables: list[Table]) -> list[Group]:
    """The groups of `_GROUPS` present in `tables`, one per column."""
    rows = {table.key: [row.key for row in table.rows] for table in tables}
    columns = max((len(row.values) for table in tables for row in table.rows), default=0)
    found = []
    for table, total, part_table, part_rows in _GROUPS:
        if total not in rows.get(table, []) or part_table not in rows:
            continue
        keys = [key for key in rows[part_table] if part_rows is None or key in part_rows]
        for column in range(columns):
            parts = tuple((part_table, key, column) for key in keys)
            found.append(Group((table, total, column), parts))
    return found


def suppress(
    values: dict[CellId, Value], kinds: dict[tuple[str, str], Kind], groups: list[Group]
) -> dict[CellId, str]:
    """The cells to hide, with what each shows instead."""
    hidden: dict[CellId, str] = {
        cell: HIDDEN
        for cell, value in values.items()
        if kinds[cell[:2]] is Kind.COUNT and isinstance(value, int) and 0 < value < THRESHOLD
    }
    while _complete_groups(values, hidden, groups) or _audit(values, hidden, groups):
        pass
    for (table, rate, column), value in values.items():
        numerators, denominators = _RATES.get(rate, ((), ()))
        if value is not None and any(
            (table, row, column) in hidden for row in (*numerators, *denominators)
        ):
            hidden[(table, rate, column)] = MASKED
    return hidden


def _count(value: Value) -> int:
    return value if isinstance(value, int) else 0


def _hide_one_more(
    values: dict[CellId, Value], hidden: dict[CellId, str], cells: tuple[CellId, ...]
) -> bool:
    """Hide the smallest visible non-zero count among `cells`; False when there is none."""
    visible = [cell for cell in cells if cell not in hidden and _count(values.get(cell)) > 0]
    if not visible:
        return False
    hidden[min(visible, key=lambda cell: (_count(values.get(cell)), cell))] = MASKED
    return True


def _complete_groups(
    values: dict[CellId, Value], hidden: dict[CellId, str], groups: list[Group]
) -> bool:
    """No group with a hidden cell keeps its total, or all its parts, visible."""
    changed = False
    for group in groups:
        if not any(cell in hidden for cell in group.members):
            continue
        if group.total not in hidden and _count(values.get(group.total)) > 0:
            hidden[group.total] = MASKED
            changed = True
        if not any(cell in hidden for cell in group.parts):
            changed = _hide_one_more(values, hidden, group.parts) or changed
    return changed


def bounds(
    values: dict[CellId, Value], hidden: dict[CellId, str], groups: list[Group]
) -> dict[CellId, tuple[int, int]]:
    """What a reader of the published table can tell of each cell of a group: its interval."""
    known: dict[CellId, tuple[int, int]] = {}
    for group in groups:
        for cell in group.members:
            if hidden.get(cell) == HIDDEN:
                known[cell] = (1, THRESHOLD - 1)
            elif cell in hidden:  # never a zero, which points at nobody
                known[cell] = (1, _UNBOUNDED)
            else:
                known[cell] = (_count(values.get(cell)), _count(values.get(cell)))
    for _round in range(_AUDIT_ROUNDS):
        before = dict(known)
        for group in groups:
            _narrow(known, group)
        if known == before:
            break
    return known


def _narrow(known: dict[CellId, tuple[int, int]], group: Group) -> None:
    low = sum(known[cell][0] for cell in group.parts)
    high = sum(known[cell][1] for cell in group.parts)
    total_low, total_high = known[group.total]
    known[group.total] = (max(total_low, low), min(total_high, high))
    total_low, total_high = known[group.total]
    for cell in group.parts:
        others_low = low - known[cell][0]
        others_high = high - known[cell][1]
        cell_low, cell_high = known[cell]
        known[cell] = (
            max(cell_low, total_low - others_high),
            min(cell_high, total_high - others_low),
        )


def _audit(values: dict[CellId, Value], hidden: dict[CellId, str], groups: list[Group]) -> bool:
    """Hide one more cell beside each hidden cell a reader could pin down; True if any."""
    known = bounds(values, hidden, groups)
    changed = False
    for cell, (low, high) in known.items():
        if cell in hidden and low >= high:
            around = [group for group in groups if cell in group.members]
            # Nothing visible left to hide (four bands of 1 under a total of 4): "< 5" says too
            # much there, "masqué" says less.
            changed = (
                any(_hide_one_more(values, hidden, group.members) for group in around)
                or _unbound(hidden, [member for group in around for member in group.members])
                or changed
            )
    return changed


def _unbound(hidden: dict[CellId, str], cells: list[CellId]) -> bool:
    """Show "masqué" instead of "< 5" in the first of `cells` that still reads "< 5"."""
    for cell in cells:
        if hidden.get(cell) == HIDDEN:
            hidden[cell] = MASKED
            return True
    return False

"""The database forgets kept figures itself, on every change that can move them.

Kept figures (`evaluation.kept`) are only as good as their forgetting. Forgetting them from the
services would need every write of every package to remember the evaluation, and a bulk update or
a line of SQL would slip through; so each table an evaluation reads carries triggers, and the
database empties the kept rows a change can reach, in the transaction of the change.

Which rows a change reaches: an evaluation period counts a workshop in the period of its first
session, and tells returning families by what happened before the period. So a change about a
workshop (the workshop, its sessions, facilitators, registrations and their attendance, the room
bookings its sessions use) can move every period that ends after the workshop's first session
starts, and no earlier one; a booking or a session moves those after its own start too. Changes
to the rest the figures read (rooms, sites, availability, closures, conventions, themes, the
names of staff, the audit of cancellations) are rare: they forget everything.

PostgreSQL: every trigger also takes a shared advisory lock for the rest of its transaction, and
a computation takes the same lock exclusively while it writes its token (`kept`). A computation
therefore starts reading only after every transaction that changed its data before it has
committed, and any later change finds its token and empties it. SQLite writes one transaction at
a time, which gives the same order.

The triggers are installed by migration `0011_kept_figures` as this module writes them. A SQLite
table rebuild (a later migration that alters one of these tables) drops the table's triggers:
such a migration must call `install` again; `tests/evaluation/test_kept.py` fails until it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The advisory lock that orders computations after the changes they read (PostgreSQL).
LOCK = "hashtextextended('evaluation_kept', 0)"
_FORGET = "UPDATE evaluation_kept SET token = '', figures = NULL WHERE token <> ''"
_FIRST_START = "(SELECT MIN(starts_at) FROM workshop_session WHERE workshop_id = {row}.workshop_id)"


@dataclass(frozen=True)
class Watch:
    """The triggers of one table."""

    table: str
    # SQL expressions over a row image (`{row}` is NEW or OLD): the instants from which the
    # change can move figures; kept periods that end after any of them are forgotten. None: the
    # change forgets every kept figure.
    since: tuple[str, ...] | None = None
    # The columns whose update matters (every column when empty).
    columns: tuple[str, ...] = ()
    # A condition over a row image: rows that do not meet it change no figure.
    when: str = ""
    events: tuple[str, ...] = ("INSERT", "UPDATE", "DELETE")


WATCHES = (
    Watch("registration", (_FIRST_START,)),
    Watch(
        "attendance",
        (
            "(SELECT MIN(s.starts_at) FROM registration r JOIN workshop_session s "
            "ON s.workshop_id = r.workshop_id WHERE r.id = {row}.registration_id)",
            "(SELECT MIN(s.starts_at) FROM workshop_session a JOIN workshop_session s "
            "ON s.workshop_id = a.workshop_id WHERE a.id = {row}.session_id)",
        ),
    ),
    Watch("workshop_session", ("{row}.starts_at", _FIRST_START)),
    Watch(
        "room_booking",
        (
            "{row}.starts_at",
            "(SELECT MIN(s2.starts_at) FROM workshop_session s1 JOIN workshop_session s2 "
            "ON s2.workshop_id = s1.workshop_id WHERE s1.booking_id = {row}.id)",
        ),
    ),
    Watch(
        "workshop", ("(SELECT MIN(starts_at) FROM workshop_session WHERE workshop_id = {row}.id)",)
    ),
    Watch("workshop_facilitator", (_FIRST_START,)),
    Watch("theme"),
    Watch("room"),
    Watch("site"),
    Watch("room_availability"),
    Watch("room_closure"),
    Watch("convention"),
    Watch("convention_room"),
    Watch("staff_user", columns=("full_name",), events=("UPDATE", "DELETE")),
    Watch("audit_event", when="{row}.action IN ('workshop.cancelled', 'session.cancelled')"),
)


def _images(event: str) -> tuple[str, ...]:
    return {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}[event]


def _event(watch: Watch, event: str) -> str:
    if event == "UPDATE" and watch.columns:
        return f"UPDATE OF {', '.join(watch.columns)}"
    return event


def trigger_name(watch: Watch, event: str = "") -> str:
    suffix = f"_{event.lower()}" if event else ""
    return f"evaluation_forget_{watch.table}{suffix}"


def _forget_sqlite(watch: Watch, row: str) -> list[str]:
    if watch.since is None:
        return [f"{_FORGET};"]
    return [f"{_FORGET} AND ends_at > {since.format(row=row)};" for since in watch.since]


def sqlite_statements(watch: Watch) -> list[str]:
    statements = []
    for event in watch.events:
        on = (
            f"UPDATE OF {', '.join(watch.columns)}"
            if event == "UPDATE" and watch.columns
            else event
        )
        images = _images(event)
        when = " OR ".join(f"({watch.when.format(row=row)})" for row in images)
        body = " ".join(line for row in images for line in _forget_sqlite(watch, row))
        statements += [
            f"DROP TRIGGER IF EXISTS {trigger_name(watch, event)}",
            f"CREATE TRIGGER {trigger_name(watch, event)} AFTER {on} ON {watch.table} "
            f"FOR EACH ROW {f'WHEN {when} ' if watch.when else ''}BEGIN {body} END",
        ]
    return statements


_POSTGRES_FUNCTIONS = [
    "CREATE OR REPLACE FUNCTION evaluation_forget_since(since timestamptz) RETURNS void AS $$ "
    f"BEGIN PERFORM pg_advisory_xact_lock_shared({LOCK}); "
    f"{_FORGET} AND ends_at > since; END $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION evaluation_forget_all() RETURNS void AS $$ "
    f"BEGIN PERFORM pg_advisory_xact_lock_shared({LOCK}); {_FORGET}; END $$ LANGUAGE plpgsql",
]


def _forget_postgres(watch: Watch, row: str) -> str:
    if watch.since is None:
        calls = "PERFORM evaluation_forget_all();"
    else:
        calls = " ".join(
            f"PERFORM evaluation_forget_since({since.format(row=row)});" for since in watch.since
        )
    if watch.when:
        calls = f"IF {watch.when.format(row=row)} THEN {calls} END IF;"
    guard = "INSERT" if row == "OLD" else "DELETE"
    return f"IF TG_OP <> '{guard}' THEN {calls} END IF;"


def postgres_statements(watch: Watch) -> list[str]:
    function = trigger_name(watch)
    body = " ".join(_forget_postgres(watch, row) for row in ("OLD", "NEW"))
    events = " OR ".join(_event(watch, event) for event in watch.events)
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ BEGIN {body} "
        "RETURN NULL; END $$ LANGUAGE plpgsql",
        f"DROP TRIGGER IF EXISTS {function} ON {watch.table}",
        f"CREATE TRIGGER {function} AFTER {events} ON {watch.table} FOR EACH ROW "
        f"EXECUTE FUNCTION {function}()",
    ]


def statements(*, postgres: bool) -> list[str]:
    """Every statement that (re)installs the triggers, in order."""
    if postgres:
        return [*_POSTGRES_FUNCTIONS, *(s for w in WATCHES for s in postgres_statements(w))]
    return [statement for watch in WATCHES for statement in sqlite_statements(watch)]


async def install(client: Any) -> None:
    """Install (again) every trigger on the connection `client` (a Tortoise client)."""
    postgres = client.capabilities.dialect == "postgres"
    for statement in statements(postgres=postgres):
        await client.execute_query(statement)

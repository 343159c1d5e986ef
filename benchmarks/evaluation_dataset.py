"""A Département-scale data set for the evaluation benchmark: 100 partner centres, 5 years
(2021-2025), about 300,000 registrations, on SQLite or PostgreSQL.

Run: `DATABASE_URL=... .venv/bin/python benchmarks/evaluation_dataset.py [--scale 0.1]`
(DATA_DIR alone means the embedded SQLite file). The database is migrated first and must hold no
workshops yet. Organisations, rooms and conventions (a few hundred rows) go through the models;
bookings, workshops, sessions, registrations and attendance (about a million rows at scale 1) go
through `executemany` in batches, so the whole set takes minutes, not hours. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from tortoise import connections

from workshops.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from workshops.kernel import db
from workshops.kernel.settings import load_settings
from workshops.partners.models import Convention, ConventionRoom
from workshops.planning.models import Theme, Workshop
from workshops.rooms.models import Availability, Room, Site

YEARS = (2021, 2022, 2023, 2024, 2025)
WORKSHOPS_PER_PARTNER_YEAR = 100
SESSIONS_PER_WORKSHOP = 2
REGISTRATIONS_PER_WORKSHOP = 6
BATCH = 5000
THEMES = (
    "Massage bébé",
    "Portage en écharpe",
    "Jeux",
    "Motricité",
    "Découverte du livre",
    "Temps d'échange",
)
HEARD = ("pmi", "centre", "proches", "affiche", "internet", "autre", "")
COMMUNES = [f"Commune {number}" for number in range(1, 201)]


def _slots(year: int) -> list[datetime]:
    """Weekday mornings and afternoons of a year, two hours each: no two overlap in a room."""
    day, slots = date(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 5:
            for hour in (8, 13):
                slots.append(datetime(day.year, day.month, day.day, hour, tzinfo=UTC))
        day += timedelta(days=1)
    return slots


async def _insert(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    connection = connections.get("default")
    postgres = connection.capabilities.dialect == "postgres"
    if postgres:
        marks = ", ".join(
            f"${n}::jsonb" if column == "children" else f"${n}"
            for n, column in enumerate(columns, start=1)
        )
    else:
        marks = ", ".join("?" for _ in columns)
        rows = [tuple(_sqlite(value) for value in row) for row in rows]
    names = ", ".join(f'"{column}"' for column in columns)
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
    for start in range(0, len(rows), BATCH):
        await connection.execute_many(sql, rows[start : start + BATCH])


def _sqlite(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(" ")
    return value


async def _partners(count: int) -> tuple[Organisation, User, list[tuple[int, int, str]]]:
    """The PMI, a facilitator, and (convention id, room id, commune) per partner room."""
    pmi = await Organisation.create(
        name="PMI du Département", kind=OrganisationKind.PMI, commune="Strasbourg"
    )
    facilitator = await User.create(
        email="animatrice@bench.example", full_name="Animatrice", password_hash="x"
    )
    await Membership.create(user_id=facilitator.id, organisation_id=pmi.id, role=Role.FACILITATOR)
    rooms = []
    for number in range(count):
        commune = COMMUNES[number]
        centre = await Organisation.create(
            name=f"Centre {number + 1}", kind=OrganisationKind.CENTRE, commune=commune
        )
        site = await Site.create(
            organisation_id=centre.id, name="Centre", address="1 rue", commune=commune
        )
        room = await Room.create(
            site_id=site.id, name="Salle", capacity=12, hourly_value=Decimal("25.00")
        )
        for weekday in range(5):
            await Availability.create(
                room_id=room.id,
                weekday=weekday,
                start_minute=8 * 60 + 60,
                end_minute=18 * 60,
                valid_from=date(2021, 1, 1),
                valid_until=date(2025, 12, 31),
            )
        convention = await Convention.create(
            pmi_id=pmi.id,
            partner_id=centre.id,
            starts_on=date(2021, 1, 1),
            signed_on=date(2020, 12, 1),
        )
        await ConventionRoom.create(convention_id=convention.id, room_id=room.id)
        rooms.append((convention.id, room.id, commune))
    return pmi, facilitator, rooms


async def generate(scale: float, seed: int = 67) -> dict[str, int]:
    randomiser = random.Random(seed)
    partners = max(1, round(100 * scale))
    pmi, facilitator, rooms = await _partners(partners)
    themes = [(await Theme.get_or_create(name=name))[0].id for name in THEMES]
    first_id = (await Workshop.all().order_by("-id").first() or Workshop(id=0)).id + 1
    bookings, workshops, facilitations, sessions = [], [], [], []
    registrations, attendance = [], []
    workshop_id, session_id, registration_id = first_id, 1, 1
    now = datetime(2026, 1, 15, tzinfo=UTC)
    for _convention_id, room_id, commune in rooms:
        families = [f"famille{room_id}-{n}@bench.example" for n in range(400)]
        for year in YEARS:
            slots = _slots(year)
            picks = sorted(randomiser.sample(range(0, len(slots) - 1), WORKSHOPS_PER_PARTNER_YEAR))
            for pick in picks:
                cancelled = randomiser.random() < 0.04
                status = "cancelled" if cancelled else "done"
                workshops.append(
                    (
                        workshop_id,
                        pmi.id,
                        randomiser.choice(themes),
                        "Atelier",
                        "",
                        8,
                        0,
                        False,
                        status,
                        "",
                        now,
                    )
                )
                facilitations.append((workshop_id, facilitator.id))
                session_ids = []
                for offset in range(SESSIONS_PER_WORKSHOP):
                    start = (
                        slots[min(pick + offset, len(slots) - 1)]
                        if offset == 0
                        else (slots[pick] + timedelta(days=7 * offset, hours=2, minutes=offset))
                    )
                    end = start + timedelta(hours=2)
                    bookings.append(
                        (
                            session_id,
                            room_id,
                            facilitator.id,
                            pmi.id,
                            "",
                            start,
                            end,
                            "confirmed",
                            "",
                            "",
                            "",
                            start - timedelta(days=20),
                            start - timedelta(days=19),
                            0,
                        )
                    )
                    sessions.append((session_id, workshop_id, session_id, start, end, 0, "", now))
                    session_ids.append(session_id)
                    session_id += 1
                for email in randomiser.sample(families, REGISTRATIONS_PER_WORKSHOP):
                    state = randomiser.choices(
                        ("confirmed", "waitlisted", "cancelled"), (85, 5, 10)
                    )[0]
                    born = date(year, 1, 1) - timedelta(days=randomiser.randint(-200, 1100))
                    child = (
                        {"expected": f"{year + 1}-02"}
                        if born.year > year
                        else {"born": f"{born:%Y-%m}"}
                    )
                    registrations.append(
                        (
                            registration_id,
                            workshop_id,
                            state,
                            1,
                            "Parent",
                            email,
                            "",
                            randomiser.choice((commune, commune, randomiser.choice(COMMUNES))),
                            1,
                            json.dumps([child]),
                            True,
                            randomiser.choice(HEARD),
                            "",
                            False,
                            f"{registration_id:064x}",
                            now,
                            "",
                        )
                    )
                    if state == "confirmed" and not cancelled:
                        for number in session_ids:
                            mark = randomiser.choices(
                                ("present", "excused", "absent"), (80, 12, 8)
                            )[0]
                            attendance.append((registration_id, number, mark, now))
                    registration_id += 1
                workshop_id += 1
    started = time.perf_counter()
    await _insert(
        "room_booking",
        (
            "id",
            "room_id",
            "requested_by_id",
            "organisation_id",
            "series",
            "starts_at",
            "ends_at",
            "status",
            "message",
            "decline_reason",
            "cancel_reason",
            "created_at",
            "decided_at",
            "sequence",
        ),
        bookings,
    )
    await _insert(
        "workshop",
        (
            "id",
            "organisation_id",
            "theme_id",
            "title",
            "description",
            "capacity",
            "places_taken",
            "prenatal",
            "status",
            "cancel_reason",
            "created_at",
        ),
        workshops,
    )
    await _insert("workshop_facilitator", ("workshop_id", "user_id"), facilitations)
    await _insert(
        "workshop_session",
        (
            "id",
            "workshop_id",
            "booking_id",
            "starts_at",
            "ends_at",
            "sequence",
            "cancel_reason",
            "updated_at",
        ),
        sessions,
    )
    await _insert(
        "registration",
        (
            "id",
            "workshop_id",
            "status",
            "places",
            "parent_name",
            "email",
            "phone",
            "commune",
            "adults",
            "children",
            "first_time",
            "heard_from",
            "needs",
            "reminders_consent",
            "token_hash",
            "created_at",
            "family_key",
        ),
        registrations,
    )
    await _insert(
        "attendance", ("registration_id", "session_id", "status", "recorded_at"), attendance
    )
    await _reset_sequences()
    # Fresh statistics: without them PostgreSQL plans the first queries after a bulk load as if
    # the tables were empty (seconds per query instead of milliseconds).
    await connections.get("default").execute_script("ANALYZE")
    return {
        "partners": partners,
        "workshops": len(workshops),
        "sessions": len(sessions),
        "registrations": len(registrations),
        "attendance": len(attendance),
        "insert_seconds": round(time.perf_counter() - started),
    }


async def _reset_sequences() -> None:
    """On PostgreSQL, ids were given by hand: move each sequence past them."""
    connection = connections.get("default")
    if connection.capabilities.dialect != "postgres":
        return
    for table in ("room_booking", "workshop", "workshop_session", "registration"):
        await connection.execute_script(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 100 partners")
    args = parser.parse_args()
    settings = load_settings()
    await db.migrate(settings)
    await db.connect(settings)
    try:
        started = time.perf_counter()
        counts = await generate(args.scale)
        counts["total_seconds"] = round(time.perf_counter() - started)
        print(json.dumps(counts))
    finally:
        await db.disconnect()


if __name__ == "__main__":
    asyncio.run(main())

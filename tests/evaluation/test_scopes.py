"""Who sees what in the evaluation (the rule is in `workshops/evaluation/scope.py`): a coordinator
reads the work of their own PMI only, on the page, in the CSV, the XLSX and the open data; another
PMI's workshops, families, cancellations and staff names never reach them, even in a shared room."""

from __future__ import annotations

import io
from datetime import date

import httpx
from openpyxl import load_workbook

from tests.evaluation.dataset import Dataset, _Builder, attend, build, paris, register
from tests.factories import log_in, make_organisation, make_user
from tests.partners.factories import make_convention
from tests.rooms.factories import make_centre, make_room
from workshops.accounts.models import OrganisationKind, Role, User
from workshops.audit.models import AuditEvent
from workshops.partners.models import Convention
from workshops.planning.models import Session, Theme, WorkshopStatus
from workshops.rooms.models import Availability

# (The commune "Strasbourg" itself is typed in the form on one page; the files check it.)
OTHER_PMI = ("Nadia", "Motif de Strasbourg", "Atelier de Strasbourg", "PMI de Strasbourg")


async def _other_pmi(dataset: Dataset) -> tuple[Convention, User]:
    """PMI de Strasbourg: its own centre, and the first PMI's room that it also uses, with a
    cancelled session and a cancelled workshop by its facilitator Nadia."""
    pmi = await make_organisation(OrganisationKind.PMI, name="PMI de Strasbourg")
    centre = await make_centre("Centre Neudorf", commune="Strasbourg")
    own_room = await make_room(centre, name="Salle B", commune="Strasbourg")
    convention = await make_convention(pmi, centre, [own_room], starts_on=date(2024, 1, 1))
    await Availability.create(
        room_id=own_room.id, weekday=2, start_minute=540, end_minute=720,
        valid_from=date(2025, 1, 1), valid_until=date(2025, 12, 31),
    )  # fmt: skip
    nadia = await make_user(pmi, Role.FACILITATOR, full_name="Nadia Strasbourg")
    coordinator = await make_user(pmi, Role.COORDINATOR, full_name="Corinne Strasbourg")
    build = _Builder(nadia, pmi.id)
    theme, _ = await Theme.get_or_create(name="Atelier de Strasbourg")
    for room, day in ((own_room, 8), (dataset.room, 15)):  # its room, and the shared one
        workshop, (held, cancelled) = await build.workshop(
            theme,
            [await build.booking(room, paris(date(2025, 4, day), 14), 2),
             await build.booking(room, paris(date(2025, 5, day), 14), 2)],
            capacity=6,
            facilitators=[nadia],
        )  # fmt: skip
        family = await register(workshop, f"famille{day}@exemple.fr", commune="Strasbourg")
        await attend(family, held, "present")
        await Session.filter(id=cancelled.id).update(
            cancelled_at=paris(date(2025, 5, 1), 9), cancel_reason="Motif de Strasbourg"
        )
        await AuditEvent.create(
            actor_id=nadia.id, actor_label=nadia.email, action="session.cancelled",
            object_type="session", object_id=str(cancelled.id),
        )  # fmt: skip
    stopped, _ = await build.workshop(
        theme,
        [await build.booking(dataset.room, paris(date(2025, 6, 17), 14), 2)],
        capacity=6,
        facilitators=[nadia],
        status=WorkshopStatus.CANCELLED,
        reason="Motif de Strasbourg",
    )
    await AuditEvent.create(
        actor_id=nadia.id, actor_label=nadia.email, action="workshop.cancelled",
        object_type="workshop", object_id=str(stopped.id),
    )  # fmt: skip
    return convention, coordinator


def _xlsx_values(content: bytes) -> list[object]:
    workbook = load_workbook(io.BytesIO(content))
    return [cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row]


async def _everything_seen(client: httpx.AsyncClient, dataset: Dataset) -> dict[str, object]:
    """What the first PMI's coordinator gets from every evaluation page and file."""
    partner = dataset.convention.partner_id
    overview = ("portee=tout", f"portee=partenaire&partenaire={partner}",
                "portee=commune&commune=Haguenau", "portee=commune&commune=Strasbourg")  # fmt: skip
    convention = f"/pro/conventions/{dataset.convention.id}/bilan"
    seen: dict[str, object] = {}
    for query in overview:
        for path in ("/pro/bilans.csv", "/pro/bilans/donnees-ouvertes.csv"):
            seen[f"{path}?{query}"] = (await client.get(f"{path}?{query}&annee=2025")).content
        xlsx = await client.get(f"/pro/bilans.xlsx?{query}&annee=2025")
        seen[f"xlsx?{query}"] = _xlsx_values(xlsx.content)
    for period in ("convention", "civile"):
        csv = await client.get(f"{convention}.csv?annee=2025&periode={period}")
        seen[f"{convention}.csv {period}"] = csv.content
        xlsx = await client.get(f"{convention}.xlsx?annee=2025&periode={period}")
        seen[f"{convention}.xlsx {period}"] = _xlsx_values(xlsx.content)
    return seen


async def _pages(client: httpx.AsyncClient, dataset: Dataset) -> str:
    pages = [
        await client.get(f"/pro/bilans?{query}&annee=2025")
        for query in ("portee=tout", "portee=commune&commune=Strasbourg")
    ]
    pages.append(await client.get(f"/pro/conventions/{dataset.convention.id}/bilan?annee=2025"))
    assert all(page.status_code == 200 for page in pages)
    return "".join(page.text for page in pages)


async def test_another_pmi_changes_nothing_a_coordinator_sees(client: httpx.AsyncClient) -> None:
    dataset = await build()
    await log_in(client, dataset.coordinator.email)
    alone = await _everything_seen(client, dataset)
    everything = alone["/pro/bilans.csv?portee=tout"]
    assert isinstance(everything, bytes) and b"Claire Coordinatrice" in everything

    await _other_pmi(dataset)

    assert await _everything_seen(client, dataset) == alone
    pages = await _pages(client, dataset)
    assert "Claire Coordinatrice" in pages
    assert [name for name in OTHER_PMI if name in pages] == []


async def test_the_other_coordinator_sees_their_own_and_not_the_first(
    client: httpx.AsyncClient,
) -> None:
    dataset = await build()
    _, coordinator = await _other_pmi(dataset)
    await log_in(client, coordinator.email)

    text = (await client.get("/pro/bilans.csv?portee=tout&annee=2025")).content.decode("utf-8-sig")
    xlsx = _xlsx_values((await client.get("/pro/bilans.xlsx?portee=tout&annee=2025")).content)
    page = (await client.get("/pro/bilans?portee=tout&annee=2025")).text

    for found in (text, " ".join(map(str, xlsx)), page):
        assert "Nadia Strasbourg" in found and "Motif de Strasbourg" in found
        for name in ("Claire Coordinatrice", "Fanny Animatrice", "Travaux", "Animatrice malade"):
            assert name not in found

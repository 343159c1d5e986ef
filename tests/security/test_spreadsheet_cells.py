"""No spreadsheet or CSV the platform hands out runs a formula typed by a family or a member.

Every export route (the list below is checked against the route table, so a new `.csv`, `.xlsx`
or `/export` route fails here until it is listed) is fetched by a coordinator after every free text
a person can type (communes, names, needs, titles, themes, rooms, centres, cancellation reasons,
staff names) was set to a value a spreadsheet would run: no CSV cell may start with a formula
character, no XLSX cell may be a formula.
"""

from __future__ import annotations

import csv
import io

import httpx
from openpyxl import load_workbook
from starlette.applications import Starlette
from starlette.routing import Route

from tests.evaluation.dataset import build
from tests.factories import log_in
from workshops.accounts.models import Organisation, User
from workshops.kernel.spreadsheets import FORMULA_STARTS
from workshops.planning.models import Session, Theme, Workshop
from workshops.rooms.models import Room, Site
from workshops.signup.models import Registration

EXPORTS = {
    "/pro/bilans.xlsx": "?portee=tout&annee=2025",
    "/pro/bilans.csv": "?portee=tout&annee=2025",
    "/pro/bilans/donnees-ouvertes.csv": "?portee=tout&annee=2025",
    "/pro/conventions/{convention_id:id}/bilan.xlsx": "?annee=2025",
    "/pro/conventions/{convention_id:id}/bilan.csv": "?annee=2025",
    "/pro/ateliers/{workshop_id:id}/inscriptions/export": "",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file_routes(app: Starlette) -> set[str]:
    return {
        route.path
        for route in app.routes
        if isinstance(route, Route)
        and "GET" in (route.methods or ())
        and route.path.endswith((".csv", ".xlsx", "/export"))
    }


def test_the_list_of_exports_is_the_route_table_s(app: Starlette) -> None:
    assert _file_routes(app) == set(EXPORTS)


async def _poison_everything_typed() -> None:
    """A different formula in each field, so a cell that escapes says where it came from."""
    for registration in await Registration.all():
        await Registration.filter(id=registration.id).update(
            commune="=1+1",
            parent_name="+cmd|' /C calc'!A0",
            phone="-2+3",
            needs="@SUM(A1)",
        )
    await Registration.filter(email="bob@exemple.fr").update(
        email="=bob@exemple.fr", commune='\t=HYPERLINK("http://x")'
    )
    await Registration.filter(email="eve@exemple.fr").update(commune="\r=1+2")
    for number, theme in enumerate(await Theme.all()):
        await Theme.filter(id=theme.id).update(name=f"=THEME({number})")
    await Workshop.all().update(title="=TITLE()", cancel_reason="=REASON()")
    await Session.filter(cancelled_at__isnull=False).update(cancel_reason="-SESSION()")
    for user in await User.all():
        await User.filter(id=user.id).update(full_name=f"@NAME({user.id})")
    for organisation in await Organisation.all():
        await Organisation.filter(id=organisation.id).update(name=f"=ORG({organisation.id})")
    await Room.all().update(name="=ROOM()")
    await Site.all().update(commune="=SITE()", name="=SITE()")


def _csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def _formula_cells(content: bytes, media_type: str) -> tuple[list[str], list[str]]:
    """The cells that would run, and every text cell (to show the poison did reach the file)."""
    if media_type.startswith(XLSX):
        workbook = load_workbook(io.BytesIO(content))
        cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
        texts = [cell.value for cell in cells if isinstance(cell.value, str)]
        running = [
            repr(cell.value)
            for cell in cells
            if cell.data_type == "f"
            or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS))
        ]
        return running, texts
    assert media_type.startswith("text/csv"), media_type
    texts = _csv_cells(content)
    return [repr(cell) for cell in texts if cell.startswith(FORMULA_STARTS)], texts


async def test_no_export_runs_what_someone_typed(client: httpx.AsyncClient) -> None:
    dataset = await build()
    workshop = await Workshop.filter(sessions__booking__room_id=dataset.room.id).first()
    assert workshop is not None
    await _poison_everything_typed()
    await log_in(client, dataset.coordinator.email)
    ids = {"convention_id": dataset.convention.id, "workshop_id": workshop.id}

    for template, query in EXPORTS.items():
        path = template
        for name, value in ids.items():
            path = path.replace(f"{{{name}:id}}", str(value))
        response = await client.get(path + query)
        assert response.status_code == 200, path
        running, texts = _formula_cells(response.content, response.headers["content-type"])
        assert running == [], path
        assert any(text.startswith("'=") for text in texts), f"{path}: no poisoned value reached"

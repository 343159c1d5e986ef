"""The evaluation page, its exports and its sign-off, as the two parties see them."""

from __future__ import annotations

import io
from datetime import date

import httpx
import openpyxl
from markupsafe import escape

from tests.clock import PARIS
from tests.evaluation.dataset import Dataset, build
from tests.factories import log_in, make_user
from tests.rooms.factories import make_centre
from workshops.accounts.models import Role
from workshops.evaluation.definitions import DEFINITIONS
from workshops.evaluation.models import EvaluationRecord
from workshops.kernel.clock import local_today
from workshops.kernel.settings import Settings
from workshops.planning.models import Session
from workshops.signup.models import Attendance

PAGE = "/pro/conventions/{id}/bilan?annee=2025"


async def _manager(dataset: Dataset) -> str:
    user = await make_user(await dataset.convention.partner, Role.CENTRE_MANAGER)
    return user.email


async def test_the_coordinator_reads_the_year_with_charts_and_tables(
    client: httpx.AsyncClient,
) -> None:
    dataset = await build()
    await log_in(client, dataset.coordinator.email)

    response = await client.get(PAGE.format(id=dataset.convention.id))

    assert response.status_code == 200
    text = response.text
    assert "Bilan de la convention : Robert Schuman" in text
    assert "<title id=" in text and "<desc id=" in text
    assert "Séances tenues par thème" in text
    assert "110,00 €" in text or "110 €" in text
    assert "66,7 %" in text
    assert "Avant la naissance" in text
    assert "2024" in text  # the previous year, side by side
    # Each row with its definition, the words of `definitions` (and of docs/evaluation.md).
    assert str(escape(DEFINITIONS["participation.fill_rate"])) in text
    assert str(escape(DEFINITIONS["table.Communes"])) in text


async def test_the_partner_manager_reads_it_but_not_another_centre(
    client: httpx.AsyncClient,
) -> None:
    dataset = await build()
    other = await make_user(await make_centre("Voisin"), Role.CENTRE_MANAGER)
    await log_in(client, other.email)
    assert (await client.get(PAGE.format(id=dataset.convention.id))).status_code == 403
    assert (
        await client.get(f"/pro/conventions/{dataset.convention.id}/bilan.csv")
    ).status_code == 403

    await log_in(client, await _manager(dataset))
    assert (await client.get(PAGE.format(id=dataset.convention.id))).status_code == 200


async def test_a_bad_year_is_explained_not_an_error(client: httpx.AsyncClient) -> None:
    dataset = await build()
    await log_in(client, dataset.coordinator.email)
    for query in ("annee=abcd", "annee=99999999999", "periode=%00&annee=1", "annee=1999"):
        response = await client.get(f"/pro/conventions/{dataset.convention.id}/bilan?{query}")
        assert response.status_code == 200, query
    assert "Choisissez une année" in response.text


async def test_the_xlsx_has_a_sheet_per_table_with_numbers(client: httpx.AsyncClient) -> None:
    dataset = await build()
    await log_in(client, dataset.coordinator.email)

    response = await client.get(f"/pro/conventions/{dataset.convention.id}/bilan.xlsx?annee=2025")

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Activité", "Thèmes", "Annulations", "Locaux", "Participation", "Âges", "Communes",
        "Connaissance",
    ]  # fmt: skip
    activity = workbook["Activité"]
    assert activity["A1"].value == "Indicateur"
    assert activity["A1"].font.bold
    assert activity.freeze_panes == "B2"
    assert (activity["B6"].value, activity["C6"].value) == (3, 1)  # sessions held
    premises = workbook["Locaux"]
    assert premises["B6"].value == 110.0
    assert premises["B5"].number_format == "0.0%"
    # The definition of each indicator in a last column.
    assert activity["D1"].value == "Définition"
    assert activity["D6"].value == DEFINITIONS["activity.sessions_held"]


async def test_the_csv_opens_in_french_excel(client: httpx.AsyncClient) -> None:
    dataset = await build()
    await log_in(client, dataset.coordinator.email)

    response = await client.get(
        f"/pro/conventions/{dataset.convention.id}/bilan.csv?periode=civile&annee=2025"
    )

    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[1] == "Indicateur;2025;2024"
    assert "Heures de séance;5,5;2\r\n" in text
    assert "Taux de présence (%);66,7;" in text


async def test_both_parties_sign_and_later_changes_show_beside(
    client: httpx.AsyncClient, database: Settings
) -> None:
    dataset = await build()
    url = f"/pro/conventions/{dataset.convention.id}/bilan/signature"
    await log_in(client, await _manager(dataset))
    response = await client.post(url, data={"annee": "2025", "comment": "Très bonne année."})
    assert response.status_code == 303
    await log_in(client, dataset.coordinator.email)
    response = await client.post(url, data={"annee": "2025", "comment": "Merci au centre."})
    assert response.status_code == 303

    record = await EvaluationRecord.get(convention_id=dataset.convention.id, year=2025)
    assert record.partner_comment == "Très bonne année."
    assert record.pmi_comment == "Merci au centre."
    assert record.figures["participation"]["present"] == 4
    # A late attendance is recorded: the signed figure stays, the page shows both.
    session = await Session.filter(starts_at__gte=date(2025, 6, 1)).order_by("starts_at").first()
    assert session is not None
    await Attendance.filter(session_id=session.id, status="absent").update(status="present")

    page = await client.get(PAGE.format(id=dataset.convention.id))

    assert "Des chiffres ont changé depuis la signature" in page.text
    await record.refresh_from_db()
    assert record.figures["participation"]["present"] == 4
    again = await client.post(url, data={"annee": "2025", "comment": "Encore"})
    assert again.status_code == 422
    assert "déjà signé" in again.text


async def test_a_year_not_over_cannot_be_signed(client: httpx.AsyncClient) -> None:
    dataset = await build()
    await log_in(client, dataset.coordinator.email)
    response = await client.post(
        f"/pro/conventions/{dataset.convention.id}/bilan/signature",
        data={"annee": str(local_today(PARIS).year + 1), "comment": "x" * 5000},
    )
    assert response.status_code == 422
    assert not await EvaluationRecord.exists()

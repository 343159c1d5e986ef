"""Rules of time of the evaluation: a year is signed once over and the other party is told; the
page opens on the last finished year and compares only with years of the convention."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from tests.clock import PARIS
from tests.evaluation.dataset import build
from tests.factories import log_in, make_user
from tests.rooms.factories import MAIL_SETTINGS
from workshops.accounts.models import Organisation, Role
from workshops.accounts.signin import load_staff
from workshops.audit import Actor
from workshops.evaluation.figures import choose_period
from workshops.evaluation.models import EvaluationRecord
from workshops.evaluation.scope import convention_year
from workshops.evaluation.signoff import sign_evaluation
from workshops.kernel.clock import local_today, utc_now
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.mail.models import OutboxMessage
from workshops.partners.models import Convention


async def _actor(user_id: int) -> Actor:
    staff = await load_staff(user_id)
    assert staff is not None
    return Actor(staff=staff)


async def test_a_year_is_signed_once_over_and_the_other_party_is_told(
    database: Settings,
) -> None:
    dataset = await build()
    convention = await Convention.get(id=dataset.convention.id).prefetch_related("pmi", "partner")
    manager = await make_user(convention.partner, Role.CENTRE_MANAGER, full_name="Marc Gérant")
    await Organisation.filter(id=convention.partner_id).update(contact_email="accueil@centre.fr")
    year_2025 = convention_year(convention.starts_on, 2025)

    async def sign(party: str, actor: Actor, today: date, comment: str) -> None:
        await sign_evaluation(
            actor=actor,
            convention=convention,
            year=2025,
            last_day=year_2025.last_day,
            party=party,
            comment=comment,
            figures={"activity": {}},
            now=utc_now(),
            today=today,
            settings=MAIL_SETTINGS,
        )

    coordinator = await _actor(dataset.coordinator.id)
    # On its last day the year is not over: refused, with the day it becomes possible.
    with pytest.raises(Invalid) as refused:
        await sign("pmi", coordinator, date(2025, 12, 31), "Trop tôt")
    assert "à partir du jeudi 1 janvier 2026" in refused.value.errors["comment"]
    assert not await EvaluationRecord.exists()
    assert not await OutboxMessage.exists()

    # The PMI signs: the partner's managers and contact address are e-mailed, not the PMI.
    await sign("pmi", coordinator, date(2026, 1, 1), "Merci au centre.")
    told = await OutboxMessage.filter(template="evaluation_signed").order_by("recipient")
    assert [mail.recipient for mail in told] == sorted(["accueil@centre.fr", manager.email])
    mail = told[0]
    assert mail.subject == "Bilan 2025 signé par PMI du Bas-Rhin"
    for body in (mail.text_body, mail.html_body):
        assert "Claire Coordinatrice a signé pour PMI du Bas-Rhin le bilan" in body
        assert "Merci au centre." in body
        assert "attend maintenant la signature de Robert Schuman" in body
        assert f"/pro/conventions/{convention.id}/bilan?annee=2025" in body

    # The partner signs in turn: the PMI's coordinator is told that both have signed.
    await sign("partner", await _actor(manager.id), date(2026, 1, 2), "Très bonne année.")
    to_pmi = await OutboxMessage.filter(
        template="evaluation_signed", recipient=dataset.coordinator.email
    )
    assert len(to_pmi) == 1
    assert "Les deux parties ont signé" in to_pmi[0].text_body
    assert "Très bonne année." in to_pmi[0].text_body
    assert await OutboxMessage.filter(template="evaluation_signed").count() == 3


async def test_the_page_offers_the_sign_off_only_for_a_finished_year(
    client: httpx.AsyncClient,
) -> None:
    dataset = await build()
    await log_in(client, dataset.coordinator.email)
    today = local_today(PARIS)
    url = f"/pro/conventions/{dataset.convention.id}/bilan"
    current = await client.get(f"{url}?annee={today.year}")
    assert "Signer le bilan de cette année" not in current.text
    assert "Le bilan de cette année pourra être signé à partir du " in current.text
    finished = await client.get(f"{url}?annee=2025")
    assert "Signer le bilan de cette année" in finished.text
    assert "pourra être signé" not in finished.text


async def test_the_page_opens_on_the_last_finished_year(client: httpx.AsyncClient) -> None:
    dataset = await build()
    await log_in(client, dataset.coordinator.email)
    today = local_today(PARIS)
    expected = convention_year(dataset.convention.starts_on, today.year - 1)
    assert expected.last_day < today

    page = await client.get(f"/pro/conventions/{dataset.convention.id}/bilan")

    assert page.status_code == 200
    assert f"<strong>Période :</strong> {expected.label}</p>" in page.text


def test_the_default_period_is_the_last_finished_one() -> None:
    started = date(2024, 9, 1)  # convention years from 1 September
    assert choose_period(starts_on=started, mode="", year="", today=date(2026, 8, 31)).year == 2024
    assert choose_period(starts_on=started, mode="", year="", today=date(2026, 9, 1)).year == 2025
    # In its first year, nothing is finished yet: the first year.
    first = choose_period(starts_on=started, mode="", year="", today=date(2025, 2, 1))
    assert first.year == 2024
    civil = choose_period(starts_on=started, mode="civile", year="", today=date(2026, 1, 1))
    assert civil.year == 2025


async def test_no_comparison_with_a_year_before_the_convention(
    client: httpx.AsyncClient,
) -> None:
    dataset = await build()  # the convention starts on 1 January 2024
    await log_in(client, dataset.coordinator.email)
    url = f"/pro/conventions/{dataset.convention.id}/bilan"

    first = await client.get(f"{url}?annee=2024")
    year_2023 = "01/01/2023 – 31/12/2023"
    assert f"Comparaison sans objet : la période précédente ({year_2023})" in first.text
    assert year_2023 not in first.text.replace(f"précédente ({year_2023})", "")
    csv = await client.get(f"{url}.csv?annee=2024")
    assert "Indicateur;01/01/2024 – 31/12/2024\r\n" in csv.content.decode("utf-8-sig")

    second = await client.get(f"{url}?annee=2025")
    assert "Comparaison sans objet" not in second.text
    assert '<th scope="col">01/01/2024 – 31/12/2024</th>' in second.text

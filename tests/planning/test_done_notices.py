"""After a staff action, the page says what was done and to whom, not « C'est fait. »."""

from __future__ import annotations

from html import unescape

import httpx

from tests.factories import log_in
from tests.planning.factories import make_workshop
from tests.signup.helpers import family, months_ago
from workshops.kernel.i18n import format_datetime
from workshops.kernel.settings import Settings
from workshops.planning.models import Facilitation, Session, Workshop
from workshops.signup.models import Registration
from workshops.signup.registering import register_family


async def _signed_in_lead(client: httpx.AsyncClient, workshop: Workshop) -> None:
    [lead] = await Facilitation.filter(workshop_id=workshop.id).prefetch_related("user")
    await log_in(client, lead.user.email)


def _notice(page: httpx.Response) -> str:
    text = unescape(page.text)
    tag = '<p class="notice" role="status">'
    start = text.index(tag) + len(tag)
    return " ".join(text[start : text.index("</p>", start)].split())


async def test_cancelling_a_session_says_which_one_and_how_many_families_are_told(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(sessions=2)
    await _signed_in_lead(client, workshop)
    for _number in range(5):
        await register_family(settings=database, workshop_id=workshop.id, family=family())
    session = await Session.filter(workshop_id=workshop.id).order_by("starts_at").first()
    assert session is not None
    done = await client.post(
        f"/pro/seances/{session.id}/annulation",
        data={"message": "Salle inondée."},
        follow_redirects=True,
    )
    day = format_datetime(session.starts_at, database.zone)
    notice = _notice(done)
    assert notice == f"La séance du {day} est annulée. 5 familles sont prévenues par e-mail."
    assert "C'est fait." not in unescape(done.text)


async def test_cancelling_a_workshop_without_families_says_nobody_is_told(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop()
    await _signed_in_lead(client, workshop)
    done = await client.post(
        f"/pro/ateliers/{workshop.id}/annulation",
        data={"message": "Désolés."},
        follow_redirects=True,
    )
    assert _notice(done) == (
        "L'atelier est annulé. Aucune famille n'était inscrite : personne n'est prévenu."
    )


async def test_the_registrations_page_names_the_family_added_moved_or_cancelled(
    client: httpx.AsyncClient, database: Settings
) -> None:
    workshop = await make_workshop(capacity=1)
    await _signed_in_lead(client, workshop)
    form = {
        "parent_name": "Mme Martin",
        "email": "martin@exemple.fr",
        "commune": "Haguenau",
        "child_1_kind": "born",
        "child_1_month": months_ago(3).strftime("%Y-%m"),
    }
    added = await client.post(
        f"/pro/ateliers/{workshop.id}/inscriptions", data=form, follow_redirects=True
    )
    assert _notice(added) == (
        "La famille Mme Martin est inscrite ; elle reçoit la confirmation par e-mail."
    )
    waiting = await register_family(settings=database, workshop_id=workshop.id, family=family())
    await Workshop.filter(id=workshop.id).update(capacity=2)
    moved = await client.post(
        f"/pro/inscriptions/{waiting.registration.id}/confirmation", follow_redirects=True
    )
    name = waiting.registration.parent_name
    assert _notice(moved) == (
        f"La famille {name} a maintenant une place ; elle est prévenue par e-mail."
    )
    martin = await Registration.get(email="martin@exemple.fr")
    cancelled = await client.post(
        f"/pro/inscriptions/{martin.id}/annulation", follow_redirects=True
    )
    assert _notice(cancelled) == (
        "Inscription de la famille Mme Martin annulée ; elle est prévenue par e-mail."
    )

"""Server-side staff sessions: the cookie only names a row, and the server can end it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
from starlette.applications import Starlette

from tests.factories import log_in, make_organisation, make_user
from tests.html_check import CHECK_HTML
from workshops.accounts import organisations, sessions, signin
from workshops.accounts.models import Membership, Role, StaffSession
from workshops.audit.events import Actor
from workshops.audit.models import AuditEvent
from workshops.kernel.clock import utc_now
from workshops.kernel.settings import Settings
from workshops.worker import JOBS


@asynccontextmanager
async def _browser(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        event_hooks=CHECK_HTML,
    ) as browser:
        yield browser


async def test_a_cookie_copied_before_logging_out_no_longer_opens_the_profile(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    user = await make_user(await make_organisation())
    await log_in(client, user.email)
    copied = dict(client.cookies)
    assert (await client.get("/pro/profil")).status_code == 200
    await client.post("/pro/deconnexion")
    async with _browser(app) as thief:
        thief.cookies.update(copied)
        response = await thief.get("/pro/profil")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/pro/connexion")
    assert await StaffSession.filter(user_id=user.id, ended_at=None).count() == 0


async def test_the_profile_lists_open_sessions_and_logging_out_everywhere_ends_them(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    user = await make_user(await make_organisation())
    async with _browser(app) as phone:
        phone.headers["user-agent"] = "Mozilla/5.0 (Android 15) Firefox/140.0"
        await log_in(phone, user.email)
        await log_in(client, user.email)
        profile = await client.get("/pro/profil")
        assert "Mes sessions ouvertes" in profile.text
        assert "Firefox sous Android" in profile.text
        assert "(cette session)" in profile.text

        response = await client.post("/pro/profil/deconnexion-partout")
        assert response.headers["location"] == "/pro/connexion?deconnecte=partout"
        page = await client.get(response.headers["location"])
        assert "Toutes vos sessions sont fermées" in page.text
        assert (await phone.get("/pro/")).status_code == 303
        assert (await client.get("/pro/")).status_code == 303
    event = await AuditEvent.get(action="session.ended_everywhere", actor_id=user.id)
    assert "(2)" in event.summary


async def test_removal_from_an_organisation_ends_the_persons_sessions(
    app: Starlette, client: httpx.AsyncClient, database: Settings
) -> None:
    organisation = await make_organisation()
    admin = await make_user(organisation, role=Role.ADMIN, email="admin@exemple.fr")
    member = await make_user(organisation, role=Role.FACILITATOR, email="membre@exemple.fr")
    await log_in(client, member.email)
    staff = await signin.load_staff(admin.id)
    await organisations.remove_membership(
        actor=Actor(staff=staff, ip_address="192.0.2.1"),
        organisation=organisation,
        membership_id=(await Membership.get(user_id=member.id)).id,
    )
    assert (await client.get("/pro/profil")).status_code == 303


async def test_a_session_is_touched_at_most_once_a_minute(database: Settings) -> None:
    user = await make_user(await make_organisation())
    token = await sessions.open_session(user=user, user_agent="")
    opened = await StaffSession.get(user_id=user.id)
    found = await sessions.find_session(token, settings=database)
    assert found is not None and found.last_seen_at == opened.last_seen_at
    earlier = utc_now() - timedelta(minutes=2)
    await StaffSession.filter(id=opened.id).update(last_seen_at=earlier)
    await sessions.find_session(token, settings=database)
    assert (await StaffSession.get(id=opened.id)).last_seen_at > earlier


async def test_the_worker_deletes_ended_and_idle_sessions(database: Settings) -> None:
    user = await make_user(await make_organisation())
    kept, ended, idle = [
        await sessions.open_session(user=user, user_agent=name) for name in ("a", "b", "c")
    ]
    await sessions.end_session(ended)
    await StaffSession.filter(user_agent="c").update(
        last_seen_at=utc_now() - timedelta(hours=database.session_idle_hours, minutes=1)
    )
    assert await sessions.find_session(idle, settings=database) is None
    assert sessions.forget_ended_sessions in JOBS
    await sessions.forget_ended_sessions(database)
    assert [row.user_agent for row in await StaffSession.all()] == ["a"]
    assert await sessions.find_session(kept, settings=database) is not None

"""A private feed checks its owner's current membership and role on every fetch."""

from __future__ import annotations

import httpx

from tests.factories import make_organisation, make_user
from workshops.accounts import service as accounts
from workshops.accounts.models import Membership, Role, User
from workshops.audit.service import Actor
from workshops.calendars import service
from workshops.settings import Settings

IP = "192.0.2.1"


async def test_a_removed_members_personal_feed_answers_like_an_unknown_address(
    client: httpx.AsyncClient, database: Settings
) -> None:
    organisation = await make_organisation()
    admin = await make_user(organisation, role=Role.ADMIN, email="admin@exemple.fr")
    member = await make_user(organisation, role=Role.FACILITATOR, email="membre@exemple.fr")
    feed = await service.regenerate_personal_feed(
        actor=Actor(staff=await accounts.load_staff(member.id), ip_address=IP)
    )
    path = f"/agendas/{feed.token}.ics"
    assert (await client.get(path)).status_code == 200

    await accounts.remove_membership(
        actor=Actor(staff=await accounts.load_staff(admin.id), ip_address=IP),
        organisation=organisation,
        membership_id=(await Membership.get(user_id=member.id)).id,
    )
    removed = await client.get(path)
    unknown = await client.get(f"/agendas/{'x' * 43}.ics")
    assert removed.status_code == unknown.status_code == 404
    assert removed.text.replace(feed.token, "x" * 43) == unknown.text


async def test_a_disabled_accounts_personal_feed_answers_404(
    client: httpx.AsyncClient, database: Settings
) -> None:
    member = await make_user(await make_organisation(), role=Role.FACILITATOR)
    feed = await service.regenerate_personal_feed(
        actor=Actor(staff=await accounts.load_staff(member.id), ip_address=IP)
    )
    await User.filter(id=member.id).update(is_active=False)
    assert (await client.get(f"/agendas/{feed.token}.ics")).status_code == 404

"""A private feed checks its owner's current membership and role on every fetch; the shared
feeds of an organisation and its rooms change address when a member leaves."""

from __future__ import annotations

import httpx

from tests.factories import make_organisation, make_user
from tests.rooms.factories import make_centre, make_room
from workshops.accounts import organisations as accounts_organisations
from workshops.accounts import signin as accounts_signin
from workshops.accounts.models import Membership, Role, User
from workshops.audit.events import Actor
from workshops.calendars import feeds
from workshops.calendars.models import CalendarFeed
from workshops.kernel.settings import Settings

IP = "192.0.2.1"


async def test_a_removed_members_personal_feed_answers_like_an_unknown_address(
    client: httpx.AsyncClient, database: Settings
) -> None:
    organisation = await make_organisation()
    admin = await make_user(organisation, role=Role.ADMIN, email="admin@exemple.fr")
    member = await make_user(organisation, role=Role.FACILITATOR, email="membre@exemple.fr")
    feed = await feeds.regenerate_personal_feed(
        actor=Actor(staff=await accounts_signin.load_staff(member.id), ip_address=IP)
    )
    path = f"/agendas/{feed.token}.ics"
    assert (await client.get(path)).status_code == 200

    await accounts_organisations.remove_membership(
        actor=Actor(staff=await accounts_signin.load_staff(admin.id), ip_address=IP),
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
    feed = await feeds.regenerate_personal_feed(
        actor=Actor(staff=await accounts_signin.load_staff(member.id), ip_address=IP)
    )
    await User.filter(id=member.id).update(is_active=False)
    assert (await client.get(f"/agendas/{feed.token}.ics")).status_code == 404


async def test_a_departing_manager_takes_no_working_address_of_the_centre_s_feeds_away(
    client: httpx.AsyncClient, database: Settings
) -> None:
    centre = await make_centre(name="Centre d'Alsace & Cie")
    room = await make_room(centre)
    staying = await make_user(centre, role=Role.CENTRE_MANAGER, email="reste@exemple.fr")
    leaving = await make_user(centre, role=Role.CENTRE_MANAGER, email="part@exemple.fr")
    actor = Actor(staff=await accounts_signin.load_staff(staying.id), ip_address=IP)
    centre_feed = await feeds.regenerate_organisation_feed(actor=actor, organisation_id=centre.id)
    room_feed = await feeds.regenerate_room_feed(actor=actor, room=room)
    copied = [f"/agendas/{feed.token}.ics" for feed in (centre_feed, room_feed)]
    assert [(await client.get(path)).status_code for path in copied] == [200, 200]

    await accounts_organisations.remove_membership(
        actor=actor,
        organisation=centre,
        membership_id=(await Membership.get(user_id=leaving.id)).id,
    )

    assert [(await client.get(path)).status_code for path in copied] == [404, 404]
    renewed = [await feeds.room_feed(room.id), await CalendarFeed.get(organisation_id=centre.id)]
    for feed in renewed:
        assert feed is not None
        assert (await client.get(f"/agendas/{feed.token}.ics")).status_code == 200

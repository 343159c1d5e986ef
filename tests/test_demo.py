"""Every demo account signs in and sees its own organisation's staff pages, and no other."""

from __future__ import annotations

import httpx
import pytest

from workshops.accounts.models import Organisation, Role
from workshops.demo import ACCOUNTS, DEMO_PASSWORD, DemoAccount, load_demo


@pytest.mark.parametrize("account", ACCOUNTS, ids=[account.email for account in ACCOUNTS])
async def test_demo_account_sees_only_its_own_organisation(
    client: httpx.AsyncClient, account: DemoAccount
) -> None:
    await load_demo()
    response = await client.post(
        "/pro/connexion", data={"email": account.email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 303
    home = await client.get("/pro/")
    assert account.full_name in home.text
    for organisation in await Organisation.all():
        page = await client.get(f"/pro/structures/{organisation.id}")
        own = organisation.name == account.organisation
        expected = 200 if own or account.role is Role.ADMIN else 403
        assert page.status_code == expected, organisation.name

"""Every limit holds when the attempts arrive all at once (DESIGN rule 8), on both databases.

Each test fires its attempts with `asyncio.gather` and counts exactly how many went through.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace

import pytest

from tests.factories import PASSWORD, make_organisation, make_user
from workshops.accounts import organisations, signin
from workshops.accounts.models import Invitation, LoginFailure, PasswordReset, Role, User
from workshops.accounts.password_reset import ResetThrottled, request_password_reset
from workshops.audit.events import Actor
from workshops.kernel import db
from workshops.kernel.clock import utc_now
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid
from workshops.signup.ratelimit import allow_signup_attempt

pytestmark = pytest.mark.usefixtures("patient_database")
IP = "192.0.2.10"
ATTEMPTS = 50


@pytest.fixture
async def patient_database(database: Settings) -> AsyncIterator[Settings]:
    """The test database, where a request may wait a minute for a pooled connection: fifty
    attempts queue on PostgreSQL behind one lock while each refusal spends a hash's time."""
    await db.disconnect()
    await db.connect(replace(database, database_acquire_timeout=60.0))
    yield database


def _outcomes(results: Sequence[object]) -> Counter[str]:
    """Each attempt's answer: signed in, wrong password, or refused by the limit."""
    counted: Counter[str] = Counter()
    for result in results:
        if isinstance(result, User):
            counted["signed in"] += 1
        elif isinstance(result, signin.LoginRefused) and "Trop de tentatives" in str(result):
            counted["locked"] += 1
        elif isinstance(result, signin.LoginRefused):
            counted["checked"] += 1
        else:
            raise AssertionError(repr(result))
    return counted


async def _attempt(settings: Settings, email: str, password: str, ip: str = IP) -> User:
    return await signin.authenticate(
        email=email, password=password, ip_address=ip, settings=settings
    )


async def test_fifty_simultaneous_guesses_on_one_account_get_five_passwords_checked(
    database: Settings,
) -> None:
    user = await make_user(email="claire@exemple.fr")
    guesses = [
        _attempt(database, user.email, f"essai numéro {n}", ip=f"192.0.2.{n}")
        for n in range(ATTEMPTS)
    ]
    results = await asyncio.gather(*guesses, return_exceptions=True)
    assert _outcomes(results) == {"checked": 5, "locked": ATTEMPTS - 5}
    assert await LoginFailure.filter(key="account:claire@exemple.fr").count() == 5


async def test_the_right_password_sent_among_simultaneous_guesses_waits_like_them(
    database: Settings,
) -> None:
    user = await make_user(email="claire@exemple.fr")
    guesses = [_attempt(database, user.email, f"essai numéro {n}") for n in range(ATTEMPTS)]
    results = await asyncio.gather(
        *guesses, _attempt(database, user.email, PASSWORD), return_exceptions=True
    )
    outcomes = _outcomes(results)
    assert outcomes["checked"] + outcomes["signed in"] == 5
    assert outcomes["locked"] == ATTEMPTS + 1 - 5


async def test_fifty_simultaneous_guesses_from_one_address_get_twenty_checked(
    database: Settings,
) -> None:
    guesses = [_attempt(database, f"essai{n}@exemple.fr", "au hasard") for n in range(ATTEMPTS)]
    results = await asyncio.gather(*guesses, return_exceptions=True)
    assert _outcomes(results) == {"checked": 20, "locked": ATTEMPTS - 20}
    assert await LoginFailure.filter(key=f"ip:{IP}").count() == 20


async def test_fifty_simultaneous_reset_requests_send_three_links(database: Settings) -> None:
    await make_user(email="claire@exemple.fr")
    requests = [
        request_password_reset(
            email="claire@exemple.fr", ip_address=f"192.0.2.{n}", settings=database
        )
        for n in range(ATTEMPTS)
    ]
    results = await asyncio.gather(*requests, return_exceptions=True)
    refused = [result for result in results if isinstance(result, ResetThrottled)]
    assert len(refused) == ATTEMPTS - 3
    assert results.count(None) == 3
    assert await PasswordReset.all().count() == 3


async def test_fifty_simultaneous_sign_ups_from_one_address_let_twenty_through(
    database: Settings,
) -> None:
    attempts = [
        allow_signup_attempt(settings=database, address=IP, now=utc_now()) for _ in range(ATTEMPTS)
    ]
    allowed = await asyncio.gather(*attempts)
    assert database.signup_max_per_ip_per_hour == 20
    assert allowed.count(True) == 20


async def test_an_invitation_accepted_twenty_times_at_once_makes_one_account(
    database: Settings,
) -> None:
    organisation = await make_organisation()
    admin = await make_user(organisation, role=Role.ADMIN)
    staff = await signin.load_staff(admin.id, admin.session_version)
    added = await organisations.add_member(
        actor=Actor(staff=staff, ip_address=IP),
        organisation=organisation,
        email="nouvelle@exemple.fr",
        role=Role.FACILITATOR,
        settings=database,
    )
    acceptances = [
        organisations.accept_invitation(
            token=added.invitation_token,
            full_name="Nouvelle Personne",
            password=PASSWORD,
            confirmation=PASSWORD,
            ip_address=IP,
        )
        for _ in range(20)
    ]
    results = await asyncio.gather(*acceptances, return_exceptions=True)
    assert sum(isinstance(result, User) for result in results) == 1
    assert all(isinstance(r, User | Invalid) for r in results), results
    assert await User.filter(email="nouvelle@exemple.fr").count() == 1
    assert await Invitation.filter(accepted_at__isnull=False).count() == 1

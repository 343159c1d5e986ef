"""Signing in: throttling, refusals that never tell whether an account exists, password changes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.accounts.helpers import IP, staff_actor
from tests.factories import PASSWORD, make_user
from workshops.accounts import signin
from workshops.accounts.models import (
    LoginFailure,
    Role,
    User,
)
from workshops.accounts.passwords import verify_password
from workshops.audit.models import AuditEvent
from workshops.kernel.clock import utc_now
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid

pytestmark = pytest.mark.usefixtures("database")


async def _authenticate(settings: Settings, email: str, password: str, ip: str = IP) -> User:
    return await signin.authenticate(
        email=email, password=password, ip_address=ip, settings=settings
    )


async def test_right_password_signs_in_and_email_case_does_not_matter(
    database: Settings,
) -> None:
    user = await make_user(email="claire@exemple.fr")
    signed_in = await _authenticate(database, " Claire@Exemple.FR ", PASSWORD)
    assert signed_in.id == user.id
    assert (await User.get(id=user.id)).last_login_at is not None
    opened = await AuditEvent.get(action="session.opened")
    assert opened.actor_label == "claire@exemple.fr" and opened.ip_address == IP


async def test_wrong_password_and_unknown_account_get_the_same_message(
    database: Settings,
) -> None:
    await make_user(email="claire@exemple.fr")
    with pytest.raises(signin.LoginRefused) as wrong:
        await _authenticate(database, "claire@exemple.fr", "pas le bon mot de passe")
    with pytest.raises(signin.LoginRefused) as unknown:
        await _authenticate(database, "personne@exemple.fr", "pas le bon mot de passe")
    assert str(wrong.value) == str(unknown.value) == "Adresse e-mail ou mot de passe incorrect."


async def test_sixth_attempt_is_refused_even_with_the_right_password_until_the_delay_passes(
    database: Settings,
) -> None:
    await make_user(email="claire@exemple.fr")
    for _ in range(5):
        with pytest.raises(signin.LoginRefused):
            await _authenticate(database, "claire@exemple.fr", "mauvais mot de passe")
    with pytest.raises(signin.LoginRefused) as locked:
        await _authenticate(database, "claire@exemple.fr", PASSWORD)
    assert "Trop de tentatives" in str(locked.value)
    assert "15 minutes" in str(locked.value)

    locked_event = await AuditEvent.get(action="login.locked")
    assert "claire@exemple.fr" in locked_event.summary

    long_ago = utc_now() - timedelta(minutes=16)
    await LoginFailure.all().update(created_at=long_ago)
    user = await _authenticate(database, "claire@exemple.fr", PASSWORD)
    assert user.email == "claire@exemple.fr"


async def test_an_unknown_account_is_locked_the_same_way(database: Settings) -> None:
    for _ in range(5):
        with pytest.raises(signin.LoginRefused):
            await _authenticate(database, "inconnu@exemple.fr", "mauvais mot de passe")
    with pytest.raises(signin.LoginRefused) as locked:
        await _authenticate(database, "inconnu@exemple.fr", "mauvais mot de passe")
    assert "Trop de tentatives" in str(locked.value)


async def test_one_address_guessing_many_accounts_is_stopped(database: Settings) -> None:
    target = await make_user(email="cible@exemple.fr")
    for number in range(20):
        with pytest.raises(signin.LoginRefused):
            await _authenticate(database, f"essai{number}@exemple.fr", "au hasard au hasard")
    with pytest.raises(signin.LoginRefused) as locked:
        await _authenticate(database, target.email, PASSWORD)
    assert "Trop de tentatives" in str(locked.value)
    # From another address the account itself is not locked.
    assert (await _authenticate(database, target.email, PASSWORD, ip="192.0.2.99")).id == target.id


async def test_a_success_clears_the_account_failures(database: Settings) -> None:
    await make_user(email="claire@exemple.fr")
    for _ in range(4):
        with pytest.raises(signin.LoginRefused):
            await _authenticate(database, "claire@exemple.fr", "mauvais mot de passe")
    await _authenticate(database, "claire@exemple.fr", PASSWORD)
    assert await LoginFailure.filter(key="account:claire@exemple.fr").count() == 0


async def test_a_disabled_account_cannot_sign_in(database: Settings) -> None:
    user = await make_user(email="partie@exemple.fr")
    await User.filter(id=user.id).update(is_active=False)
    with pytest.raises(signin.LoginRefused):
        await _authenticate(database, "partie@exemple.fr", PASSWORD)


async def test_changing_the_password_ends_other_sessions() -> None:
    actor = await staff_actor(Role.FACILITATOR)
    assert actor.staff is not None
    new_version = await signin.change_password(
        actor=actor,
        current_password=PASSWORD,
        new_password="une toute nouvelle phrase",
        confirmation="une toute nouvelle phrase",
    )
    assert new_version == 2
    assert await signin.load_staff(actor.staff.id, 1) is None
    assert await signin.load_staff(actor.staff.id, 2) is not None
    user = await User.get(id=actor.staff.id)
    assert verify_password(user.password_hash, "une toute nouvelle phrase")
    assert await AuditEvent.filter(action="password.changed", actor_id=user.id).exists()


@pytest.mark.parametrize(
    ("current", "new", "confirmation", "field", "message"),
    [
        (
            "faux mot de passe",
            "une toute nouvelle phrase",
            "une toute nouvelle phrase",
            "current_password",
            "Le mot de passe actuel est incorrect.",
        ),
        (PASSWORD, "court", "court", "new_password", "au moins 12 caractères"),
        (PASSWORD, "azertyuiop123", "azertyuiop123", "new_password", "trop courant"),
        (
            PASSWORD,
            "une toute nouvelle phrase",
            "une autre phrase !!",
            "confirmation",
            "pas identiques",
        ),
    ],
)
async def test_a_refused_password_change_says_why_and_keeps_the_old_password(
    current: str, new: str, confirmation: str, field: str, message: str
) -> None:
    actor = await staff_actor(Role.FACILITATOR)
    assert actor.staff is not None
    with pytest.raises(Invalid) as refused:
        await signin.change_password(
            actor=actor, current_password=current, new_password=new, confirmation=confirmation
        )
    assert message in refused.value.errors[field]
    user = await User.get(id=actor.staff.id)
    assert verify_password(user.password_hash, PASSWORD)
    assert user.session_version == 1


async def test_a_password_equal_to_the_email_is_refused() -> None:
    actor = await staff_actor(Role.FACILITATOR)
    assert actor.staff is not None
    with pytest.raises(Invalid) as refused:
        await signin.change_password(
            actor=actor,
            current_password=PASSWORD,
            new_password=actor.staff.email,
            confirmation=actor.staff.email,
        )
    assert "adresse e-mail" in refused.value.errors["new_password"]

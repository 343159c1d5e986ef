"""Sign-in with throttling, passwords, organisations, members and invitations, without HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import PASSWORD, make_organisation, make_user
from workshops.accounts import service
from workshops.accounts.models import (
    Invitation,
    LoginFailure,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from workshops.accounts.passwords import verify_password
from workshops.audit.events import Actor
from workshops.audit.models import AuditEvent
from workshops.kernel.clock import utc_now
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid

pytestmark = pytest.mark.usefixtures("database")
IP = "192.0.2.10"


async def _authenticate(settings: Settings, email: str, password: str, ip: str = IP) -> User:
    return await service.authenticate(
        email=email, password=password, ip_address=ip, settings=settings
    )


async def _actor(role: Role = Role.ADMIN) -> Actor:
    user = await make_user(await make_organisation(), role=role)
    staff = await service.load_staff(user.id, user.session_version)
    assert staff is not None
    return Actor(staff=staff, ip_address=IP)


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
    with pytest.raises(service.LoginRefused) as wrong:
        await _authenticate(database, "claire@exemple.fr", "pas le bon mot de passe")
    with pytest.raises(service.LoginRefused) as unknown:
        await _authenticate(database, "personne@exemple.fr", "pas le bon mot de passe")
    assert str(wrong.value) == str(unknown.value) == "Adresse e-mail ou mot de passe incorrect."


async def test_sixth_attempt_is_refused_even_with_the_right_password_until_the_delay_passes(
    database: Settings,
) -> None:
    await make_user(email="claire@exemple.fr")
    for _ in range(5):
        with pytest.raises(service.LoginRefused):
            await _authenticate(database, "claire@exemple.fr", "mauvais mot de passe")
    with pytest.raises(service.LoginRefused) as locked:
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
        with pytest.raises(service.LoginRefused):
            await _authenticate(database, "inconnu@exemple.fr", "mauvais mot de passe")
    with pytest.raises(service.LoginRefused) as locked:
        await _authenticate(database, "inconnu@exemple.fr", "mauvais mot de passe")
    assert "Trop de tentatives" in str(locked.value)


async def test_one_address_guessing_many_accounts_is_stopped(database: Settings) -> None:
    target = await make_user(email="cible@exemple.fr")
    for number in range(20):
        with pytest.raises(service.LoginRefused):
            await _authenticate(database, f"essai{number}@exemple.fr", "au hasard au hasard")
    with pytest.raises(service.LoginRefused) as locked:
        await _authenticate(database, target.email, PASSWORD)
    assert "Trop de tentatives" in str(locked.value)
    # From another address the account itself is not locked.
    assert (await _authenticate(database, target.email, PASSWORD, ip="192.0.2.99")).id == target.id


async def test_a_success_clears_the_account_failures(database: Settings) -> None:
    await make_user(email="claire@exemple.fr")
    for _ in range(4):
        with pytest.raises(service.LoginRefused):
            await _authenticate(database, "claire@exemple.fr", "mauvais mot de passe")
    await _authenticate(database, "claire@exemple.fr", PASSWORD)
    assert await LoginFailure.filter(key="account:claire@exemple.fr").count() == 0


async def test_a_disabled_account_cannot_sign_in(database: Settings) -> None:
    user = await make_user(email="partie@exemple.fr")
    await User.filter(id=user.id).update(is_active=False)
    with pytest.raises(service.LoginRefused):
        await _authenticate(database, "partie@exemple.fr", PASSWORD)


async def test_changing_the_password_ends_other_sessions() -> None:
    actor = await _actor(Role.FACILITATOR)
    assert actor.staff is not None
    new_version = await service.change_password(
        actor=actor,
        current_password=PASSWORD,
        new_password="une toute nouvelle phrase",
        confirmation="une toute nouvelle phrase",
    )
    assert new_version == 2
    assert await service.load_staff(actor.staff.id, 1) is None
    assert await service.load_staff(actor.staff.id, 2) is not None
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
    actor = await _actor(Role.FACILITATOR)
    assert actor.staff is not None
    with pytest.raises(Invalid) as refused:
        await service.change_password(
            actor=actor, current_password=current, new_password=new, confirmation=confirmation
        )
    assert message in refused.value.errors[field]
    user = await User.get(id=actor.staff.id)
    assert verify_password(user.password_hash, PASSWORD)
    assert user.session_version == 1


async def test_a_password_equal_to_the_email_is_refused() -> None:
    actor = await _actor(Role.FACILITATOR)
    assert actor.staff is not None
    with pytest.raises(Invalid) as refused:
        await service.change_password(
            actor=actor,
            current_password=PASSWORD,
            new_password=actor.staff.email,
            confirmation=actor.staff.email,
        )
    assert "adresse e-mail" in refused.value.errors["new_password"]


async def test_creating_an_organisation_is_audited_and_names_are_unique() -> None:
    actor = await _actor()
    organisation = await service.create_organisation(
        actor=actor, name="CSC Robert Schuman", kind="centre", commune="Haguenau"
    )
    assert organisation.kind is OrganisationKind.CENTRE
    event = await AuditEvent.get(action="organisation.created")
    assert event.organisation_id == organisation.id  # type: ignore[attr-defined]
    with pytest.raises(Invalid) as duplicate:
        await service.create_organisation(
            actor=actor, name="CSC Robert Schuman", kind="centre", commune="Haguenau"
        )
    assert duplicate.value.errors == {"name": "Une structure porte déjà ce nom."}


async def test_an_organisation_form_with_nothing_right_lists_every_problem() -> None:
    with pytest.raises(Invalid) as refused:
        await service.create_organisation(
            actor=await _actor(), name="", kind="banque", commune="", contact_email="pas-un-mail"
        )
    assert set(refused.value.errors) == {"name", "kind", "commune", "contact_email"}
    assert await Organisation.filter(commune="").count() == 0


async def test_adding_an_unknown_person_makes_a_one_time_invitation(database: Settings) -> None:
    centre = await make_organisation(OrganisationKind.CENTRE)
    added = await service.add_member(
        actor=await _actor(),
        organisation=centre,
        email="Nouvelle@Exemple.fr",
        role="centre_manager",
        settings=database,
    )
    assert added.invitation is not None and len(added.invitation_token) >= 40
    stored = await Invitation.get(id=added.invitation.id)
    assert stored.token_hash != added.invitation_token  # only the hash is kept
    assert stored.email == "nouvelle@exemple.fr"

    user = await service.accept_invitation(
        token=added.invitation_token,
        full_name="Nouvelle Personne",
        password="une phrase bien longue",
        confirmation="une phrase bien longue",
        ip_address=IP,
    )
    membership = await Membership.get(user_id=user.id)
    assert membership.role is Role.CENTRE_MANAGER
    assert membership.organisation_id == centre.id  # type: ignore[attr-defined]
    with pytest.raises(Invalid) as reused:
        await service.accept_invitation(
            token=added.invitation_token,
            full_name="Quelqu'un d'autre",
            password="une autre phrase longue",
            confirmation="une autre phrase longue",
            ip_address=IP,
        )
    assert "n'est plus valable" in reused.value.errors["token"]


async def test_an_expired_invitation_opens_nothing(database: Settings) -> None:
    added = await service.add_member(
        actor=await _actor(),
        organisation=await make_organisation(),
        email="tard@exemple.fr",
        role="facilitator",
        settings=database,
    )
    await Invitation.all().update(expires_at=utc_now() - timedelta(minutes=1))
    assert await service.find_invitation(added.invitation_token) is None


async def test_adding_an_existing_account_gives_the_role_at_once(database: Settings) -> None:
    person = await make_user(await make_organisation(), email="deja@exemple.fr")
    centre = await make_organisation(OrganisationKind.CENTRE)
    added = await service.add_member(
        actor=await _actor(),
        organisation=centre,
        email="deja@exemple.fr",
        role="centre_manager",
        settings=database,
    )
    assert added.membership is not None and not added.invitation_token
    assert await Membership.filter(user_id=person.id).count() == 2
    with pytest.raises(Invalid) as again:
        await service.add_member(
            actor=await _actor(),
            organisation=centre,
            email="deja@exemple.fr",
            role="centre_manager",
            settings=database,
        )
    assert "déjà membre" in again.value.errors["email"]


async def test_a_role_that_does_not_fit_the_organisation_is_refused(database: Settings) -> None:
    centre = await make_organisation(OrganisationKind.CENTRE)
    with pytest.raises(Invalid) as refused:
        await service.add_member(
            actor=await _actor(),
            organisation=centre,
            email="x@exemple.fr",
            role="facilitator",
            settings=database,
        )
    assert "rôle" in refused.value.errors["role"]
    assert await Invitation.all().count() == 0


async def test_removing_a_member_is_audited() -> None:
    centre = await make_organisation(OrganisationKind.CENTRE)
    person = await make_user(centre, role=Role.CENTRE_MANAGER)
    membership = await Membership.get(user_id=person.id)
    await service.remove_membership(
        actor=await _actor(), organisation=centre, membership_id=membership.id
    )
    assert not await Membership.filter(id=membership.id).exists()
    assert await AuditEvent.filter(action="membership.removed").exists()


async def test_createuser_makes_the_organisation_when_missing() -> None:
    user = await service.create_user(
        email="admin@exemple.fr",
        full_name="Première Admin",
        password="une phrase bien longue",
        organisation_name="PMI du Bas-Rhin",
        role="admin",
    )
    membership = await Membership.get(user_id=user.id).prefetch_related("organisation")
    assert membership.organisation.name == "PMI du Bas-Rhin"
    assert membership.organisation.kind is OrganisationKind.PMI
    assert membership.role is Role.ADMIN

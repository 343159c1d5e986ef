"""Organisations and their members: creation, invitations, roles, removal, `createuser`."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.accounts.helpers import IP, staff_actor
from tests.factories import make_organisation, make_user
from workshops.accounts import organisations
from workshops.accounts.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from workshops.audit.models import AuditEvent
from workshops.kernel.clock import utc_now
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid

pytestmark = pytest.mark.usefixtures("database")


async def test_creating_an_organisation_is_audited_and_names_are_unique() -> None:
    actor = await staff_actor()
    organisation = await organisations.create_organisation(
        actor=actor, name="CSC Robert Schuman", kind="centre", commune="Haguenau"
    )
    assert organisation.kind is OrganisationKind.CENTRE
    event = await AuditEvent.get(action="organisation.created")
    assert event.organisation_id == organisation.id  # type: ignore[attr-defined]
    with pytest.raises(Invalid) as duplicate:
        await organisations.create_organisation(
            actor=actor, name="CSC Robert Schuman", kind="centre", commune="Haguenau"
        )
    assert duplicate.value.errors == {"name": "Une structure porte déjà ce nom."}


async def test_an_organisation_form_with_nothing_right_lists_every_problem() -> None:
    with pytest.raises(Invalid) as refused:
        await organisations.create_organisation(
            actor=await staff_actor(),
            name="",
            kind="banque",
            commune="",
            contact_email="pas-un-mail",
        )
    assert set(refused.value.errors) == {"name", "kind", "commune", "contact_email"}
    assert await Organisation.filter(commune="").count() == 0


async def test_adding_an_unknown_person_makes_a_one_time_invitation(database: Settings) -> None:
    centre = await make_organisation(OrganisationKind.CENTRE)
    added = await organisations.add_member(
        actor=await staff_actor(),
        organisation=centre,
        email="Nouvelle@Exemple.fr",
        role="centre_manager",
        settings=database,
    )
    assert added.invitation is not None and len(added.invitation_token) >= 40
    stored = await Invitation.get(id=added.invitation.id)
    assert stored.token_hash != added.invitation_token  # only the hash is kept
    assert stored.email == "nouvelle@exemple.fr"

    user = await organisations.accept_invitation(
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
        await organisations.accept_invitation(
            token=added.invitation_token,
            full_name="Quelqu'un d'autre",
            password="une autre phrase longue",
            confirmation="une autre phrase longue",
            ip_address=IP,
        )
    assert "n'est plus valable" in reused.value.errors["token"]


async def test_an_expired_invitation_opens_nothing(database: Settings) -> None:
    added = await organisations.add_member(
        actor=await staff_actor(),
        organisation=await make_organisation(),
        email="tard@exemple.fr",
        role="facilitator",
        settings=database,
    )
    await Invitation.all().update(expires_at=utc_now() - timedelta(minutes=1))
    assert await organisations.find_invitation(added.invitation_token) is None


async def test_adding_an_existing_account_gives_the_role_at_once(database: Settings) -> None:
    person = await make_user(await make_organisation(), email="deja@exemple.fr")
    centre = await make_organisation(OrganisationKind.CENTRE)
    added = await organisations.add_member(
        actor=await staff_actor(),
        organisation=centre,
        email="deja@exemple.fr",
        role="centre_manager",
        settings=database,
    )
    assert added.membership is not None and not added.invitation_token
    assert await Membership.filter(user_id=person.id).count() == 2
    with pytest.raises(Invalid) as again:
        await organisations.add_member(
            actor=await staff_actor(),
            organisation=centre,
            email="deja@exemple.fr",
            role="centre_manager",
            settings=database,
        )
    assert "déjà membre" in again.value.errors["email"]


async def test_a_role_that_does_not_fit_the_organisation_is_refused(database: Settings) -> None:
    centre = await make_organisation(OrganisationKind.CENTRE)
    with pytest.raises(Invalid) as refused:
        await organisations.add_member(
            actor=await staff_actor(),
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
    await organisations.remove_membership(
        actor=await staff_actor(), organisation=centre, membership_id=membership.id
    )
    assert not await Membership.filter(id=membership.id).exists()
    assert await AuditEvent.filter(action="membership.removed").exists()


async def test_createuser_makes_the_organisation_when_missing() -> None:
    user = await organisations.create_user(
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

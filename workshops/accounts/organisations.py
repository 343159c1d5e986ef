"""Organisations and their members: creating an organisation, adding a member (an existing
account gets the role, anyone else an invitation by e-mail), removing one, accepting an
invitation, and the account made from the command line."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from tortoise.exceptions import IntegrityError

from workshops.accounts.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from workshops.accounts.passwords import (
    hash_password,
    password_problem,
)
from workshops.accounts.permissions import ROLES_BY_KIND
from workshops.accounts.sessions import end_sessions_of
from workshops.audit import Actor, record_event
from workshops.kernel import urls
from workshops.kernel.clock import utc_now
from workshops.kernel.db import transaction
from workshops.kernel.i18n import N_, _
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid, email_problem, normalise_email
from workshops.mail import enqueue_mail

ROLE_LABELS = {
    Role.FACILITATOR: N_("Professionnel·le PMI"),
    Role.COORDINATOR: N_("Coordinateur·rice PMI"),
    Role.CENTRE_MANAGER: N_("Responsable de centre"),
    Role.ADMIN: N_("Administrateur·rice"),
}
KIND_LABELS = {
    OrganisationKind.PMI: N_("Service de PMI"),
    OrganisationKind.CENTRE: N_("Centre partenaire"),
    OrganisationKind.FUNDER: N_("Financeur"),
}


def _values(enum: type[StrEnum]) -> set[str]:
    return {member.value for member in enum}


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _organisation_errors(
    *, name: str, kind: str, commune: str, contact_email: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Indiquez le nom de la structure.")
    if kind not in _values(OrganisationKind):
        errors["kind"] = _("Choisissez le type de structure.")
    if not commune:
        errors["commune"] = _("Indiquez la commune.")
    if contact_email:
        problem = email_problem(contact_email)
        if problem:
            errors["contact_email"] = problem
    return errors


async def create_organisation(
    *,
    actor: Actor,
    name: str,
    kind: str,
    commune: str,
    territory: str = "",
    contact_email: str = "",
    phone: str = "",
) -> Organisation:
    contact_email = normalise_email(contact_email)
    errors = _organisation_errors(
        name=name, kind=kind, commune=commune, contact_email=contact_email
    )
    if not errors and await Organisation.filter(name=name).exists():
        errors["name"] = _("Une structure porte déjà ce nom.")
    if errors:
        raise Invalid(errors)
    try:
        async with transaction():
            organisation = await Organisation.create(
                name=name,
                kind=OrganisationKind(kind),
                commune=commune,
                territory=territory,
                contact_email=contact_email,
                phone=phone,
            )
            await record_event(
                actor=actor,
                action="organisation.created",
                summary=f"Structure créée : {name}",
                object_type="organisation",
                object_id=organisation.id,
                organisation_id=organisation.id,
            )
    except IntegrityError:
        raise Invalid({"name": _("Une structure porte déjà ce nom.")}) from None
    return organisation


@dataclass(frozen=True)
class MemberAdded:
    """Either an existing account got a membership, or an invitation was made and e-mailed."""

    membership: Membership | None = None
    invitation: Invitation | None = None
    invitation_token: str = ""


def _role_errors(organisation: Organisation, role: str) -> dict[str, str]:
    if role not in _values(Role) or Role(role) not in ROLES_BY_KIND[organisation.kind]:
        return {"role": _("Choisissez un rôle possible pour ce type de structure.")}
    return {}


async def add_member(
    *, actor: Actor, organisation: Organisation, email: str, role: str, settings: Settings
) -> MemberAdded:
    """Give an existing account a role here, or e-mail the person a one-time invitation link."""
    email = normalise_email(email)
    errors = _role_errors(organisation, role)
    problem = email_problem(email)
    if problem:
        errors["email"] = problem
    if errors:
        raise Invalid(errors)
    user = await User.get_or_none(email=email)
    async with transaction():
        if user is not None:
            if await Membership.filter(user_id=user.id, organisation_id=organisation.id).exists():
                raise Invalid({"email": _("Cette personne est déjà membre de la structure.")})
            membership = await Membership.create(
                user_id=user.id, organisation_id=organisation.id, role=Role(role)
            )
            await record_event(
                actor=actor,
                action="membership.created",
                summary=f"{email} ajouté·e comme {ROLE_LABELS[Role(role)]}",
                object_type="membership",
                object_id=membership.id,
                organisation_id=organisation.id,
            )
            return MemberAdded(membership=membership)
        token = secrets.token_urlsafe(32)
        invitation = await Invitation.create(
            organisation_id=organisation.id,
            email=email,
            role=Role(role),
            token_hash=_token_hash(token),
            invited_by_id=actor.staff.id if actor.staff else None,
            expires_at=utc_now() + timedelta(days=settings.invitation_valid_days),
        )
        await record_event(
            actor=actor,
            action="invitation.created",
            summary=f"Invitation de {email} comme {ROLE_LABELS[Role(role)]}",
            object_type="invitation",
            object_id=invitation.id,
            organisation_id=organisation.id,
        )
        await enqueue_mail(
            settings=settings,
            to=email,
            template="staff_invitation",
            context={
                "organisation_name": organisation.name,
                "inviter": actor.staff.full_name if actor.staff else "L'administration",
                "role": ROLE_LABELS[Role(role)],
                "invitation_url": urls.absolute(
                    settings.base_url, "accounts.invitation", token=token
                ),
                "expires_at": invitation.expires_at,
            },
            sensitive=True,
        )
    return MemberAdded(invitation=invitation, invitation_token=token)


# What other packages do when someone leaves an organisation (the calendars package renews the
# organisation's shared feed addresses): registered by those packages, which import this one, so
# that accounts needs to know nothing of them.
MembershipEnded = Callable[[int], Awaitable[None]]
_when_membership_ends: list[MembershipEnded] = []


def when_membership_ends(listener: MembershipEnded) -> MembershipEnded:
    """Register `listener(organisation_id)`, run in the transaction that removes a member."""
    _when_membership_ends.append(listener)
    return listener


async def remove_membership(
    *, actor: Actor, organisation: Organisation, membership_id: int
) -> None:
    membership = await Membership.get_or_none(
        id=membership_id, organisation_id=organisation.id
    ).prefetch_related("user")
    if membership is None:
        raise Invalid({"membership": _("Ce membre n'existe pas ou a déjà été retiré.")})
    if actor.staff and membership.user.id == actor.staff.id and membership.role is Role.ADMIN:
        raise Invalid(
            {"membership": _("Vous ne pouvez pas retirer votre propre rôle d'administration.")}
        )
    async with transaction():
        await membership.delete()
        # Their pages would refuse them anyway; ending their sessions makes it true at once.
        await end_sessions_of(membership.user.id)
        for listener in _when_membership_ends:
            await listener(organisation.id)
        await record_event(
            actor=actor,
            action="membership.removed",
            summary=f"{membership.user.email} retiré·e de la structure",
            object_type="membership",
            object_id=membership_id,
            organisation_id=organisation.id,
        )


async def find_invitation(token: str) -> Invitation | None:
    """The open invitation of this token, or None when unknown, used or expired."""
    invitation = await Invitation.get_or_none(
        token_hash=_token_hash(token), accepted_at=None, expires_at__gt=utc_now()
    ).prefetch_related("organisation")
    return invitation


async def account_exists(email: str) -> bool:
    return await User.filter(email=normalise_email(email)).exists()


async def accept_invitation(
    *, token: str, full_name: str, password: str, confirmation: str, ip_address: str
) -> User:
    """Create the invited person's account (or reuse it) and give them their role."""
    invitation = await find_invitation(token)
    if invitation is None:
        raise Invalid({"token": _("Ce lien d'invitation n'est plus valable.")})
    existing = await User.get_or_none(email=invitation.email)
    errors: dict[str, str] = {}
    if existing is None:
        if not full_name:
            errors["full_name"] = _("Indiquez vos prénom et nom.")
        problem = password_problem(password, email=invitation.email)
        if problem:
            errors["password"] = problem
        elif password != confirmation:
            errors["confirmation"] = _("Les deux mots de passe ne sont pas identiques.")
    if errors:
        raise Invalid(errors)
    async with transaction():
        claimed = await Invitation.filter(id=invitation.id, accepted_at=None).update(
            accepted_at=utc_now()
        )
        if not claimed:
            raise Invalid({"token": _("Ce lien d'invitation n'est plus valable.")})
        user = existing or await User.create(
            email=invitation.email, full_name=full_name, password_hash=hash_password(password)
        )
        if not await Membership.filter(
            user_id=user.id, organisation_id=invitation.organisation.id
        ).exists():
            await Membership.create(
                user_id=user.id, organisation_id=invitation.organisation.id, role=invitation.role
            )
        await record_event(
            actor=Actor(staff=None, ip_address=ip_address),
            action="invitation.accepted",
            summary=f"{user.email} a rejoint la structure",
            object_type="invitation",
            object_id=invitation.id,
            organisation_id=invitation.organisation.id,
        )
    return user


async def create_user(
    *,
    email: str,
    full_name: str,
    password: str,
    organisation_name: str,
    role: str,
    organisation_kind: str = OrganisationKind.PMI,
    commune: str = "",
    profession: str = "",
) -> User:
    """For the command line: an account with its membership, the organisation made if needed."""
    email = normalise_email(email)
    errors: dict[str, str] = {}
    problem = email_problem(email)
    if problem:
        errors["email"] = problem
    elif problem := password_problem(password, email=email):
        errors["password"] = problem
    if not full_name:
        errors["full_name"] = _("Indiquez les prénom et nom.")
    if not organisation_name:
        errors["organisation"] = _("Indiquez la structure.")
    if await User.filter(email=email).exists():
        errors["email"] = _("Un compte existe déjà avec cette adresse.")
    if errors:
        raise Invalid(errors)
    async with transaction():
        organisation = await Organisation.get_or_none(name=organisation_name)
        if organisation is None:
            if organisation_kind not in _values(OrganisationKind):
                raise Invalid({"kind": _("Choisissez le type de structure.")})
            organisation = await Organisation.create(
                name=organisation_name,
                kind=OrganisationKind(organisation_kind),
                commune=commune or "-",
            )
        role_errors = _role_errors(organisation, role)
        if role_errors:
            raise Invalid(role_errors)
        user = await User.create(
            email=email,
            full_name=full_name,
            profession=profession,
            password_hash=hash_password(password),
        )
        await Membership.create(user_id=user.id, organisation_id=organisation.id, role=Role(role))
        await record_event(
            actor=Actor(staff=None, ip_address="ligne de commande"),
            action="user.created",
            summary=f"Compte créé : {email}",
            object_type="user",
            object_id=user.id,
            organisation_id=organisation.id,
        )
    return user


async def list_organisations(*, offset: int, limit: int) -> tuple[list[Organisation], int]:
    total = await Organisation.all().count()
    return list(await Organisation.all().offset(offset).limit(limit)), total


async def get_organisation(organisation_id: int) -> Organisation | None:
    return await Organisation.get_or_none(id=organisation_id)


async def list_members(organisation_id: int) -> list[Membership]:
    return list(
        await Membership.filter(organisation_id=organisation_id)
        .prefetch_related("user")
        .order_by("user__full_name")
    )


async def list_open_invitations(organisation_id: int) -> list[Invitation]:
    return list(
        await Invitation.filter(
            organisation_id=organisation_id, accepted_at=None, expires_at__gt=utc_now()
        ).order_by("-created_at")
    )

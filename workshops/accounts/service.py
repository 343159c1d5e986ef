"""Staff accounts: sign-in with throttling, passwords, organisations, members and invitations."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from workshops.accounts.models import (
    Invitation,
    LoginFailure,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from workshops.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
    waste_time_like_a_verification,
)
from workshops.accounts.permissions import ROLES_BY_KIND, Grant, Staff
from workshops.accounts.sessions import end_sessions_of
from workshops.audit import Actor, record_event
from workshops.kernel import urls
from workshops.kernel.clock import utc_now
from workshops.kernel.db import LimitReached, take_slots, transaction
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


class LoginRefused(Exception):
    """Sign-in refused; the message never tells whether the account exists."""


def _values(enum: type[StrEnum]) -> set[str]:
    return {member.value for member in enum}


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- Sign-in -------------------------------------------------------------------------------


async def authenticate(*, email: str, password: str, ip_address: str, settings: Settings) -> User:
    """The active user with these credentials, unless too many recent failures lock them out.

    Each attempt first takes a slot under both limits (per account, per address) as if it would
    fail (`take_slots`), and only then checks the password: simultaneous guesses cannot all be
    checked, since each one counts the others before its own check. A success gives back its
    slot and clears the account's failures, as an unlocked account should be.
    """
    email = normalise_email(email)
    account_key, ip_key = f"account:{email}", f"ip:{ip_address}"
    now = utc_now()
    try:
        slots = await take_slots(
            LoginFailure,
            {
                account_key: settings.login_max_failures_per_account,
                ip_key: settings.login_max_failures_per_ip,
            },
            since=now - timedelta(minutes=settings.login_lock_minutes),
            now=now,
        )
    except LimitReached:
        waste_time_like_a_verification(password)
        raise LoginRefused(
            _(
                "Trop de tentatives de connexion. Réessayez dans %(minutes)s minutes.",
                minutes=settings.login_lock_minutes,
            )
        ) from None
    user = await User.get_or_none(email=email, is_active=True)
    if user is None:
        waste_time_like_a_verification(password)
    if user is None or not verify_password(user.password_hash, password):
        if user is not None and slots[account_key].taken == settings.login_max_failures_per_account:
            await record_event(
                actor=Actor(staff=None, ip_address=ip_address),
                action="login.locked",
                summary=f"Connexions à {email} bloquées {settings.login_lock_minutes} min "
                "après plusieurs échecs",
                object_type="user",
                object_id=user.id,
            )
        raise LoginRefused(_("Adresse e-mail ou mot de passe incorrect."))
    await LoginFailure.filter(Q(key=account_key) | Q(id=slots[ip_key].row_id)).delete()
    user.last_login_at = utc_now()
    update_fields = ["last_login_at"]
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        update_fields.append("password_hash")
    await user.save(update_fields=update_fields)
    await record_event(
        actor=Actor(staff=await load_staff(user.id, user.session_version), ip_address=ip_address),
        action="session.opened",
        summary="Connexion",
        object_type="user",
        object_id=user.id,
    )
    return user


async def load_staff(user_id: int, session_version: int | None = None) -> Staff | None:
    """The staff member with their current grants, or None if the account is gone or disabled
    (or, when `session_version` is given, re-keyed by a password change since)."""
    user = await User.get_or_none(id=user_id, is_active=True)
    if user is None or session_version not in (None, user.session_version):
        return None
    memberships = await Membership.filter(user_id=user.id).prefetch_related("organisation")
    grants = tuple(
        sorted(
            (
                Grant(
                    organisation_id=membership.organisation.id,
                    organisation_name=membership.organisation.name,
                    organisation_kind=membership.organisation.kind,
                    role=membership.role,
                )
                for membership in memberships
            ),
            key=lambda grant: grant.organisation_name,
        )
    )
    return Staff(id=user.id, email=user.email, full_name=user.full_name, grants=grants)


async def change_password(
    *,
    actor: Actor,
    current_password: str,
    new_password: str,
    confirmation: str,
    keep_session_id: int | None = None,
) -> int:
    """Set a new password; return the new session version. Every other session of the person
    ends (`keep_session_id`, the one that asked, stays open)."""
    assert actor.staff is not None
    user = await User.get(id=actor.staff.id)
    errors: dict[str, str] = {}
    if not verify_password(user.password_hash, current_password):
        errors["current_password"] = _("Le mot de passe actuel est incorrect.")
    problem = password_problem(new_password, email=user.email)
    if problem:
        errors["new_password"] = problem
    elif new_password != confirmation:
        errors["confirmation"] = _("Les deux mots de passe ne sont pas identiques.")
    if errors:
        raise Invalid(errors)
    async with transaction():
        user.password_hash = hash_password(new_password)
        user.session_version += 1
        await user.save(update_fields=["password_hash", "session_version"])
        await end_sessions_of(user.id, keep_session_id=keep_session_id)
        await record_event(
            actor=actor,
            action="password.changed",
            summary="Mot de passe modifié",
            object_type="user",
            object_id=user.id,
        )
    return user.session_version


async def log_out_everywhere(*, actor: Actor) -> int:
    """« Se déconnecter partout »: end every session of the person, this one included; audited.
    How many sessions were open."""
    assert actor.staff is not None
    async with transaction():
        ended = await end_sessions_of(actor.staff.id)
        await record_event(
            actor=actor,
            action="session.ended_everywhere",
            summary=f"Déconnexion de toutes les sessions ({ended})",
            object_type="user",
            object_id=actor.staff.id,
        )
    return ended


# --- Organisations and members -------------------------------------------------------------


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

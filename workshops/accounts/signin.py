"""Signing in: checking a password with throttling, the member's permissions, changing one's
password, signing out everywhere."""

from __future__ import annotations

from datetime import timedelta

from tortoise.expressions import Q

from workshops.accounts.models import (
    LoginFailure,
    Membership,
    User,
)
from workshops.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
    waste_time_like_a_verification,
)
from workshops.accounts.permissions import Grant, Staff
from workshops.accounts.sessions import end_sessions_of
from workshops.audit import Actor, record_event
from workshops.kernel.clock import utc_now
from workshops.kernel.db import LimitReached, take_slots, transaction
from workshops.kernel.i18n import _
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid, normalise_email


class LoginRefused(Exception):
    """Sign-in refused; the message never tells whether the account exists."""


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

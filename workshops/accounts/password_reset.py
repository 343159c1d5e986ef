"""The forgotten-password procedure: a one-time link by e-mail, valid one hour.

The answer is the same whether the address has an account or not, so the form tells nobody who
has one. Only the SHA-256 of the token is stored (the e-mail carrying it is erased from the outbox
once sent). Requests are counted in the database, per address and per IP, so every web process
sees the same counts. Choosing the new password ends every server-side session of the account: every
session opened before, on any device, ends at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from workshops.accounts.models import LoginFailure, PasswordReset, PasswordResetRequest, User
from workshops.accounts.passwords import hash_password, password_problem
from workshops.accounts.sessions import end_sessions_of
from workshops.audit import Actor, record_event
from workshops.kernel import urls
from workshops.kernel.clock import utc_now
from workshops.kernel.db import LimitReached, take_slots, transaction
from workshops.kernel.i18n import _
from workshops.kernel.settings import Settings
from workshops.kernel.validation import Invalid, email_problem, normalise_email
from workshops.mail import enqueue_mail

RESET_VALID_FOR = timedelta(hours=1)
THROTTLE_WINDOW = timedelta(hours=1)
MAX_REQUESTS_PER_ADDRESS = 3
MAX_REQUESTS_PER_IP = 20


class ResetThrottled(Exception):
    """Too many requests for this address or from this IP; the message says when to retry."""


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def reset_url(token: str, settings: Settings) -> str:
    return urls.absolute(settings.base_url, "accounts.password_new", token=token)


async def request_password_reset(*, email: str, ip_address: str, settings: Settings) -> None:
    """E-mail a reset link if an active account has this address, and say there is none if not.

    The request takes its slot under both limits (`take_slots`) before anything is looked up or
    sent, in the transaction that writes the link and its e-mail: simultaneous requests cannot
    send more links than the limit."""
    email = normalise_email(email)
    problem = email_problem(email)
    if problem:
        raise Invalid({"email": problem})
    now = utc_now()
    limits = {f"address:{email}": MAX_REQUESTS_PER_ADDRESS, f"ip:{ip_address}": MAX_REQUESTS_PER_IP}
    async with transaction():
        try:
            await take_slots(PasswordResetRequest, limits, since=now - THROTTLE_WINDOW, now=now)
        except LimitReached:
            raise ResetThrottled(
                _("Trop de demandes de nouveau mot de passe. Réessayez dans une heure.")
            ) from None
        user = await User.get_or_none(email=email, is_active=True)
        if user is None:
            await _tell_no_account(email, settings)
            return
        token = secrets.token_urlsafe(32)
        await PasswordReset.create(
            user_id=user.id, token_hash=_token_hash(token), expires_at=utc_now() + RESET_VALID_FOR
        )
        await enqueue_mail(
            settings=settings,
            to=user.email,
            template="password_reset",
            context={"full_name": user.full_name, "reset_url": reset_url(token, settings)},
            sensitive=True,
        )


async def _tell_no_account(email: str, settings: Settings) -> None:
    """The address has no account: it is told so by e-mail. The page says the same thing in
    both cases, and both cases write one e-mail in the same transaction, so that neither the
    answer nor its delay tells a stranger who has an account (DESIGN rule 7)."""
    await enqueue_mail(
        settings=settings, to=email, template="password_reset_unknown", context={}, sensitive=True
    )


async def find_reset(token: str) -> PasswordReset | None:
    """The open reset of this token, or None when unknown, used, expired or the account closed."""
    if not token or len(token) > 100:
        return None
    reset = await PasswordReset.get_or_none(
        token_hash=_token_hash(token), used_at=None, expires_at__gt=utc_now()
    ).prefetch_related("user")
    if reset is None or not reset.user.is_active:
        return None
    return reset


async def reset_password(*, token: str, password: str, confirmation: str, ip_address: str) -> User:
    """Set the new password, spend the link, and end every open session of the account."""
    reset = await find_reset(token)
    if reset is None:
        raise Invalid({"token": _("Ce lien n'est plus valable.")})
    user = reset.user
    problem = password_problem(password, email=user.email)
    if problem:
        raise Invalid({"password": problem})
    if password != confirmation:
        raise Invalid({"confirmation": _("Les deux mots de passe ne sont pas identiques.")})
    now = utc_now()
    async with transaction():
        spent = await PasswordReset.filter(id=reset.id, used_at=None, expires_at__gt=now).update(
            used_at=now
        )
        if not spent:
            raise Invalid({"token": _("Ce lien n'est plus valable.")})
        await PasswordReset.filter(user_id=user.id, used_at=None).update(used_at=now)
        user.password_hash = hash_password(password)
        user.session_version += 1
        await user.save(update_fields=["password_hash", "session_version"])
        await end_sessions_of(user.id)
        # The lock after failed logins (accounts.signin.authenticate) would keep the owner out.
        await LoginFailure.filter(key=f"account:{user.email}").delete()
        await record_event(
            actor=Actor(staff=None, ip_address=ip_address),
            action="password.reset",
            summary=f"Nouveau mot de passe choisi par lien e-mail : {user.email}",
            object_type="user",
            object_id=user.id,
        )
    return user


async def forget_old_reset_requests(settings: Settings) -> None:
    """Worker job: counters and links only matter for an hour; older ones are deleted."""
    horizon = utc_now() - THROTTLE_WINDOW - timedelta(days=1)
    await PasswordResetRequest.filter(created_at__lt=horizon).delete()
    await PasswordReset.filter(expires_at__lt=horizon).delete()

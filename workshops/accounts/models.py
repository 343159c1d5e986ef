"""Who is who: organisations, staff users and the memberships that give them a role."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from workshops.accounts.devices import describe_device


class OrganisationKind(StrEnum):
    PMI = "pmi"
    CENTRE = "centre"
    FUNDER = "funder"


class Role(StrEnum):
    FACILITATOR = "facilitator"
    COORDINATOR = "coordinator"
    CENTRE_MANAGER = "centre_manager"
    ADMIN = "admin"


class Organisation(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200, unique=True)
    kind = fields.CharEnumField(OrganisationKind, max_length=20)
    commune = fields.CharField(max_length=100)
    territory = fields.CharField(max_length=100, default="")
    contact_email = fields.CharField(max_length=254, default="")
    phone = fields.CharField(max_length=30, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "organisation"
        ordering = ("name",)


class User(Model):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    full_name = fields.CharField(max_length=150)
    profession = fields.CharField(max_length=100, default="")
    password_hash = fields.CharField(max_length=200)
    is_active = fields.BooleanField(default=True)
    # Raised on every password change: sessions signed with an older value end at once.
    session_version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_login_at = fields.DatetimeField(null=True)

    class Meta:
        table = "staff_user"
        ordering = ("full_name",)


class Membership(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "workshops.User", related_name="memberships", on_delete=fields.CASCADE
    )
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "workshops.Organisation", related_name="memberships", on_delete=fields.CASCADE
    )
    role = fields.CharEnumField(Role, max_length=20)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "membership"
        unique_together = (("user", "organisation"),)


class Invitation(Model):
    """A one-time link for a person to create their account and join an organisation."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "workshops.Organisation", related_name="invitations", on_delete=fields.CASCADE
    )
    email = fields.CharField(max_length=254)
    role = fields.CharEnumField(Role, max_length=20)
    # Only the SHA-256 of the token is kept: a copy of the database opens no account.
    token_hash = fields.CharField(max_length=64, unique=True)
    invited_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "workshops.User", related_name="invitations_sent", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    accepted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "invitation"


class LoginFailure(Model):
    """One failed login, counted per account and per address to slow down guessing."""

    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=300)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "login_failure"
        indexes = (Index(fields=("key", "created_at"), name="login_failure_key_time"),)


class PasswordReset(Model):
    """A one-time link to choose a new password, valid one hour. Only its SHA-256 is kept."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "workshops.User", related_name="password_resets", on_delete=fields.CASCADE
    )
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "password_reset"


class PasswordResetRequest(Model):
    """One request for a password reset link, counted per address and per IP."""

    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=300)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "password_reset_request"
        indexes = (Index(fields=("key", "created_at"), name="password_reset_request_key_time"),)


class StaffSession(Model):
    """One staff login: the signed cookie only names it, by a secret whose SHA-256 is kept here.

    A session ends when its owner logs out (here or everywhere), changes or resets their
    password, or is removed from an organisation (`ended_at` set), and after
    `SESSION_IDLE_HOURS` without a request (`last_seen_at`, written at most once a minute).
    """

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "workshops.User", related_name="sessions", on_delete=fields.CASCADE
    )
    user_id: int
    token_hash = fields.CharField(max_length=64, unique=True)
    # What the browser said it was, shortened: enough for its owner to recognise a device.
    user_agent = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)

    @property
    def device(self) -> str:
        """« Firefox sous Windows »: what the profile shows of the browser."""
        return describe_device(self.user_agent)

    class Meta:
        table = "staff_session"
        indexes = (Index(fields=("user_id", "ended_at"), name="staff_session_user_open"),)

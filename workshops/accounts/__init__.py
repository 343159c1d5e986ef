"""Organisations, staff and what they may do: memberships and permissions, signing in and
sessions, passwords, invitations and password reset."""

from __future__ import annotations

from workshops.accounts.models import (
    Invitation,
    LoginFailure,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    StaffSession,
    User,
)
from workshops.accounts.organisations import create_user, when_membership_ends
from workshops.accounts.password_reset import forget_old_reset_requests
from workshops.accounts.passwords import hash_password
from workshops.accounts.permissions import Grant, Permission, Staff, is_allowed
from workshops.accounts.sessions import (
    end_session,
    find_session,
    forget_ended_sessions,
    open_session,
)
from workshops.accounts.signin import load_staff

__all__ = [
    "Grant",
    "Invitation",
    "LoginFailure",
    "Membership",
    "Organisation",
    "OrganisationKind",
    "Permission",
    "Role",
    "Staff",
    "StaffSession",
    "User",
    "create_user",
    "end_session",
    "find_session",
    "forget_ended_sessions",
    "forget_old_reset_requests",
    "hash_password",
    "is_allowed",
    "load_staff",
    "open_session",
    "when_membership_ends",
]

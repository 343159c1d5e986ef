"""Families' registrations: the catalogue, sign-up, waiting list, cancellation and reminders."""

from __future__ import annotations

from workshops.signup.commune_codes import match_typed_communes, site_commune
from workshops.signup.counts import counts_of, with_counts
from workshops.signup.demo import load_demo_workshops
from workshops.signup.models import HEARD_FROM, Attendance, Registration
from workshops.signup.ratelimit import forget_old_signup_attempts
from workshops.signup.reminders import send_due_reminders
from workshops.signup.workshop_changes import (
    cancel_session,
    cancel_workshop,
    change_capacity,
    move_session,
)

__all__ = [
    "HEARD_FROM",
    "Attendance",
    "Registration",
    "cancel_session",
    "cancel_workshop",
    "change_capacity",
    "counts_of",
    "forget_old_signup_attempts",
    "load_demo_workshops",
    "match_typed_communes",
    "move_session",
    "send_due_reminders",
    "site_commune",
    "with_counts",
]

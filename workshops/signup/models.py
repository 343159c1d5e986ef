"""Registrations of families [inscriptions], their attendance, reminders sent and sign-up attempts.

Personal fields (names, e-mail, phone, free text) sit in plain columns of `Registration` so the
privacy job can erase them in place; commune, children's months, attendance and dates stay.
The secret link of a registration is stored as the SHA-256 of its token, never the token itself.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from workshops.accounts import User
from workshops.kernel.i18n import N_
from workshops.planning import Session, Workshop

# How a family heard of the workshops (`Registration.heard_from`): the code stored, and the
# answer as the form and the evaluation show it.
HEARD_FROM = [
    ("pmi", N_("Par un professionnel de la PMI")),
    ("centre", N_("Par le centre qui accueille l'atelier")),
    ("proches", N_("Par des proches")),
    ("affiche", N_("Par une affiche ou un dépliant")),
    ("internet", N_("Sur internet")),
    ("autre", N_("Autrement")),
]


class RegistrationStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    EXCUSED = "excused"
    ABSENT = "absent"


class Registration(Model):
    """A sign-up of a family to a workshop [inscription], ids in order of arrival."""

    id = fields.IntField(primary_key=True)
    workshop: fields.ForeignKeyRelation[Workshop] = fields.ForeignKeyField(
        "workshops.Workshop", related_name="registrations", on_delete=fields.RESTRICT
    )
    workshop_id: int
    status = fields.CharEnumField(RegistrationStatus, max_length=12)
    places = fields.SmallIntField()
    parent_name = fields.CharField(max_length=150)
    email = fields.CharField(max_length=254)
    phone = fields.CharField(max_length=30, default="")
    # The INSEE code of the commune chosen from the official list, and its name; a family from
    # abroad, or a commune typed before the list, has no code and its name as typed.
    commune = fields.CharField(max_length=100)
    commune_code = fields.CharField(max_length=5, default="", db_default="")
    adults = fields.SmallIntField(default=1)
    # One item per child: {"born": "2026-03"} or {"expected": "2027-01"} (year-month only).
    children: fields.JSONField[list[dict[str, Any]]] = fields.JSONField(default=list)
    first_time = fields.BooleanField(default=True)
    heard_from = fields.CharField(max_length=40, default="")
    needs = fields.TextField(default="")
    reminders_consent = fields.BooleanField(default=False)
    token_hash = fields.CharField(max_length=64, unique=True)
    registered_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "workshops.User", related_name="registrations_made", null=True, on_delete=fields.SET_NULL
    )
    registered_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    confirmed_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)
    anonymised_at = fields.DatetimeField(null=True)
    # Set when the family is anonymised: a random key shared by all its registrations, so that
    # the evaluation still counts distinct and returning families once the e-mail is erased.
    family_key = fields.CharField(max_length=32, default="", db_default="")

    class Meta:
        table = "registration"
        ordering = ("id",)
        unique_together = (("workshop", "email"),)
        indexes = (Index(fields=("workshop_id", "status"), name="registration_workshop_status"),)


class Attendance(Model):
    """Whether a registered family came to one session [présence]."""

    id = fields.IntField(primary_key=True)
    registration: fields.ForeignKeyRelation[Registration] = fields.ForeignKeyField(
        "workshops.Registration", related_name="attendances", on_delete=fields.CASCADE
    )
    registration_id: int
    session: fields.ForeignKeyRelation[Session] = fields.ForeignKeyField(
        "workshops.Session", related_name="attendances", on_delete=fields.CASCADE
    )
    session_id: int
    status = fields.CharEnumField(AttendanceStatus, max_length=10)
    recorded_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "attendance"
        unique_together = (("registration", "session"),)
        # The unique pair leads with the registration; the evaluation also joins from sessions.
        indexes = (Index(fields=("session_id",), name="attendance_session"),)


class ReminderSent(Model):
    """A reminder queued for one registration and one session, never queued twice."""

    id = fields.IntField(primary_key=True)
    registration: fields.ForeignKeyRelation[Registration] = fields.ForeignKeyField(
        "workshops.Registration", related_name="reminders", on_delete=fields.CASCADE
    )
    registration_id: int
    session: fields.ForeignKeyRelation[Session] = fields.ForeignKeyField(
        "workshops.Session", related_name="reminders", on_delete=fields.CASCADE
    )
    session_id: int
    sent_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "session_reminder"
        unique_together = (("registration", "session"),)


class SignupAttempt(Model):
    """One public sign-up attempt from an address, counted by the per-IP rate limit."""

    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "signup_attempt"
        indexes = (Index(fields=("key", "created_at"), name="signup_attempt_key_time"),)

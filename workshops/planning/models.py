"""Themes, workshops and sessions [types d'atelier, ateliers, séances].

A workshop is what families sign up for; its sessions each sit in a room booking. The counters
`places_taken` (workshop) and `places_taken` (eligible commune) are only ever changed by the
conditional updates of `workshops.signup.capacity` (rule 1).
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from workshops.accounts import Organisation, User
from workshops.rooms import RoomBooking


class WorkshopStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    DONE = "done"


class Theme(Model):
    """A kind of workshop [type d’atelier], managed by coordinators."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120, unique=True)
    description = fields.TextField(default="")
    prenatal = fields.BooleanField(default=False)
    min_age_months = fields.SmallIntField(null=True)
    max_age_months = fields.SmallIntField(null=True)
    default_duration_minutes = fields.SmallIntField(default=90)
    default_group_size = fields.SmallIntField(default=8)
    what_to_bring = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "theme"
        ordering = ("name",)


class Workshop(Model):
    """What families sign up for [atelier], draft then published then cancelled or done."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "workshops.Organisation", related_name="workshops", on_delete=fields.RESTRICT
    )
    organisation_id: int
    theme: fields.ForeignKeyRelation[Theme] = fields.ForeignKeyField(
        "workshops.Theme", related_name="workshops", on_delete=fields.RESTRICT
    )
    theme_id: int
    title = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    capacity = fields.SmallIntField()
    places_taken = fields.SmallIntField(default=0)
    prenatal = fields.BooleanField(default=False)
    min_age_months = fields.SmallIntField(null=True)
    max_age_months = fields.SmallIntField(null=True)
    registration_opens_at = fields.DatetimeField(null=True)
    registration_closes_at = fields.DatetimeField(null=True)
    status = fields.CharEnumField(WorkshopStatus, max_length=12, default=WorkshopStatus.DRAFT)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "workshops.User", related_name="created_workshops", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    cancel_reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    sessions: fields.ReverseRelation[Session]
    communes: fields.ReverseRelation[EligibleCommune]
    facilitators: fields.ReverseRelation[Facilitation]

    class Meta:
        table = "workshop"
        ordering = ("id",)
        indexes = (Index(fields=("status", "organisation_id"), name="workshop_status_org"),)

    @property
    def places_left(self) -> int:
        left: int = self.capacity - self.places_taken
        return max(0, left)


class Facilitation(Model):
    """A facilitator who leads a workshop [animatrice], the first one or a co-facilitator."""

    id = fields.IntField(primary_key=True)
    workshop: fields.ForeignKeyRelation[Workshop] = fields.ForeignKeyField(
        "workshops.Workshop", related_name="facilitators", on_delete=fields.CASCADE
    )
    workshop_id: int
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "workshops.User", related_name="facilitations", on_delete=fields.RESTRICT
    )
    user_id: int

    class Meta:
        table = "workshop_facilitator"
        unique_together = (("workshop", "user"),)


class EligibleCommune(Model):
    """A commune whose residents may sign up, with an optional quota of places."""

    id = fields.IntField(primary_key=True)
    workshop: fields.ForeignKeyRelation[Workshop] = fields.ForeignKeyField(
        "workshops.Workshop", related_name="communes", on_delete=fields.CASCADE
    )
    workshop_id: int
    commune = fields.CharField(max_length=100)
    # The INSEE code from the official list; empty for a name kept from before the list.
    commune_code = fields.CharField(max_length=5, default="", db_default="")
    quota = fields.SmallIntField(null=True)
    places_taken = fields.SmallIntField(default=0)

    class Meta:
        table = "workshop_commune"
        unique_together = (("workshop", "commune"),)


class Session(Model):
    """One meeting of a workshop [séance], held in a room booking.

    The sequence is the calendar SEQUENCE, raised on every change families must see.
    """

    id = fields.IntField(primary_key=True)
    workshop: fields.ForeignKeyRelation[Workshop] = fields.ForeignKeyField(
        "workshops.Workshop", related_name="sessions", on_delete=fields.CASCADE
    )
    workshop_id: int
    booking: fields.ForeignKeyRelation[RoomBooking] = fields.ForeignKeyField(
        "workshops.RoomBooking", related_name="sessions", on_delete=fields.RESTRICT
    )
    booking_id: int
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    sequence = fields.IntField(default=0)
    cancelled_at = fields.DatetimeField(null=True)
    cancel_reason = fields.TextField(default="")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "workshop_session"
        ordering = ("starts_at",)
        indexes = (
            Index(fields=("workshop_id", "starts_at"), name="session_workshop_start"),
            Index(fields=("starts_at",), name="session_start"),
            # The evaluation finds the session (if any) that used each booking of a room.
            Index(fields=("booking_id",), name="session_booking"),
        )

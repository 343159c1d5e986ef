"""Premises lent by partner centres and the bookings made in them.

A centre describes its sites and rooms, when each room is offered (weekly windows in local
wall-clock time) and when it is closed; PMI facilitators ask for a room for a time range, and the
centre confirms or declines. Times of bookings are aware UTC datetimes; windows are minutes after
local midnight, so that 9:00 stays 9:00 on both sides of a daylight-saving change.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from enum import StrEnum

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from workshops.accounts import Organisation, User

# The name of the PostgreSQL exclusion constraint of rule 3, written in the migration by hand.
NO_OVERLAP_CONSTRAINT = "room_booking_no_overlap"


class Equipment(StrEnum):
    MATS = "mats"
    CHANGING_TABLE = "changing_table"
    SINK = "sink"
    FURNITURE = "furniture"


class ClosureSource(StrEnum):
    MANUAL = "manual"
    ICS = "ics"


class BookingStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class Site(Model):
    """An address of a centre [lieu]."""

    id = fields.IntField(primary_key=True)
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "workshops.Organisation", related_name="sites", on_delete=fields.RESTRICT
    )
    organisation_id: int
    name = fields.CharField(max_length=150)
    address = fields.CharField(max_length=250)
    postcode = fields.CharField(max_length=10, default="")
    commune = fields.CharField(max_length=100)
    # INSEE code of the commune chosen from the official list; "" when kept as typed.
    commune_code = fields.CharField(max_length=5, default="", db_default="")
    access_notes = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    rooms: fields.ReverseRelation[Room]

    class Meta:
        table = "site"
        ordering = ("name",)
        unique_together = (("organisation", "name"),)


class Room(Model):
    """A room of a site [salle], lent free of charge: `hourly_value` values the loan."""

    id = fields.IntField(primary_key=True)
    site: fields.ForeignKeyRelation[Site] = fields.ForeignKeyField(
        "workshops.Site", related_name="rooms", on_delete=fields.RESTRICT
    )
    site_id: int
    name = fields.CharField(max_length=150)
    capacity = fields.IntField()
    surface_m2 = fields.IntField(null=True)
    # Codes of `Equipment`; a handful per room, filtered in Python.
    equipment: fields.JSONField[list[str]] = fields.JSONField(default=list)
    step_free = fields.BooleanField(default=False)
    accessibility_notes = fields.TextField(default="")
    hourly_value = fields.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "room"
        ordering = ("name",)
        unique_together = (("site", "name"),)


class Availability(Model):
    """A weekly window when a room is offered [disponibilité], between two dates."""

    id = fields.IntField(primary_key=True)
    room: fields.ForeignKeyRelation[Room] = fields.ForeignKeyField(
        "workshops.Room", related_name="availabilities", on_delete=fields.CASCADE
    )
    room_id: int
    weekday = fields.SmallIntField()  # 0 = Monday, as `date.weekday()`
    start_minute = fields.SmallIntField()  # minutes after local midnight
    end_minute = fields.SmallIntField()
    valid_from = fields.DateField()
    valid_until = fields.DateField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "room_availability"
        ordering = ("weekday", "start_minute")
        indexes = (Index(fields=("room_id", "weekday"), name="room_availability_room_day"),)

    @property
    def starts(self) -> time:
        return time(self.start_minute // 60, self.start_minute % 60)

    @property
    def ends(self) -> time:
        return time(self.end_minute // 60, self.end_minute % 60)


class Closure(Model):
    """Days when a site, or one of its rooms, is closed [fermeture], both dates included."""

    id = fields.IntField(primary_key=True)
    site: fields.ForeignKeyRelation[Site] = fields.ForeignKeyField(
        "workshops.Site", related_name="closures", on_delete=fields.CASCADE
    )
    site_id: int
    room: fields.ForeignKeyNullableRelation[Room] = fields.ForeignKeyField(
        "workshops.Room", related_name="closures", null=True, on_delete=fields.CASCADE
    )
    room_id: int | None
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    reason = fields.CharField(max_length=200)
    source = fields.CharEnumField(ClosureSource, max_length=10, default=ClosureSource.MANUAL)
    # The UID of the imported calendar event: importing the same file twice adds nothing.
    import_uid = fields.CharField(max_length=255, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "room_closure"
        ordering = ("starts_on",)
        indexes = (Index(fields=("site_id", "starts_on"), name="room_closure_site_start"),)


class RoomBooking(Model):
    """A room for a time range, asked by a facilitator [réservation de salle].

    `pending -> confirmed | declined`, `confirmed -> cancelled`. No two confirmed bookings of one
    room overlap (rule 3): checked by the service, and on PostgreSQL by `NO_OVERLAP_CONSTRAINT`.
    """

    id = fields.IntField(primary_key=True)
    room: fields.ForeignKeyRelation[Room] = fields.ForeignKeyField(
        "workshops.Room", related_name="bookings", on_delete=fields.RESTRICT
    )
    room_id: int
    requested_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "workshops.User", related_name="room_bookings", on_delete=fields.RESTRICT
    )
    requested_by_id: int
    # The requester's PMI organisation: its members may follow and cancel the booking.
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "workshops.Organisation", related_name="room_bookings", on_delete=fields.RESTRICT
    )
    organisation_id: int
    # Shared by the bookings of one weekly series, empty for a single slot.
    series = fields.CharField(max_length=32, default="")
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    status = fields.CharEnumField(BookingStatus, max_length=12, default=BookingStatus.PENDING)
    # The iCalendar SEQUENCE: raised on every decision and cancellation, so that calendar
    # programs replace the version they hold (a booking keeps one UID all its life).
    sequence = fields.IntField(default=0, db_default=0)
    message = fields.TextField(default="")
    decided_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "workshops.User", related_name="room_decisions", null=True, on_delete=fields.SET_NULL
    )
    decided_by_id: int | None
    decided_at = fields.DatetimeField(null=True)
    decline_reason = fields.TextField(default="")
    cancelled_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "workshops.User", related_name="room_cancellations", null=True, on_delete=fields.SET_NULL
    )
    cancelled_by_id: int | None
    cancelled_at = fields.DatetimeField(null=True)
    cancel_reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "room_booking"
        ordering = ("starts_at",)
        indexes = (
            Index(fields=("room_id", "starts_at"), name="room_booking_room_start"),
            Index(fields=("status", "starts_at"), name="room_booking_status_start"),
            Index(fields=("series",), name="room_booking_series"),
            Index(fields=("requested_by_id", "starts_at"), name="room_booking_requester"),
        )

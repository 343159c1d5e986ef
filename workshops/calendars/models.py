"""Secret addresses of the private calendar feeds: one per facilitator, organisation or room.

The token is kept as it is, not hashed, because its owner must be able to copy the address again
into another calendar program; whoever can read the database already sees every session anyway, so
a hash would protect nothing here. Regenerating the token ends the old address at once.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from workshops.accounts import Organisation, User
from workshops.rooms import Room


class CalendarFeed(Model):
    """Exactly one owner is set: a user, an organisation or a room (what each feed shows)."""

    id = fields.IntField(primary_key=True)
    token = fields.CharField(max_length=64, unique=True)
    user: fields.OneToOneNullableRelation[User] = fields.OneToOneField(
        "workshops.User", related_name="calendar_feed", null=True, on_delete=fields.CASCADE
    )
    organisation: fields.OneToOneNullableRelation[Organisation] = fields.OneToOneField(
        "workshops.Organisation",
        related_name="calendar_feed",
        null=True,
        on_delete=fields.CASCADE,
    )
    # A room's feed belongs to its centre's managers: they see it on the room page.
    room: fields.OneToOneNullableRelation[Room] = fields.OneToOneField(
        "workshops.Room", related_name="calendar_feed", null=True, on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "calendar_feed"

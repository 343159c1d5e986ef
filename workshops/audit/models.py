"""The audit log: who did what to which object, and when.

The audit sits under every domain and imports none: its actor and organisation are named by
Tortoise's references (`workshops.User`, `workshops.Organisation`), typed as any model here.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model


class AuditEvent(Model):
    id = fields.BigIntField(primary_key=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    actor: fields.ForeignKeyNullableRelation[Model] = fields.ForeignKeyField(
        "workshops.User", related_name="audit_events", null=True, on_delete=fields.SET_NULL
    )
    # The actor's e-mail at the time, kept if the account is deleted later.
    actor_label = fields.CharField(max_length=254, default="")
    action = fields.CharField(max_length=60)
    object_type = fields.CharField(max_length=60, default="")
    object_id = fields.CharField(max_length=60, default="")
    organisation: fields.ForeignKeyNullableRelation[Model] = fields.ForeignKeyField(
        "workshops.Organisation", related_name="audit_events", null=True, on_delete=fields.SET_NULL
    )
    summary = fields.CharField(max_length=300, default="")
    details: dict[str, Any] = fields.JSONField(default=dict)
    ip_address = fields.CharField(max_length=45, default="")

    class Meta:
        table = "audit_event"
        ordering = ("-created_at", "-id")
        indexes = (
            Index(fields=("created_at",), name="audit_event_time"),
            Index(fields=("organisation_id", "created_at"), name="audit_event_org_time"),
        )

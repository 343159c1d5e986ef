"""Partnership conventions [conventions de partenariat], their rooms, documents and reminders.

A convention binds the PMI organisation and one partner (a centre, or a funder). Its status is not
stored: it is derived from its dates by `workshops.partners.terms`, so it can never be stale.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from workshops.accounts import Organisation, User
from workshops.rooms import Room


class DocumentKind(StrEnum):
    SIGNED_CONVENTION = "signed_convention"
    INSURANCE = "insurance"


class ReminderKind(StrEnum):
    NOTICE = "notice"
    RENEWAL = "renewal"
    END = "end"
    CERTIFICATE = "certificate"


class Convention(Model):
    """A partnership convention between the PMI and a partner organisation."""

    id = fields.IntField(primary_key=True)
    pmi: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "workshops.Organisation", related_name="pmi_conventions", on_delete=fields.RESTRICT
    )
    pmi_id: int
    partner: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "workshops.Organisation", related_name="partner_conventions", on_delete=fields.RESTRICT
    )
    partner_id: int
    # The number given by the deliberation, e.g. CP/2020/112; optional.
    reference = fields.CharField(max_length=50, default="")
    starts_on = fields.DateField()
    term_months = fields.SmallIntField(default=12)
    tacit_renewal = fields.BooleanField(default=True)
    max_years = fields.SmallIntField(default=5)
    notice_months = fields.SmallIntField(default=3)
    # Clause code (see `workshops.partners.clauses`) -> text agreed by both parties.
    clauses: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    signed_on = fields.DateField(null=True)
    # Last day the convention applies, once a party has terminated it.
    terminated_on = fields.DateField(null=True)
    termination_reason = fields.TextField(default="")
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "workshops.User", related_name="conventions_created", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    convention_rooms: fields.ReverseRelation[ConventionRoom]
    documents: fields.ReverseRelation[ConventionDocument]

    class Meta:
        table = "convention"
        ordering = ("-starts_on", "id")
        indexes = (
            Index(fields=("pmi_id",), name="convention_pmi"),
            Index(fields=("partner_id",), name="convention_partner"),
        )


class ConventionRoom(Model):
    """A room of the partner centre covered by a convention."""

    id = fields.IntField(primary_key=True)
    convention: fields.ForeignKeyRelation[Convention] = fields.ForeignKeyField(
        "workshops.Convention", related_name="convention_rooms", on_delete=fields.CASCADE
    )
    convention_id: int
    room: fields.ForeignKeyRelation[Room] = fields.ForeignKeyField(
        "workshops.Room", related_name="convention_rooms", on_delete=fields.RESTRICT
    )
    room_id: int

    class Meta:
        table = "convention_room"
        unique_together = (("convention", "room"),)


class ConventionDocument(Model):
    """A PDF attached to a convention: the signed convention, or a party insurance certificate.

    The file lives under DATA_DIR/documents with a random name; the uploaded name is only shown.
    """

    id = fields.IntField(primary_key=True)
    convention: fields.ForeignKeyRelation[Convention] = fields.ForeignKeyField(
        "workshops.Convention", related_name="documents", on_delete=fields.RESTRICT
    )
    convention_id: int
    kind = fields.CharEnumField(DocumentKind, max_length=20)
    # The insured party, for an insurance certificate.
    party: fields.ForeignKeyNullableRelation[Organisation] = fields.ForeignKeyField(
        "workshops.Organisation", related_name="convention_documents", null=True,
        on_delete=fields.RESTRICT,
    )  # fmt: skip
    party_id: int | None
    expires_on = fields.DateField(null=True)
    stored_name = fields.CharField(max_length=64, unique=True)
    original_name = fields.CharField(max_length=200)
    size = fields.IntField()
    uploaded_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "workshops.User", related_name="convention_documents", null=True, on_delete=fields.SET_NULL
    )
    uploaded_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "convention_document"
        ordering = ("-uploaded_at", "-id")
        indexes = (Index(fields=("convention_id", "kind"), name="convention_document_kind"),)


class ConventionReminder(Model):
    """A reminder e-mailed to both parties: the unique key makes each one go out once."""

    id = fields.IntField(primary_key=True)
    convention: fields.ForeignKeyRelation[Convention] = fields.ForeignKeyField(
        "workshops.Convention", related_name="reminders", on_delete=fields.CASCADE
    )
    convention_id: int
    kind = fields.CharEnumField(ReminderKind, max_length=20)
    due_on = fields.DateField()
    # The certificate id for a certificate reminder, empty otherwise.
    reference = fields.CharField(max_length=20, default="")
    recipients: fields.JSONField[list[str]] = fields.JSONField(default=list)
    sent_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "convention_reminder"
        unique_together = (("convention", "kind", "due_on", "reference"),)

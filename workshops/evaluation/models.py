"""The yearly evaluation record of a convention [bilan signé].

The figures are frozen as JSON when the first party signs, so the signed record never moves when
data changes later; the page then shows the signed and the current figures side by side.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from workshops.accounts import User
from workshops.partners import Convention


class EvaluationRecord(Model):
    """The evaluation of one convention year, signed by both parties."""

    id = fields.IntField(primary_key=True)
    convention: fields.ForeignKeyRelation[Convention] = fields.ForeignKeyField(
        "workshops.Convention", related_name="evaluations", on_delete=fields.RESTRICT
    )
    convention_id: int
    # The convention year, by the calendar year in which it starts.
    year = fields.SmallIntField()
    figures: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    frozen_at = fields.DatetimeField(null=True)
    pmi_comment = fields.TextField(default="")
    pmi_signed_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "workshops.User", related_name="pmi_evaluations", null=True, on_delete=fields.SET_NULL
    )
    pmi_signed_by_id: int | None
    pmi_signed_at = fields.DatetimeField(null=True)
    partner_comment = fields.TextField(default="")
    partner_signed_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "workshops.User", related_name="partner_evaluations", null=True, on_delete=fields.SET_NULL
    )
    partner_signed_by_id: int | None
    partner_signed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "evaluation_record"
        ordering = ("-year",)
        unique_together = (("convention", "year"),)


class KeptFigures(Model):
    """The figures of one finished period for one scope, computed once and kept until a change
    to their data makes the database forget them (`evaluation.kept`, `evaluation.forgetting`).

    `token` names the computation that may fill the row; the database's triggers empty it (and
    `figures`) on every change that can move the figures, so a computation that read the data
    before such a change can never keep what it found. A row with an empty token is stale: the
    worker computes it again.
    """

    id = fields.IntField(primary_key=True)
    # A digest of the frame (scope, time zone, period): one row per frame ever asked for.
    key = fields.CharField(max_length=64, unique=True)
    # The frame itself, so that the worker can compute a stale row again.
    frame: fields.JSONField[dict[str, Any]] = fields.JSONField()
    # The UTC end of the period: a change dated before it can move the figures.
    ends_at = fields.DatetimeField()
    token = fields.CharField(max_length=32, default="")
    figures: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)
    kept_at = fields.DatetimeField(null=True)
    asked_at = fields.DatetimeField()

    class Meta:
        table = "evaluation_kept"

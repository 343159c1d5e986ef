"""The audit domain."""

from __future__ import annotations

from workshops.audit.models import AuditEvent
from workshops.audit.service import SYSTEM, Actor, record_event

__all__ = [
    "SYSTEM",
    "Actor",
    "AuditEvent",
    "record_event",
]

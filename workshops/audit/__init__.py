"""The audit log of staff actions: `record_event` in the transaction of the change it records."""

from __future__ import annotations

from workshops.audit.events import SYSTEM, Actor, record_event
from workshops.audit.models import AuditEvent

__all__ = [
    "SYSTEM",
    "Actor",
    "AuditEvent",
    "record_event",
]

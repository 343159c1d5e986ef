"""The audit domain."""

from __future__ import annotations

from workshops.audit.events import SYSTEM, Actor, record_event
from workshops.audit.models import AuditEvent

__all__ = [
    "SYSTEM",
    "Actor",
    "AuditEvent",
    "record_event",
]

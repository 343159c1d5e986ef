"""Writing and reading the audit log of staff actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from workshops.audit.models import AuditEvent


class Someone(Protocol):
    """What the audit needs of a staff member; `workshops.accounts.Staff` is one. The audit sits
    under every domain, `accounts` included, and imports none of them."""

    @property
    def id(self) -> int: ...

    @property
    def email(self) -> str: ...

    @property
    def full_name(self) -> str: ...


@dataclass(frozen=True)
class Actor:
    """Who acts, and from where: a staff member, or the platform itself (`staff=None`)."""

    staff: Someone | None
    ip_address: str = ""


SYSTEM = Actor(staff=None)


async def record_event(
    *,
    actor: Actor,
    action: str,
    summary: str,
    object_type: str = "",
    object_id: int | str = "",
    organisation_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event; call it inside the transaction of the change it records."""
    return await AuditEvent.create(
        actor_id=actor.staff.id if actor.staff else None,
        actor_label=actor.staff.email if actor.staff else "plateforme",
        action=action,
        summary=summary[:300],
        object_type=object_type,
        object_id=str(object_id),
        organisation_id=organisation_id,
        details=details or {},
        ip_address=actor.ip_address[:45],
    )


async def list_events(
    *, organisation_id: int | None = None, action: str = "", offset: int = 0, limit: int = 50
) -> tuple[list[AuditEvent], int]:
    """One page of events, newest first, with the total count for pagination."""
    query = AuditEvent.all()
    if organisation_id is not None:
        query = query.filter(organisation_id=organisation_id)
    if action:
        query = query.filter(action=action)
    total = await query.count()
    events = await query.offset(offset).limit(limit).prefetch_related("organisation")
    return list(events), total

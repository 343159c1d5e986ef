"""Workshop themes, workshops and their sessions, planned by PMI facilitators (issue 5)."""

from __future__ import annotations

from workshops.planning.closing import close_finished_workshops
from workshops.planning.communes import is_commune
from workshops.planning.locking import lock_workshop
from workshops.planning.models import (
    EligibleCommune,
    Facilitation,
    Session,
    Theme,
    Workshop,
    WorkshopStatus,
)
from workshops.planning.plans import add_eligible_commune, usable_bookings
from workshops.planning.queries import Counts, WorkshopRow, find_session, find_workshop
from workshops.planning.schedule import (
    SESSION_JOIN,
    first_session_start,
    place_of,
    session_columns,
    session_event,
    session_from_columns,
    sessions_of,
    unconfirmed_workshop_ids,
    visible_with,
)
from workshops.planning.themes import seed_usual_themes

__all__ = [
    "SESSION_JOIN",
    "Counts",
    "EligibleCommune",
    "Facilitation",
    "Session",
    "Theme",
    "Workshop",
    "WorkshopRow",
    "WorkshopStatus",
    "add_eligible_commune",
    "close_finished_workshops",
    "find_session",
    "find_workshop",
    "first_session_start",
    "is_commune",
    "lock_workshop",
    "place_of",
    "seed_usual_themes",
    "session_columns",
    "session_event",
    "session_from_columns",
    "sessions_of",
    "unconfirmed_workshop_ids",
    "usable_bookings",
    "visible_with",
]

"""Room sharing: centres describe and offer their rooms, PMI facilitators ask, centres decide.

- `models`: sites, rooms, weekly availability windows, closures, bookings;
- `premises`: sites and rooms as a centre describes them;
- `offers`: weekly windows and closures, `ics_import`: closures from a calendar file;
- `availability`: when a room is free (local wall-clock windows, closures, bookings);
- `requesting`: asking for one slot or a weekly series;
- `booking`: confirming (DESIGN rule 3, under `locking`), declining, cancelling;
- `inbox`: reading bookings, the centre's pending requests and who may see what;
- `week`: week views; `notifications`: every message the rules cause, in one place;
- `parsing`: reading dates and numbers typed in forms; `pages/`: the routes, views, guards.
"""

from __future__ import annotations

from workshops.rooms.availability import local_instant
from workshops.rooms.calendar_events import (
    centre_or_requester_events,
    requester_events,
    room_events,
)
from workshops.rooms.models import (
    Availability,
    BookingStatus,
    Closure,
    Equipment,
    Room,
    RoomBooking,
    Site,
)
from workshops.rooms.parsing import read_date, read_whole_number
from workshops.rooms.premises import get_room

__all__ = [
    "Availability",
    "BookingStatus",
    "Closure",
    "Equipment",
    "Room",
    "RoomBooking",
    "Site",
    "centre_or_requester_events",
    "get_room",
    "local_instant",
    "read_date",
    "read_whole_number",
    "requester_events",
    "room_events",
]

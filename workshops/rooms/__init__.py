"""Room sharing: centres describe and offer their rooms, PMI facilitators ask, centres decide.

models (the records), premises (sites and rooms), offers (weekly windows, closures),
ics_import (closures from a calendar file), availability (when a room is free), booking
(requests and decisions, rule 3), locking (one room at a time), week (week views),
notifications (every message, in one place), and the views of each.
"""

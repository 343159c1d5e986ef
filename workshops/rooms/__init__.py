"""Room sharing: centres describe and offer their rooms, PMI facilitators ask, centres decide.

- `models`: sites, rooms, weekly availability windows, closures, bookings;
- `premises`: sites and rooms as a centre describes them;
- `offers`: weekly windows and closures, `ics_import`: closures from a calendar file;
- `availability`: when a room is free (local wall-clock windows, closures, bookings);
- `requesting`: asking for one slot or a weekly series;
- `booking`: confirming (DESIGN rule 3, under `locking`), declining, cancelling;
- `inbox`: reading bookings, the centre's pending requests and who may see what;
- `week`: week views; `notifications`: every message the rules cause, in one place;
- `*_views`, `guards`, `parsing`: the pages, their access checks and form readers.
"""

"""Closures read from an uploaded `.ics` calendar (school holidays, works), for a preview.

The file comes from anywhere: whatever it holds, the answer is a list of whole-day closures or
one French sentence saying why the file cannot be used, never an exception. The preview carries
the closures to the import step as JSON in a hidden field (`dump_drafts`, `load_drafts`), so no
server memory is needed between the two requests; the import checks them again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from workshops.kernel.i18n import _
from workshops.kernel.validation import Invalid

MAX_FILE_BYTES = 1024 * 1024
MAX_EVENTS = 500
FIELD = "file"


@dataclass(frozen=True)
class ClosureDraft:
    starts_on: date
    ends_on: date
    reason: str
    uid: str = ""
    repeats: bool = False


def _unreadable() -> Invalid:
    return Invalid({FIELD: _("Ce fichier n'est pas un calendrier .ics lisible.")})


def _local_day(value: date | datetime, zone: ZoneInfo) -> date:
    if isinstance(value, datetime):
        return (value.astimezone(zone) if value.tzinfo else value).date()
    return value


def _value(event: icalendar.cal.Component, name: str) -> object:
    """The parsed value of a property, or None when it is missing or broken."""
    try:
        return getattr(event.get(name), "dt", None)
    except ValueError:  # icalendar's BrokenCalendarProperty
        return None


def _draft(event: icalendar.cal.Component, zone: ZoneInfo) -> ClosureDraft:
    summary = str(event.get("SUMMARY", "")).strip()[:200] or _("Fermeture")
    start, end, duration = (_value(event, name) for name in ("DTSTART", "DTEND", "DURATION"))
    if not isinstance(start, date):
        raise Invalid({FIELD: _("L'événement « %(name)s » n'a pas de date lisible.", name=summary)})
    if not isinstance(end, date):
        end = start + duration if isinstance(duration, timedelta) else None
    starts_on = _local_day(start, zone)
    if end is None:
        ends_on = starts_on
    elif isinstance(end, datetime):
        # An end instant belongs to the day before when it is midnight exactly.
        ends_on = _local_day(end - timedelta(microseconds=1), zone)
    else:
        ends_on = end - timedelta(days=1)  # DTEND of a whole-day event is exclusive
    return ClosureDraft(
        starts_on=starts_on,
        ends_on=max(starts_on, ends_on),
        reason=summary,
        uid=str(event.get("UID", "")).strip()[:255],
        repeats=event.get("RRULE") is not None,
    )


def parse_closures(data: bytes, *, zone: ZoneInfo, today: date) -> list[ClosureDraft]:
    """The closures of the calendar that are not over yet, in date order."""
    if not data.strip():
        raise Invalid({FIELD: _("Choisissez un fichier .ics.")})
    if len(data) > MAX_FILE_BYTES:
        raise Invalid(
            {FIELD: _("Le fichier dépasse 1 Mo : ce n'est pas un calendrier de fermetures.")}
        )
    try:
        calendar = icalendar.Calendar.from_ical(data)
        events = list(calendar.walk("VEVENT")) if calendar.name == "VCALENDAR" else None
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        raise _unreadable() from None
    if events is None:
        raise _unreadable()
    if len(events) > MAX_EVENTS:
        raise Invalid({FIELD: _("Le fichier compte plus de %(n)s événements.", n=MAX_EVENTS)})
    try:
        drafts = [_draft(event, zone) for event in events]
    except (OverflowError, TypeError):  # dates at the edge of the calendar, mixed date types
        raise _unreadable() from None
    upcoming = [draft for draft in drafts if draft.ends_on >= today]
    if not upcoming:
        raise Invalid({FIELD: _("Ce calendrier ne contient aucune fermeture à venir.")})
    return sorted(upcoming, key=lambda draft: (draft.starts_on, draft.ends_on))


def dump_drafts(drafts: list[ClosureDraft]) -> str:
    return json.dumps(
        [[d.starts_on.isoformat(), d.ends_on.isoformat(), d.reason, d.uid] for d in drafts],
        ensure_ascii=False,
    )


def load_drafts(raw: str) -> list[ClosureDraft]:
    """The closures a preview carried; anything tampered with is refused as a whole."""
    try:
        rows = json.loads(raw)
        drafts = [
            ClosureDraft(date.fromisoformat(start), date.fromisoformat(end), str(reason), str(uid))
            for start, end, reason, uid in rows
        ]
    except (ValueError, TypeError):
        raise Invalid(
            {FIELD: _("L'aperçu a expiré ou a été modifié : envoyez le fichier à nouveau.")}
        ) from None
    if not drafts or len(drafts) > MAX_EVENTS:
        raise Invalid(
            {FIELD: _("L'aperçu a expiré ou a été modifié : envoyez le fichier à nouveau.")}
        )
    return drafts

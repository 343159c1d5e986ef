"""The date rules of a convention: its terms, renewals, notice deadlines and status.

Pure functions of the convention's dates and a day, so every rule is tested without a database.
Days are local calendar days (Europe/Paris); "last day" always means the last day the convention
applies, included.

- A convention runs in terms of `term_months` (12) from `starts_on`. With tacit renewal it is
  renewed at each anniversary (the *renewal dates*: start + 1 term, + 2 terms...) up to its
  maximum duration of `max_years` (5): its natural last day is the day before start + 5 years,
  and the last term is cut at that day if the terms do not fit exactly. Without tacit renewal it
  ends after its first term (the maximum duration still caps it).
- The *notice deadline* of a renewal date is that date minus `notice_months` (3): notice given on
  or before it stops the convention at the end of the current term; after it, at the end of the
  next one (`earliest_end_with_notice`).
- A termination records the last day the convention applies (`terminated_on`); no renewal happens
  after it.

Status on a given day:
1. `draft`: not signed yet (no signature date).
2. `terminated`: terminated, and the day is after its `terminated_on`.
3. `ended`: the day is after its natural last day.
4. `ending`: signed and still applying, and either a termination is recorded (notice given), or
   the day falls in the last term (the one that ends at the 5-year cap, or the only term of a
   convention without tacit renewal: not renewed).
5. `active`: otherwise, including a signed convention whose start date is still to come.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

ONE_DAY = timedelta(days=1)


class ConventionStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ENDING = "ending"
    ENDED = "ended"
    TERMINATED = "terminated"


@dataclass(frozen=True)
class Terms:
    starts_on: date
    term_months: int = 12
    tacit_renewal: bool = True
    max_years: int = 5
    notice_months: int = 3
    signed_on: date | None = None
    terminated_on: date | None = None


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier); the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def natural_last_day(terms: Terms) -> date:
    """The last day without termination: the 5-year cap, or the end of the only term."""
    cap = add_months(terms.starts_on, 12 * terms.max_years)
    if not terms.tacit_renewal:
        return min(cap, add_months(terms.starts_on, terms.term_months)) - ONE_DAY
    return cap - ONE_DAY


def last_day(terms: Terms) -> date:
    """The last day the convention applies, termination included."""
    natural = natural_last_day(terms)
    if terms.terminated_on is not None:
        return min(natural, terms.terminated_on)
    return natural


def _term_starts(terms: Terms) -> list[date]:
    """The first day of each term until the natural end: start, then each anniversary."""
    starts = [terms.starts_on]
    end = natural_last_day(terms)
    while True:
        following = add_months(terms.starts_on, terms.term_months * len(starts))
        if following > end:
            return starts
        starts.append(following)


def renewal_dates(terms: Terms) -> list[date]:
    """Days when a new term begins by tacit renewal, none after a termination."""
    return [day for day in _term_starts(terms)[1:] if day <= last_day(terms)]


def notice_deadline(terms: Terms, renewal: date) -> date:
    """The last day to give notice so that the convention is not renewed on `renewal`."""
    return add_months(renewal, -terms.notice_months)


def last_term_starts_on(terms: Terms) -> date:
    return _term_starts(terms)[-1]


def status_on(terms: Terms, today: date) -> ConventionStatus:
    if terms.signed_on is None:
        return ConventionStatus.DRAFT
    if terms.terminated_on is not None and today > terms.terminated_on:
        return ConventionStatus.TERMINATED
    if today > natural_last_day(terms):
        return ConventionStatus.ENDED
    if terms.terminated_on is not None or today >= last_term_starts_on(terms):
        return ConventionStatus.ENDING
    return ConventionStatus.ACTIVE


def earliest_end_with_notice(terms: Terms, today: date) -> date:
    """The earliest last day if notice is given `today`: the eve of the first renewal whose
    notice deadline is not past, or the natural last day when no such renewal is left."""
    for renewal in renewal_dates(terms):
        if renewal > today and notice_deadline(terms, renewal) >= today:
            return renewal - ONE_DAY
    return natural_last_day(terms)


@dataclass(frozen=True)
class Deadline:
    """A date both parties must know about: what happens, and a reference for certificates."""

    kind: str  # a `ReminderKind` value
    due_on: date
    reference: str = ""


def deadlines(terms: Terms) -> list[Deadline]:
    """Notice deadlines, renewals and the last day of a signed convention, in date order."""
    if terms.signed_on is None:
        return []
    found = [Deadline("end", last_day(terms))]
    if terms.terminated_on is None:
        for renewal in renewal_dates(terms):
            found.append(Deadline("renewal", renewal))
            found.append(Deadline("notice", notice_deadline(terms, renewal)))
    return sorted(found, key=lambda deadline: deadline.due_on)

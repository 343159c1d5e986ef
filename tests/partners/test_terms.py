"""The date rules of a convention, on the founding Bas-Rhin case: signed in June 2025, in force
from 1 September 2025 for a year, renewed tacitly up to five years, three months' notice."""

from __future__ import annotations

from datetime import date

import pytest

from workshops.partners.terms import (
    ConventionStatus,
    Deadline,
    Terms,
    add_months,
    deadlines,
    earliest_end_with_notice,
    last_day,
    natural_last_day,
    notice_deadline,
    renewal_dates,
    status_on,
)

FOUNDING = Terms(starts_on=date(2025, 9, 1), signed_on=date(2025, 6, 15))
ACTIVE, ENDING = ConventionStatus.ACTIVE, ConventionStatus.ENDING
ENDED, TERMINATED = ConventionStatus.ENDED, ConventionStatus.TERMINATED


def test_an_unsigned_convention_is_a_draft_whatever_the_day() -> None:
    draft = Terms(starts_on=date(2025, 9, 1))
    for day in (date(2025, 1, 1), date(2027, 1, 1), date(2031, 1, 1)):
        assert status_on(draft, day) is ConventionStatus.DRAFT
    assert deadlines(draft) == []


def test_the_founding_convention_is_renewed_four_times_and_ends_after_five_years() -> None:
    assert renewal_dates(FOUNDING) == [
        date(2026, 9, 1),
        date(2027, 9, 1),
        date(2028, 9, 1),
        date(2029, 9, 1),
    ]
    assert natural_last_day(FOUNDING) == last_day(FOUNDING) == date(2030, 8, 31)


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (date(2025, 6, 15), ACTIVE),  # signed, takes effect later
        (date(2025, 9, 1), ACTIVE),
        (date(2026, 8, 31), ACTIVE),  # eve of the first renewal
        (date(2026, 9, 1), ACTIVE),  # renewed
        (date(2029, 8, 31), ACTIVE),  # eve of the last term
        (date(2029, 9, 1), ENDING),  # the last term before the 5-year cap begins
        (date(2029, 9, 2), ENDING),
        (date(2030, 8, 30), ENDING),
        (date(2030, 8, 31), ENDING),  # its last day
        (date(2030, 9, 1), ENDED),  # the day after
        (date(2030, 9, 2), ENDED),
    ],
)
def test_status_across_renewals_and_the_five_year_cap(day: date, status: ConventionStatus) -> None:
    assert status_on(FOUNDING, day) is status


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (date(2025, 8, 31), ACTIVE),
        (date(2025, 9, 1), ENDING),  # its only term: not renewed
        (date(2026, 8, 31), ENDING),
        (date(2026, 9, 1), ENDED),
    ],
)
def test_a_convention_without_tacit_renewal_ends_after_its_first_term(
    day: date, status: ConventionStatus
) -> None:
    once = Terms(starts_on=date(2025, 9, 1), signed_on=date(2025, 6, 15), tacit_renewal=False)
    assert renewal_dates(once) == []
    assert status_on(once, day) is status


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (date(2026, 6, 10), ENDING),  # notice given: ending, though not in its last term
        (date(2027, 8, 30), ENDING),
        (date(2027, 8, 31), ENDING),  # its last day
        (date(2027, 9, 1), TERMINATED),  # the day after
    ],
)
def test_a_terminated_convention_is_ending_until_its_last_day_then_terminated(
    day: date, status: ConventionStatus
) -> None:
    terminated = Terms(
        starts_on=date(2025, 9, 1), signed_on=date(2025, 6, 15), terminated_on=date(2027, 8, 31)
    )
    assert status_on(terminated, day) is status
    assert renewal_dates(terminated) == [date(2026, 9, 1)]
    assert last_day(terminated) == date(2027, 8, 31)


def test_the_notice_deadline_is_the_renewal_date_minus_the_notice_period() -> None:
    assert notice_deadline(FOUNDING, date(2026, 9, 1)) == date(2026, 6, 1)
    # Notice given on the deadline still ends the convention at the end of the current term...
    assert earliest_end_with_notice(FOUNDING, date(2026, 5, 31)) == date(2026, 8, 31)
    assert earliest_end_with_notice(FOUNDING, date(2026, 6, 1)) == date(2026, 8, 31)
    # ...the day after, only at the end of the next one.
    assert earliest_end_with_notice(FOUNDING, date(2026, 6, 2)) == date(2027, 8, 31)
    # In the last term there is no renewal left to stop: the convention ends at the cap.
    assert earliest_end_with_notice(FOUNDING, date(2029, 10, 1)) == date(2030, 8, 31)


def test_deadlines_list_each_notice_deadline_and_renewal_then_the_last_day() -> None:
    found = deadlines(FOUNDING)
    assert found[:2] == [
        Deadline("notice", date(2026, 6, 1)),
        Deadline("renewal", date(2026, 9, 1)),
    ]
    assert found[-1] == Deadline("end", date(2030, 8, 31))
    assert len(found) == 9


def test_months_are_added_on_the_calendar_even_at_the_end_of_a_month() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2026, 9, 1), -3) == date(2026, 6, 1)
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)


def test_the_maximum_duration_caps_even_a_long_single_term() -> None:
    long_term = Terms(starts_on=date(2025, 1, 1), term_months=60, tacit_renewal=False, max_years=2)
    assert natural_last_day(long_term) == date(2026, 12, 31)


def test_terms_that_do_not_fit_the_cap_are_cut_at_the_cap() -> None:
    nine_months = Terms(starts_on=date(2025, 1, 1), signed_on=date(2025, 1, 1), term_months=9)
    assert natural_last_day(nine_months) == date(2029, 12, 31)
    assert renewal_dates(nine_months)[-1] == date(2029, 7, 1)
    assert status_on(nine_months, date(2029, 7, 1)) is ENDING
    assert status_on(nine_months, date(2029, 6, 30)) is ACTIVE

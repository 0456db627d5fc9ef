"""The proven reoffending windows, pinned to the day (rules/reoffending.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.errors import ConfigurationError
from saferhub.rules.periods import Month, Window
from saferhub.rules.reoffending import (
    ANNUAL_COHORT,
    QUARTERLY_COHORTS,
    cohort_windows,
    comparison_period,
    day,
    follow_up_last_day,
    in_follow_up,
    is_proven_reoffence,
    proven_in_time,
    proving_deadline,
    require_method,
    waiting_period_complete,
)

INDEX = date(2022, 3, 15)


def test_day_n_is_the_index_date_plus_n_days():
    assert day(INDEX, 0) == INDEX
    assert day(INDEX, 365) == date(2023, 3, 15)


@pytest.mark.parametrize(
    ("n", "counts"),
    [(0, False), (1, True), (200, True), (365, True), (366, False)],
)
def test_offence_counts_from_day_1_to_day_365(n, counts):
    assert in_follow_up(INDEX, day(INDEX, n)) is counts


def test_offence_before_the_index_date_never_counts():
    assert not in_follow_up(INDEX, INDEX - timedelta(days=1))


def test_follow_up_is_365_days_even_across_a_leap_day():
    assert follow_up_last_day(date(2023, 6, 1)) == date(2024, 5, 31)


def test_conviction_on_the_18_month_deadline_counts_and_the_day_after_does_not():
    deadline = proving_deadline(INDEX)
    assert deadline == date(2023, 9, 15)
    assert proven_in_time(INDEX, deadline)
    assert not proven_in_time(INDEX, deadline + timedelta(days=1))


def test_deadline_keeps_to_the_last_day_of_a_shorter_month():
    assert proving_deadline(date(2023, 8, 31)) == date(2025, 2, 28)
    assert proving_deadline(date(2022, 8, 31)) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("offence_day", "proven_on", "expected"),
    [
        (365, date(2023, 9, 15), True),
        (366, date(2023, 9, 15), False),
        (365, date(2023, 9, 16), False),
        (10, None, False),
        (0, date(2022, 4, 1), False),
    ],
)
def test_a_proven_reoffence_needs_both_windows(offence_day, proven_on, expected):
    assert is_proven_reoffence(INDEX, day(INDEX, offence_day), proven_on) is expected


def test_waiting_period_complete_only_when_data_reaches_the_last_deadline():
    assert waiting_period_complete(date(2022, 3, 31), date(2023, 9, 30))
    assert not waiting_period_complete(date(2022, 3, 31), date(2023, 9, 29))


@given(
    index=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
    offset=st.integers(min_value=-800, max_value=800),
)
def test_follow_up_is_exactly_days_1_to_365(index, offset):
    assert in_follow_up(index, index + timedelta(days=offset)) is (1 <= offset <= 365)


@given(index=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)))
def test_deadline_is_always_after_the_follow_up_and_18_calendar_months_on(index):
    deadline = proving_deadline(index)
    assert follow_up_last_day(index) < deadline
    assert 545 <= (deadline - index).days <= 550
    assert (deadline.year - index.year) * 12 + deadline.month - index.month == 18


# -- Cohort methods ------------------------------------------------------------------------

_months = st.builds(Month, st.integers(2000, 2040), st.integers(1, 12))


@given(_months, st.integers(1, 8))
def test_3_month_cohorts_split_a_period_into_consecutive_quarters(first, quarters):
    period = Window(first, first + (3 * quarters - 1))
    cohorts = cohort_windows(period, QUARTERLY_COHORTS)
    assert len(cohorts) == quarters
    assert all(len(c) == 3 for c in cohorts)
    assert [m for c in cohorts for m in c.months] == period.months


@given(_months, st.integers(1, 24))
def test_the_3_month_method_compares_with_a_year_earlier_and_the_old_one_with_just_before(
    first, length
):
    period = Window(first, first + (length - 1))
    assert comparison_period(period, QUARTERLY_COHORTS) == period.shifted(-12)
    assert comparison_period(period, ANNUAL_COHORT) == period.shifted(-length)
    assert cohort_windows(period, ANNUAL_COHORT) == (period,)


@given(_months, st.integers(1, 24).filter(lambda n: n % 3))
def test_a_period_that_is_not_whole_quarters_is_refused_by_the_3_month_method(first, length):
    with pytest.raises(ConfigurationError, match="whole number of 3-month cohorts"):
        cohort_windows(Window(first, first + (length - 1)), QUARTERLY_COHORTS)


def test_an_unknown_method_is_refused_naming_the_choices():
    with pytest.raises(ConfigurationError, match="'quarterly' is not a proven reoffending method"):
        require_method("quarterly")

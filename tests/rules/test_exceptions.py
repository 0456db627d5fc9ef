"""Monthly exceptions: a seasonal expected range from history (docs/exceptions.md)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saferhub.errors import ConfigurationError
from saferhub.rules.exceptions import (
    ExceptionSettings,
    Flag,
    MonthlyHistory,
    check_months,
    expected_count,
    expected_range,
)
from saferhub.rules.periods import Month, month_range

# A borough with a steady seasonal pattern: busy winters (November-January) and a
# quiet summer, with a little deterministic wobble so the months are not identical.
SEASON = (1.2, 1.0, 1.0, 0.9, 0.9, 0.8, 0.8, 0.9, 1.0, 1.1, 1.2, 1.2)


def seasonal(first: Month, last: Month, level: float = 100.0, growth: float = 0.0) -> dict:
    counts = {}
    for i, month in enumerate(month_range(first, last)):
        wobble = (-1) ** i * 3
        counts[month] = round(level * SEASON[month.month - 1] * (1 + growth) ** (i / 12) + wobble)
    return counts


FIRST, LAST = Month(2016, 1), Month(2023, 12)


def test_a_typical_month_is_not_flagged():
    counts = seasonal(FIRST, LAST)
    (check,) = check_months(counts, [Month(2023, 7)])
    assert check.assessed and check.flag is None
    assert check.low < counts[Month(2023, 7)] < check.high


def test_a_spike_is_flagged_high_and_a_collapse_low():
    counts = seasonal(FIRST, LAST)
    counts[Month(2023, 7)] = 160  # about twice the usual July
    counts[Month(2023, 9)] = 40
    checks = check_months(counts, [Month(2023, 7), Month(2023, 8), Month(2023, 9)])
    assert [c.flag for c in checks] == [Flag.HIGH, None, Flag.LOW]


def test_the_expected_count_follows_the_season_and_the_current_level():
    # Crime rising steadily by 20% a year, with the same seasonal shape every year: the
    # expected count keeps up with the rise instead of lagging at the historical average.
    counts = {
        month: 100 * SEASON[month.month - 1] * 1.2 ** (i / 12)
        for i, month in enumerate(month_range(FIRST, LAST))
    }
    for month in (Month(2023, 1), Month(2023, 7)):
        expected = expected_count(counts, month, ExceptionSettings())
        assert expected == pytest.approx(counts[month], rel=0.02)


def test_a_winter_peak_is_expected_not_flagged():
    counts = seasonal(FIRST, LAST)
    (january,) = check_months(counts, [Month(2023, 1)])
    assert january.flag is None
    assert (
        january.expected
        > 1.1 * sum(counts[m] for m in month_range(Month(2022, 1), Month(2022, 12))) / 12
    )


def test_with_too_little_history_a_month_is_not_assessed_and_says_why():
    counts = seasonal(Month(2021, 12), Month(2023, 11))  # the "recent 24 months" file alone
    (check,) = check_months(counts, [Month(2023, 9)])
    assert not check.assessed and check.flag is None
    assert "needs the 12 months before it" in check.reason


def test_a_missing_month_is_not_assessed():
    counts = seasonal(FIRST, LAST)
    del counts[Month(2023, 5)]
    (check,) = check_months(counts, [Month(2023, 5)])
    assert check.reason == "there is no count for this month"


def test_a_history_of_zeros_expects_zero_and_flags_a_burst():
    counts = dict.fromkeys(month_range(FIRST, LAST), 0)
    counts[Month(2023, 12)] = 6
    (check,) = check_months(counts, [Month(2023, 12)])
    assert check.expected == 0 and check.flag is Flag.HIGH


def test_a_stricter_probability_widens_the_range():
    counts = seasonal(FIRST, LAST)
    (loose,) = check_months(counts, [Month(2023, 7)], ExceptionSettings(probability=0.9))
    (strict,) = check_months(counts, [Month(2023, 7)], ExceptionSettings(probability=0.999))
    assert strict.low < loose.low and strict.high > loose.high


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"years": 2, "min_years": 3}, "min_years"),
        ({"probability": 1.0}, "probability"),
        ({"min_dispersion_months": 13}, "min_dispersion_months"),
    ],
)
def test_settings_are_checked(kwargs, message):
    with pytest.raises(ConfigurationError, match=message):
        ExceptionSettings(**kwargs)


def test_a_history_object_gives_the_same_answers_as_a_mapping():
    counts = seasonal(FIRST, LAST)
    months = month_range(Month(2023, 1), Month(2023, 12))
    assert check_months(MonthlyHistory(counts), months) == check_months(counts, months)


@given(st.floats(min_value=0, max_value=1e5), st.floats(min_value=1, max_value=50))
def test_the_expected_range_contains_the_expected_count(expected, dispersion):
    low, high = expected_range(expected, dispersion, 2.58)
    assert 0 <= low <= expected <= high + 1e-9


@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=0.5, max_value=3.0))
def test_scaling_every_count_scales_the_expectation(factor):
    counts = seasonal(FIRST, LAST)
    scaled = {m: v * factor for m, v in counts.items()}
    base = expected_count(counts, Month(2023, 6), ExceptionSettings())
    assert math.isclose(
        expected_count(scaled, Month(2023, 6), ExceptionSettings()), base * factor, rel_tol=1e-9
    )


series_values = st.lists(
    st.one_of(st.none(), st.integers(min_value=0, max_value=400)), min_size=0, max_size=90
)


@settings(max_examples=60, deadline=None)
@given(series_values, st.integers(min_value=1, max_value=4), st.integers(min_value=1, max_value=12))
def test_the_fast_whole_series_arithmetic_matches_the_month_by_month_definition(
    values, years, dispersion_months
):
    counts = {Month(2015, 1) + i: v for i, v in enumerate(values)}
    chosen = ExceptionSettings(
        years=years,
        min_years=1,
        dispersion_months=dispersion_months,
        min_dispersion_months=1,
    )
    history = MonthlyHistory(counts)
    for i in range(len(values)):
        index = (Month(2015, 1) + i).index
        for name in ("expected", "dispersion"):
            fast = getattr(history, name)(index, chosen)
            slow = getattr(history, name)(index, chosen, reference=True)
            assert (fast is None) == (slow is None), (name, i)
            if fast is not None:
                assert math.isclose(fast, slow, rel_tol=1e-9, abs_tol=1e-9), (name, i)

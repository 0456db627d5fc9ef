from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.errors import ConfigurationError
from saferhub.rules.periods import FinancialQuarter, Month, Window

months = st.builds(Month, st.integers(1990, 2100), st.integers(1, 12))


def test_rolling_twelve_months_to_september_starts_in_october():
    window = Window.ending(Month(2023, 9), 12)
    assert (window.first, window.last) == (Month(2022, 10), Month(2023, 9))
    assert window.preceding == Window(Month(2021, 10), Month(2022, 9))


def test_recent_four_months_crosses_no_year_but_compares_a_year_earlier():
    window = Window.ending(Month(2023, 9), 4)
    assert window.months == [Month(2023, 6), Month(2023, 7), Month(2023, 8), Month(2023, 9)]
    assert window.year_earlier == Window(Month(2022, 6), Month(2022, 9))
    assert window.label == "June 2023 to September 2023"


def test_window_across_a_year_boundary():
    window = Window.ending(Month(2024, 2), 3)
    assert window.months == [Month(2023, 12), Month(2024, 1), Month(2024, 2)]


@pytest.mark.parametrize(
    ("month", "label"),
    [
        (Month(2023, 4), "2023/24 Q1"),
        (Month(2023, 6), "2023/24 Q1"),
        (Month(2023, 7), "2023/24 Q2"),
        (Month(2023, 12), "2023/24 Q3"),
        (Month(2024, 1), "2023/24 Q4"),
        (Month(2024, 3), "2023/24 Q4"),
    ],
)
def test_financial_quarter_of_a_month(month, label):
    assert month.financial_quarter.label == label


def test_quarter_label_parses_both_spellings():
    assert FinancialQuarter.parse("2023/24-Q2") == FinancialQuarter.parse("2023/24 Q2")
    quarter = FinancialQuarter.parse("2023/24-Q2")
    assert (quarter.start, quarter.end) == (date(2023, 7, 1), date(2023, 9, 30))


@pytest.mark.parametrize("text", ["2023/25-Q2", "2023-Q2", "2023/24-Q5", ""])
def test_bad_quarter_labels_are_refused(text):
    with pytest.raises(ConfigurationError, match=r"quarter|financial year"):
        FinancialQuarter.parse(text)


@pytest.mark.parametrize("text", ["2023-13", "Sept 2023", "2023"])
def test_bad_months_are_refused(text):
    with pytest.raises(ConfigurationError):
        Month.parse(text)


@given(months, st.integers(-600, 600))
def test_adding_then_subtracting_months_round_trips(month, n):
    assert (month + n) - n == month
    assert (month + n) - month == n


@given(months, st.integers(1, 36))
def test_window_has_the_months_asked_for(month, n):
    window = Window.ending(month, n)
    assert len(window.months) == n == len(window)
    assert window.last == month


@given(months)
def test_every_month_lies_in_its_financial_quarter(month):
    assert month in month.financial_quarter.window


@given(st.integers(1990, 2100), st.integers(1, 4), st.integers(-20, 20))
def test_quarter_arithmetic_matches_month_arithmetic(year, q, n):
    quarter = FinancialQuarter(year, q)
    assert (quarter + n).first_month == quarter.first_month + 3 * n
    assert FinancialQuarter.parse(quarter.key) == quarter

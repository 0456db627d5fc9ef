"""Percentage change, direction and percentage points."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.rules.change import Direction, direction, percent_change, percentage_point_change

counts = st.integers(min_value=0, max_value=10**7)


def test_change_is_current_minus_previous_over_previous():
    # Seed 004: 551 against 566 "is a decrease of 2.7%".
    assert percent_change(551, 566) == pytest.approx(-2.650, abs=1e-3)
    assert percent_change(1936, 1871) == pytest.approx(3.474, abs=1e-3)


def test_a_zero_base_gives_no_percentage_but_a_direction():
    assert percent_change(5, 0) is None
    assert percent_change(0, 0) is None
    assert direction(5, 0) is Direction.UP
    assert direction(0, 0) is Direction.SAME


def test_an_unknown_figure_gives_no_change():
    assert percent_change(None, 5) is None
    assert direction(5, None) is None


def test_proportions_compare_in_percentage_points():
    assert percentage_point_change(12.0, 14.5) == pytest.approx(-2.5)
    assert percentage_point_change(None, 14.5) is None


@given(counts, counts.filter(lambda n: n > 0))
def test_change_sign_matches_direction(current, previous):
    change = percent_change(current, previous)
    expected = {Direction.UP: 1, Direction.DOWN: -1, Direction.SAME: 0}[
        direction(current, previous)
    ]
    assert (change > 0) - (change < 0) == expected


@given(counts.filter(lambda n: n > 0))
def test_change_never_falls_below_minus_one_hundred(previous):
    assert percent_change(0, previous) == -100.0

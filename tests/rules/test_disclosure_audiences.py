"""One disclosure stage: audiences, protected tables, markers, and that no hidden cell can
be worked out from the row and column totals (checked by linear algebra, independently
of how `suppress_table` chooses its cells)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.disclosure_oracle import fixed_by_totals

from saferhub.errors import ConfigurationError
from saferhub.rules.disclosure import (
    CONFIDENTIAL,
    SUPPRESSED,
    Audience,
    is_hidden,
    protect_counts,
    protect_table,
)

GRID = [[10, 3], [12, 20], [15, 6]]

counts = st.integers(min_value=0, max_value=40)
tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda columns: st.lists(
        st.lists(counts, min_size=columns, max_size=columns), min_size=1, max_size=5
    )
)


def recoverable(mask: list[list[bool]], cell: tuple[int, int]) -> bool:
    """True if the published row and column totals, with the visible cells, fix `cell`.

    The unknowns are the hidden cells; each row and column total gives one equation in
    them. A hidden cell is fixed exactly when its unit vector lies in the span of those
    equations, i.e. adding it does not raise the rank.
    """
    hidden = [(r, c) for r, row in enumerate(mask) for c, hide in enumerate(row) if hide]
    index = {h: i for i, h in enumerate(hidden)}
    equations = []
    for r in range(len(mask)):
        equations.append([1.0 if h[0] == r else 0.0 for h in hidden])
    for c in range(len(mask[0])):
        equations.append([1.0 if h[1] == c else 0.0 for h in hidden])
    matrix = np.array(equations)
    unit = np.zeros((1, len(hidden)))
    unit[0, index[cell]] = 1.0
    return np.linalg.matrix_rank(np.vstack([matrix, unit])) == np.linalg.matrix_rank(matrix)


def test_the_grid_from_the_issue_hides_the_cheapest_rectangle_for_the_public():
    # 3 is small; hiding it alone gives it back from its row (13 - 10). With the 10, 15
    # and 6 hidden too (31 people, against 42 for 10, 12 and 20) the 3 could be anything
    # from 0 to 9 (tests/rules/test_disclosure_audit.py works it through).
    assert protect_table(GRID, Audience.PUBLIC) == [
        [CONFIDENTIAL, CONFIDENTIAL],
        [12, 20],
        [CONFIDENTIAL, CONFIDENTIAL],
    ]


@pytest.mark.parametrize("audience", [Audience.RESTRICTED, Audience.PARTNERSHIP])
def test_the_partnership_and_the_team_see_every_count(audience):
    assert protect_table(GRID, audience) == GRID


def test_a_hidden_count_of_33_is_never_labelled_fewer_than_5():
    shown = protect_counts([33, 2, 40], Audience.PUBLIC)
    assert shown[1] == CONFIDENTIAL and SUPPRESSED not in shown


def test_small_counts_alone_are_labelled_fewer_than_5():
    # Every hidden cell is 2 + t, 3 - t / 3 - t, 2 + t: any t from -1 to 2 fits "<5".
    shown = protect_table([[2, 3, 40], [3, 2, 50]], Audience.PUBLIC)
    assert shown == [[SUPPRESSED, SUPPRESSED, 40], [SUPPRESSED, SUPPRESSED, 50]]


def test_fewer_than_5_is_not_claimed_where_it_would_narrow_the_counts():
    # 2 + t, 3 - t / 1 - t, 4 + t: "<5" would allow only t of 0 and -1, telling a reader
    # the 2 is 1 or 2 where the totals alone allow 0 to 3.
    assert protect_table([[2, 3], [1, 4]], Audience.PUBLIC) == [[CONFIDENTIAL] * 2] * 2


def test_public_counts_can_be_rounded_to_5():
    assert protect_counts([12, 23, 40], Audience.PUBLIC, rounding=5) == [10, 25, 40]


def test_an_unknown_audience_names_the_choices():
    with pytest.raises(ConfigurationError, match="restricted, partnership, public"):
        Audience.parse("press")


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_hidden_cell_can_be_recovered_from_the_totals(grid):
    shown = protect_table(grid, Audience.PUBLIC)
    mask = [[is_hidden(value) for value in row] for row in shown]
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if 1 <= value <= 4:
                assert mask[r][c], "a count of 1 to 4 is visible"
            # A cell the totals alone give away (a row adding up to 0, say) cannot be
            # protected by hiding anything.
            if (
                mask[r][c]
                and len(grid) >= 2
                and len(grid[0]) >= 2
                and not fixed_by_totals(grid, (r, c))
            ):
                assert not recoverable(mask, (r, c)), f"cell {(r, c)} follows from the totals"


@settings(max_examples=200, deadline=None)
@given(tables)
def test_the_marker_never_claims_fewer_than_5_for_a_larger_count(grid):
    shown = protect_table(grid, Audience.PUBLIC)
    for row, values in zip(shown, grid, strict=True):
        for cell, value in zip(row, values, strict=True):
            if cell == SUPPRESSED:
                assert 1 <= value <= 4
            if not is_hidden(cell):
                assert cell == value

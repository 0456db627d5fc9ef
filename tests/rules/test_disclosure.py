import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.errors import ConfigurationError
from saferhub.rules.disclosure import (
    CONFIDENTIAL,
    SUPPRESSED,
    apply,
    bridge_cells,
    marker_for,
    round_to,
    suppress_counts,
    suppress_table,
)

# Small counts are common in partnership data, so weight the draw towards them.
counts = st.one_of(st.integers(0, 6), st.integers(0, 200))
tables = st.integers(1, 6).flatmap(
    lambda width: st.lists(st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=6)
)


def lines_of(mask):
    rows = [list(row) for row in mask]
    columns = [list(column) for column in zip(*mask, strict=True)]
    return rows + columns


@given(tables)
def test_every_count_of_one_to_four_is_hidden(table):
    mask = suppress_table(table)
    for row, row_mask in zip(table, mask, strict=True):
        for count, hidden in zip(row, row_mask, strict=True):
            if 1 <= count <= 4:
                assert hidden


@given(tables)
def test_no_row_or_column_is_left_with_exactly_one_hidden_cell(table):
    mask = suppress_table(table)
    for line in lines_of(mask):
        if len(line) >= 2:
            assert sum(line) != 1


@given(tables)
def test_no_hidden_cell_can_be_recovered_by_combining_rows_and_columns(table):
    assert bridge_cells(suppress_table(table)) == []


@given(tables)
def test_tables_needing_no_secondary_suppression_hide_only_small_counts(table):
    primary = [[1 <= count <= 4 for count in row] for row in table]
    lone = any(sum(line) == 1 for line in lines_of(primary) if len(line) >= 2)
    if not lone and not bridge_cells(primary):
        assert suppress_table(table) == primary


@given(tables)
def test_extra_cells_are_hidden_only_where_a_small_count_needs_company(table):
    mask = suppress_table(table)
    # Every secondary cell sits in a row or column that also hides something else,
    # and no row or column without any small count loses a cell unless a loop needs it.
    for r, row in enumerate(table):
        for c, count in enumerate(row):
            if mask[r][c] and not 1 <= count <= 4:
                row_others = sum(mask[r]) - 1
                column_others = sum(mask[i][c] for i in range(len(table))) - 1
                assert row_others or column_others


@given(tables)
def test_suppression_is_deterministic_and_leaves_the_input_alone(table):
    before = [list(row) for row in table]
    assert suppress_table(table) == suppress_table(table)
    assert table == before


@given(st.lists(counts, min_size=1, max_size=12))
def test_single_column_never_has_one_lone_hidden_count(values):
    mask = suppress_counts(values)
    assert all(hidden for value, hidden in zip(values, mask, strict=True) if 1 <= value <= 4)
    if len(values) >= 2:
        assert sum(mask) != 1


def test_lone_small_count_takes_the_smallest_other_nonzero_count_with_it():
    assert suppress_counts([3, 40, 0, 12, 25]) == [True, False, False, True, False]


def test_zero_is_hidden_only_when_nothing_else_can_be():
    assert suppress_counts([3, 0, 0]) == [True, True, False]


def test_two_small_counts_protect_each_other():
    assert suppress_counts([3, 40, 2, 12]) == [True, False, True, False]


def test_counts_of_five_and_zero_are_shown():
    assert suppress_counts([5, 0, 100]) == [False, False, False]


def test_secondary_suppression_cascades_across_rows_and_columns():
    table = [
        [2, 10, 30],
        [8, 20, 40],
        [50, 60, 70],
    ]
    # The 2 needs a partner in its row (10) and in its column (8); those in turn
    # leave their column and row with one hidden cell, so 20 is hidden as well.
    assert suppress_table(table) == [
        [True, True, False],
        [True, True, False],
        [False, False, False],
    ]


def test_bridge_between_two_loops_is_closed():
    # Two 2x2 blocks of hidden cells linked by one hidden cell (row 1, column 2):
    # the totals would give that cell away.
    mask = [
        [True, True, False, False],
        [True, True, True, False],
        [False, False, True, True],
        [False, False, True, True],
    ]
    assert bridge_cells(mask) == [(1, 2)]


def test_suppression_leaves_no_bridge_when_small_counts_form_two_loops():
    table = [
        [1, 2, 50, 60],
        [3, 4, 1, 70],
        [80, 90, 2, 3],
        [85, 95, 4, 1],
    ]
    mask = suppress_table(table)
    assert bridge_cells(mask) == []
    assert sum(map(sum, mask)) == 10  # nine small counts and one partner (the 50)
    assert mask[0][2]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([[1, 2], [3]], "row 2 has 1 cells; row 1 has 2"),
        ([[1, -2]], "row 1, column 2 is -2"),
        ([[1, 2.5]], "row 1, column 2 is 2.5"),
        ([[True, 2]], "row 1, column 1 is True"),
        ([["3", 2]], "row 1, column 1 is '3'"),
    ],
)
def test_bad_counts_are_refused(table, message):
    with pytest.raises(ConfigurationError, match=message):
        suppress_table(table)


def test_numpy_counts_are_accepted():
    assert suppress_counts(np.array([3, 40, 12])) == [True, False, True]


def test_apply_marks_small_counts_as_under_five():
    table = [[3, 40, 2]]
    assert apply(table, suppress_table(table)) == [[SUPPRESSED, 40, SUPPRESSED]]


def test_apply_uses_a_neutral_marker_when_larger_counts_were_hidden():
    table = [[3, 40, 12]]
    mask = suppress_table(table)
    assert marker_for(table, mask) == CONFIDENTIAL
    assert apply(table, mask) == [["[c]", 40, "[c]"]]
    assert apply(table, mask, marker="*") == [["*", 40, "*"]]


def test_apply_refuses_a_mask_of_another_shape():
    with pytest.raises(ConfigurationError, match="same shape"):
        apply([[1, 2]], [[True]])


@pytest.mark.parametrize(
    ("value", "base", "rounded"),
    [(12, 5, 10), (12.5, 5, 15), (13, 5, 15), (0, 5, 0), (2, 5, 0), (7.5, 5, 10), (149, 10, 150)],
)
def test_round_to_nearest_multiple(value, base, rounded):
    assert round_to(value, base) == rounded


def test_round_to_refuses_a_base_of_zero():
    with pytest.raises(ConfigurationError, match="positive whole number"):
        round_to(12, 0)

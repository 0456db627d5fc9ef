import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.disclosure_oracle import fixed_by_totals

from saferhub.errors import ConfigurationError
from saferhub.rules.disclosure import (
    CONFIDENTIAL,
    SUPPRESSED,
    apply,
    marker_for,
    round_to,
    suppress_counts,
    suppress_table,
)
from saferhub.rules.disclosure_audit import Audit

# Small counts are common in partnership data, so weight the draw towards them.
counts = st.one_of(st.integers(0, 6), st.integers(0, 200))
tables = st.integers(1, 6).flatmap(
    lambda width: st.lists(st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=6)
)


@given(tables)
def test_every_count_of_one_to_four_is_hidden(table):
    mask = suppress_table(table)
    for row, row_mask in zip(table, mask, strict=True):
        for count, hidden in zip(row, row_mask, strict=True):
            if 1 <= count <= 4:
                assert hidden


@given(tables)
def test_no_row_or_column_is_left_with_exactly_one_hidden_cell(table):
    # A lone hidden cell is its line's total less the visible cells, unless the totals
    # alone give it away whatever is hidden (a line adding up to 0, say).
    mask = suppress_table(table)
    for r, row in enumerate(mask):
        column_of = [[line[c] for line in mask] for c in range(len(row))]
        for c, hide in enumerate(row):
            if hide and not fixed_by_totals(table, (r, c)):
                assert len(row) < 2 or sum(row) >= 2
                assert len(mask) < 2 or sum(column_of[c]) >= 2


@given(tables)
def test_the_audit_finds_nothing_exposed(table):
    assert Audit(table).exposed(suppress_table(table)) == []


@given(tables)
def test_tables_needing_no_secondary_suppression_hide_only_small_counts(table):
    primary = [[1 <= count <= 4 for count in row] for row in table]
    if not Audit(table).exposed(primary):
        assert suppress_table(table) == primary


@given(tables)
def test_no_cell_hidden_for_company_could_be_shown_again(table):
    # As small as can be one cell at a time: showing again any one cell hidden only to
    # protect another exposes some hidden cell.
    mask = suppress_table(table)
    audit = Audit(table)
    for r, row in enumerate(table):
        for c, count in enumerate(row):
            if mask[r][c] and not 1 <= count <= 4:
                trial = [list(line) for line in mask]
                trial[r][c] = False
                assert audit.exposed(trial)


@given(tables)
def test_suppression_is_deterministic_and_leaves_the_input_alone(table):
    before = [list(row) for row in table]
    assert suppress_table(table) == suppress_table(table)
    assert table == before


@given(st.lists(counts, min_size=1, max_size=12))
def test_single_column_never_has_one_lone_hidden_count(values):
    mask = suppress_counts(values)
    assert all(hidden for value, hidden in zip(values, mask, strict=True) if 1 <= value <= 4)
    if len(values) >= 2 and sum(values):
        assert sum(mask) != 1


def test_lone_small_count_takes_the_smallest_other_nonzero_count_with_it():
    assert suppress_counts([3, 40, 0, 12, 25]) == [True, False, False, True, False]


def test_zero_is_hidden_only_when_nothing_else_can_be():
    # The row adds up to 3, so the 3 is somewhere from 0 to 3 whatever is hidden; a zero
    # as partner keeps it so.
    assert suppress_counts([3, 0, 0]) == [True, True, False]


def test_two_small_counts_protect_each_other():
    assert suppress_counts([3, 40, 2, 12]) == [True, False, True, False]


def test_two_small_counts_adding_up_to_less_than_4_take_a_third_cell():
    # Hiding the 1s alone says they add up to 2, so neither can be 3 or 4.
    assert suppress_counts([1, 1, 10, 40]) == [True, True, True, False]


def test_counts_of_five_and_zero_are_shown():
    assert suppress_counts([5, 0, 100]) == [False, False, False]


def test_secondary_suppression_cascades_across_rows_and_columns():
    table = [
        [2, 10, 30],
        [8, 20, 40],
        [50, 60, 70],
    ]
    # The 2 needs partners in its row and its column, and they one in theirs: the
    # cheapest rectangle is 2, 10 / 8, 20 (38 people against 80 or more for the others).
    assert suppress_table(table) == [
        [True, True, False],
        [True, True, False],
        [False, False, False],
    ]


def test_a_small_count_takes_the_cheapest_rectangle_not_every_cell():
    # Tier counts of Red and Amber on three quarter ends, with row and column totals.
    # Hiding the 3 alone gives it back (13 - 10). The rectangles through it are
    # 10, 3 / 12, 20 (42 other people) and 10, 3 / 15, 6 (31). In the cheaper one the
    # corners can move by t (10 - t, 3 + t / 15 + t, 6 - t) keeping every total, for t
    # from -3 to 6, so the 3 could be anything from 0 to 9 and every hidden cell has ten
    # possible values. (The method before this hid all six cells.)
    table = [[10, 3], [12, 20], [15, 6]]
    assert suppress_table(table) == [[True, True], [False, False], [True, True]]


def test_small_counts_forming_two_loops_need_one_partner():
    table = [
        [1, 2, 50, 60],
        [3, 4, 1, 70],
        [80, 90, 2, 3],
        [85, 95, 4, 1],
    ]
    mask = suppress_table(table)
    assert Audit(table).exposed(mask) == []
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


def test_under_five_is_not_used_where_it_would_give_counts_away():
    # Two hidden 1s in a row adding up to 2: "<5" says each is at least 1, so both are 1.
    table = [[1, 1], [1, 1]]
    mask = suppress_table(table)
    assert mask == [[True, True], [True, True]]
    assert marker_for(table, mask) == CONFIDENTIAL


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

"""The disclosure guarantee, checked by brute force: for small tables every table that agrees
with what is published is listed, independently of the maximum-flow audit, and the
published table must leave each hidden cell more than one value and each small count every
value from 1 to 4 that the totals alone leave it (docs/disclosure.md)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.disclosure_oracle import possible_values

from saferhub.rules.disclosure import (
    SUPPRESSED,
    Audience,
    is_hidden,
    protect_table,
    suppress_table,
)
from saferhub.rules.disclosure_audit import Audit, feasible_range

SHAPES = [(1, 2), (1, 3), (1, 4), (2, 1), (3, 1), (2, 2), (2, 3), (3, 2)]
small_tables = st.sampled_from(SHAPES).flatmap(
    lambda shape: st.lists(
        st.lists(st.integers(0, 6), min_size=shape[1], max_size=shape[1]),
        min_size=shape[0],
        max_size=shape[0],
    )
)


def masks_for(table):
    return st.lists(
        st.lists(st.booleans(), min_size=len(table[0]), max_size=len(table[0])),
        min_size=len(table),
        max_size=len(table),
    )


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_audit_ranges_are_those_of_every_agreeing_table(data):
    table = data.draw(small_tables)
    mask = data.draw(masks_for(table))
    small = all(1 <= table[r][c] <= 4 for r, row in enumerate(mask) for c, h in enumerate(row) if h)
    bounds = data.draw(st.sampled_from([(0, math.inf), (1, 4)] if small else [(0, math.inf)]))
    for cell, values in possible_values(table, mask, *bounds).items():
        assert feasible_range(table, mask, cell, *bounds) == (min(values), max(values))
        # The range has no gaps: every value in it is possible.
        assert values == set(range(min(values), max(values) + 1))


@settings(max_examples=400, deadline=None)
@given(small_tables)
def test_published_tables_give_no_hidden_cell_away(table):
    shown = protect_table(table, Audience.PUBLIC)
    mask = [[is_hidden(value) for value in row] for row in shown]
    told_small = any(value == SUPPRESSED for row in shown for value in row)
    published = possible_values(table, mask, *((1, 4) if told_small else (0, math.inf)))
    totals_alone = possible_values(table, [[True] * len(row) for row in table])
    for (r, c), values in published.items():
        alone = totals_alone[(r, c)]
        if len(alone) > 1:
            assert len(values) > 1, f"cell {(r, c)} of {table} is given away"
        if 1 <= table[r][c] <= 4:
            # What a reader can rule out is no more than the totals alone rule out.
            assert {v for v in alone if 1 <= v <= 4} <= values


def test_the_grid_from_the_issue_by_hand():
    table = [[10, 3], [12, 20], [15, 6]]
    mask = suppress_table(table)
    assert mask == [[True, True], [False, False], [True, True]]
    # Hidden, rows 1 and 3 add up to 13 and 21, columns 1 and 2 to 25 and 9. Any table
    # agreeing with them is 10 - t, 3 + t / 15 + t, 6 - t for t from -3 (the 3 at 0) to 6
    # (the 6 at 0).
    assert feasible_range(table, mask, (0, 1)) == (0, 9)
    assert feasible_range(table, mask, (0, 0)) == (4, 13)
    assert feasible_range(table, mask, (2, 0)) == (12, 21)
    assert feasible_range(table, mask, (2, 1)) == (0, 9)
    assert Audit(table).exposed(mask) == []


def test_a_lone_hidden_cell_is_exposed_and_a_narrowed_small_count_too():
    table = [[10, 3], [12, 20]]
    audit = Audit(table)
    assert audit.exposed([[False, True], [False, False]]) == [(0, 1)]
    # 3 and 1 hidden together in a list adding up to 4 under "<5": neither can be 4.
    assert Audit([[3, 1, 10]]).exposed([[True, True, False]], small_known=True) == [
        (0, 0),
        (0, 1),
    ]

"""The action plan's rules: overdue, counts by RAG, the RAG history, due-date sense."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.rules.board_plan import (
    ForwardLine,
    PlanLine,
    RagChange,
    count_plan,
    due_date_problem,
    forward_from,
    rag_history,
)

ON = date(2026, 11, 26)


def line(rag: str, due: date, status: str = "open") -> PlanLine:
    return PlanLine(title="x", owner="o", agency="a", due=due, rag=rag, status=status)


def test_counts_are_of_open_actions_by_rag_with_those_overdue():
    lines = [
        line("Red", date(2026, 11, 25)),  # overdue
        line("Red", ON),  # due today: not yet overdue
        line("Amber", date(2027, 1, 1)),
        line("Green", date(2026, 1, 1), status="done"),  # done: not counted, not overdue
        line("Green", date(2026, 1, 1), status="dropped"),
    ]
    counts = count_plan(lines, ON)
    assert (counts.total, counts.red, counts.amber, counts.green, counts.overdue) == (3, 2, 1, 0, 1)
    assert counts.sentence() == "3 open actions: 2 Red, 1 Amber, 0 Green; 1 overdue."


def test_rag_history_keeps_the_first_update_and_each_change_in_date_order():
    updates = [
        RagChange(date(2026, 3, 1), "Amber", "b"),
        RagChange(date(2026, 1, 1), "Green", "a"),
        RagChange(date(2026, 3, 1), "Amber", "c"),
        RagChange(date(2026, 5, 1), "Red", "d"),
        RagChange(date(2026, 6, 1), "Green", "e"),
    ]
    assert [(c.on.month, c.rag) for c in rag_history(updates)] == [
        (1, "Green"),
        (3, "Amber"),
        (5, "Red"),
        (6, "Green"),
    ]


@given(st.lists(st.sampled_from(["Red", "Amber", "Green"]), min_size=1, max_size=20))
def test_rag_history_never_repeats_a_status_and_ends_at_the_latest(rags):
    updates = [RagChange(date(2026, 1, 1 + i), r) for i, r in enumerate(rags)]
    history = rag_history(updates)
    assert history[0].rag == rags[0] and history[-1].rag == rags[-1]
    assert all(a.rag != b.rag for a, b in pairwise(history))


@pytest.mark.parametrize("due", [date(2062, 1, 1), date(2020, 1, 1), date(2031, 11, 27)])
def test_a_due_date_more_than_five_years_away_is_refused(due):
    assert "check the year" in due_date_problem(due, ON)


@pytest.mark.parametrize("due", [ON, date(2031, 11, 26), date(2021, 11, 26)])
def test_a_due_date_within_five_years_is_accepted(due):
    assert due_date_problem(due, ON) is None


def test_the_due_date_check_survives_a_leap_day():
    assert due_date_problem(date(2029, 2, 28), date(2024, 2, 29)) is None


def test_forward_plan_groups_items_from_the_meeting_on_soonest_first():
    items = [
        ForwardLine(date(2027, 3, 19), "b", "Report"),
        ForwardLine(date(2026, 9, 18), "past", "Report"),
        ForwardLine(date(2026, 12, 18), "a", "Report"),
        ForwardLine(date(2027, 3, 19), "A", "Decision"),
    ]
    groups = forward_from(items, date(2026, 12, 18))
    assert [(day, [i.title for i in group]) for day, group in groups] == [
        (date(2026, 12, 18), ["a"]),
        (date(2027, 3, 19), ["A", "b"]),
    ]

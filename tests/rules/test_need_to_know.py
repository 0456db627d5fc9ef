from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.rules.need_to_know import MAX_SHARE_DAYS, Span, may_see, share_problem

TODAY = date(2024, 6, 1)


def test_an_involved_agency_sees_the_person():
    assert may_see(
        is_administrator=False,
        agency_id=1,
        involvements=[Span(1, date(2024, 1, 1), None)],
        shares=[],
        today=TODAY,
    )


def test_another_agency_does_not():
    assert not may_see(
        is_administrator=False,
        agency_id=2,
        involvements=[Span(1, date(2024, 1, 1), None)],
        shares=[],
        today=TODAY,
    )


@pytest.mark.parametrize(
    ("start", "end", "seen"),
    [
        (TODAY, TODAY, True),  # both ends of a span count
        (TODAY + timedelta(days=1), None, False),  # not started yet
        (date(2020, 1, 1), TODAY - timedelta(days=1), False),  # ended yesterday
    ],
)
def test_only_spans_in_force_today_give_sight(start, end, seen):
    assert (
        may_see(
            is_administrator=False,
            agency_id=1,
            involvements=[],
            shares=[Span(1, start, end)],
            today=TODAY,
        )
        is seen
    )


def test_administrators_see_everyone_and_users_without_an_agency_see_no_one():
    assert may_see(is_administrator=True, agency_id=None, involvements=[], shares=[], today=TODAY)
    assert not may_see(
        is_administrator=False,
        agency_id=None,
        involvements=[Span(1, TODAY, None)],
        shares=[],
        today=TODAY,
    )


@pytest.mark.parametrize(
    ("start", "end", "reason", "problem"),
    [
        (TODAY, TODAY + timedelta(days=30), "", "reason"),
        (TODAY, None, "Joint visit", "end"),
        (TODAY, TODAY - timedelta(days=1), "Joint visit", "on or after"),
        (TODAY, TODAY + timedelta(days=MAX_SHARE_DAYS + 1), "Joint visit", "at most 90 days"),
    ],
)
def test_a_share_must_be_explained_and_time_limited(start, end, reason, problem):
    assert problem in share_problem(start, end, reason)


def test_a_good_share_has_no_problem():
    assert (
        share_problem(TODAY, TODAY + timedelta(days=MAX_SHARE_DAYS), "Joint safeguarding visit")
        is None
    )


spans = st.builds(
    Span,
    st.integers(1, 4),
    st.dates(date(2020, 1, 1), date(2025, 1, 1)),
    st.none() | st.dates(date(2020, 1, 1), date(2025, 1, 1)),
)


@given(st.lists(spans, max_size=6), st.lists(spans, max_size=6), st.integers(1, 4))
def test_sight_comes_only_from_the_viewers_own_agency(involvements, shares, agency):
    own = [s for s in (*involvements, *shares) if s.agency_id == agency]
    seen = may_see(
        is_administrator=False,
        agency_id=agency,
        involvements=involvements,
        shares=shares,
        today=TODAY,
    )
    assert seen == any(s.in_force(TODAY) for s in own)

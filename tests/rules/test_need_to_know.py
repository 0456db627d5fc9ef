from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.rules.need_to_know import (
    INVOLVEMENT_REASONS,
    MAX_SHARE_DAYS,
    Span,
    add_months,
    involvement_problems,
    may_decide_request,
    may_end_early,
    may_see,
    programme_sight_ends,
    share_problem,
)

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
    st.booleans(),
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


def test_a_requested_involvement_gives_no_sight_until_approved():
    waiting = Span(1, date(2024, 1, 1), date(2024, 12, 31), approved=False)
    assert not may_see(
        is_administrator=False, agency_id=1, involvements=[waiting], shares=[], today=TODAY
    )
    approved = Span(1, date(2024, 1, 1), date(2024, 12, 31))
    assert may_see(
        is_administrator=False, agency_id=1, involvements=[approved], shares=[], today=TODAY
    )


def _problems(**changes):
    values = {
        "reason": "safeguarding",
        "start": TODAY,
        "end": TODAY + timedelta(days=30),
        "today": TODAY,
        "date_of_birth": date(1990, 5, 17),
        "max_months": 12,
    }
    values.update(changes)
    return {(p.field, p.message) for p in involvement_problems(**values)}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"reason": "I could see the record"}, "reason", "Choose the reason"),
        ({"start": None}, "start", "Give the date"),
        ({"start": TODAY + timedelta(days=1)}, "start", "cannot be in the future"),
        ({"start": date(1990, 5, 16)}, "start", "before the person's date of birth"),
        ({"end": None}, "end", "Give the date the involvement ends"),
        ({"end": TODAY - timedelta(days=1)}, "end", "on or after the start"),
        ({"end": add_months(TODAY, 12) + timedelta(days=1)}, "end", "at most 12 months"),
        ({"end": add_months(TODAY, 4), "max_months": 3}, "end", "at most 3 months"),
    ],
)
def test_an_involvement_request_is_explained_dated_and_time_limited(changes, field, words):
    assert any(f == field and words in m for f, m in _problems(**changes))


def test_a_good_involvement_request_has_no_problem():
    assert not _problems(end=add_months(TODAY, 12))
    born = date(1990, 5, 17)
    assert not _problems(start=born, end=born, date_of_birth=born)
    assert not _problems(date_of_birth=None)
    assert {code for code, _ in INVOLVEMENT_REASONS} >= {"safeguarding", "case_managed"}


@given(st.dates(date(2000, 1, 1), date(2040, 12, 31)), st.integers(0, 36))
def test_adding_months_lands_in_the_right_month_and_never_overshoots(day, months):
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day <= day.day


def test_adding_a_month_to_the_31st_gives_the_months_last_day():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)


@pytest.mark.parametrize(
    ("role", "agency", "request_agency", "allowed"),
    [
        ("coordinator", 1, 1, True),
        ("coordinator", 2, 1, False),
        ("practitioner", 1, 1, False),
        ("administrator", 1, 1, False),
        ("coordinator", None, 1, False),
    ],
)
def test_only_a_coordinator_of_the_requesting_agency_decides(role, agency, request_agency, allowed):
    assert (
        may_decide_request(role=role, agency_id=agency, request_agency_id=request_agency) is allowed
    )


def test_administrators_and_the_granting_coordinator_may_end_a_grant_early():
    assert may_end_early(is_administrator=True, role="administrator", agency_id=None, granting=1)
    assert may_end_early(is_administrator=False, role="coordinator", agency_id=1, granting=1)
    assert not may_end_early(is_administrator=False, role="coordinator", agency_id=2, granting=1)
    assert not may_end_early(is_administrator=False, role="practitioner", agency_id=1, granting=1)


def test_programme_sight_ends_after_the_grace():
    assert programme_sight_ends(date(2024, 6, 1), 28) == date(2024, 6, 29)
    assert programme_sight_ends(date(2024, 6, 1), 0) == date(2024, 6, 1)

"""The ASB case review threshold and working-day deadlines.

Source of the rule: Anti-social Behaviour, Crime and Policing Act 2014, section 104, and the
Home Office statutory guidance: by default a review is due when someone has made three
complaints in six months, each within one month of the behaviour; a partnership may add a
community limb (Barnet: five individuals reporting the same issue in six months) and set its
own numbers.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.errors import ConfigurationError
from saferhub.rules.asb import (
    COMMUNITY,
    INDIVIDUAL,
    LATE_REPORT,
    MADE_AFTER_REQUEST,
    Complaint,
    ThresholdConfig,
    add_working_days,
    check_threshold,
    working_days_between,
)
from saferhub.rules.need_to_know import add_months
from saferhub.sources.bank_holidays import england_and_wales

APPLIED = date(2024, 6, 30)
days_back = st.integers(min_value=0, max_value=400)
configs = st.builds(
    ThresholdConfig,
    complaints=st.integers(1, 6),
    window_months=st.integers(1, 12),
    report_within_months=st.integers(1, 3),
    community_individuals=st.integers(1, 8),
    community_window_months=st.integers(1, 12),
)


def complaint(n: int, made: date, delay: int = 0, who: str = "A", issue: str = "x") -> Complaint:
    return Complaint(str(n), who, made - timedelta(days=delay), made, issue)


def test_statutory_default_three_complaints_in_six_months_meets_the_threshold():
    # The Act's default: three complaints in six months, each within a month of the incident.
    made = [date(2024, 2, 1), date(2024, 4, 1), date(2024, 6, 1)]
    result = check_threshold(
        applicant="A",
        complaints=[complaint(i, d, 3) for i, d in enumerate(made)],
        applied_on=APPLIED,
    )
    assert result.met and result.limb == INDIVIDUAL
    assert [c.id for c in result.counted] == ["0", "1", "2"]
    assert "is met" in result.explanation


def test_two_complaints_do_not_meet_the_default_threshold():
    result = check_threshold(
        applicant="A",
        complaints=[complaint(1, date(2024, 5, 1)), complaint(2, date(2024, 6, 1))],
        applied_on=APPLIED,
    )
    assert not result.met and result.limb is None
    assert "not met" in result.explanation


@given(configs, st.lists(st.tuples(days_back, st.integers(0, 120)), max_size=12))
def test_a_complaint_counts_exactly_when_inside_the_window_and_made_within_the_reporting_time(
    config, offsets
):
    # The statutory test: complaints made in the window before the application, each made
    # within the reporting time (one month by default) of the behaviour complained about.
    complaints = [
        complaint(i, APPLIED - timedelta(days=back), delay)
        for i, (back, delay) in enumerate(offsets)
    ]
    result = check_threshold(
        applicant="A", complaints=complaints, applied_on=APPLIED, config=config
    )
    start = add_months(APPLIED, -config.window_months)
    expected = {
        c.id
        for c in complaints
        if start <= c.made_on <= APPLIED
        and c.made_on <= add_months(c.incident_date, config.report_within_months)
    }
    assert {c.id for c in result.counted} == expected
    # Every complaint is either counted or excluded with a reason, never lost.
    assert len(result.counted) + len(result.excluded) == len(complaints)
    assert all(e.reason for e in result.excluded)
    assert result.met == (
        len(expected) >= config.complaints
        or len(result.individuals) >= config.community_individuals
    )


@given(st.integers(1, 3), st.integers(0, 200))
def test_a_complaint_made_after_the_reporting_time_is_excluded_with_the_reason(months, delay):
    # s.104(11): a qualifying complaint is made within one month of the behaviour.
    config = ThresholdConfig(report_within_months=months)
    incident = date(2024, 5, 1)
    made = incident + timedelta(days=delay)
    if made > APPLIED:
        return
    result = check_threshold(
        applicant="A",
        complaints=[Complaint("1", "A", incident, made)],
        applied_on=APPLIED,
        config=config,
    )
    late = made > add_months(incident, months)
    assert (len(result.counted) == 0) == late
    if late:
        assert result.excluded[0].reason == LATE_REPORT.format(
            months=months, s="" if months == 1 else "s"
        )


def test_a_complaint_made_after_the_request_is_not_counted():
    # s.104(11): the application is made within six months of the complaint, so a complaint
    # made after the application cannot be one of those it relies on.
    result = check_threshold(
        applicant="A", complaints=[complaint(1, APPLIED + timedelta(days=1))], applied_on=APPLIED
    )
    assert result.excluded[0].reason == MADE_AFTER_REQUEST


@given(st.integers(1, 8), st.integers(0, 10))
def test_community_limb_counts_distinct_individuals_reporting_the_same_issue(needed, people):
    # A local community limb (Barnet: five individuals reporting the same issue in six months).
    config = ThresholdConfig(community_individuals=needed, complaints=50)
    complaints = [complaint(i, date(2024, 5, 1), 2, who=f"P{i}") for i in range(people)]
    # Someone reporting twice is one individual; another issue does not count.
    if people:
        complaints.append(complaint(99, date(2024, 5, 2), 2, who="P0"))
    complaints.append(complaint(100, date(2024, 5, 2), 2, who="Q", issue="other"))
    result = check_threshold(
        applicant="P0", complaints=complaints, applied_on=APPLIED, issue="x", config=config
    )
    assert len(result.individuals) == people
    assert (result.limb == COMMUNITY) == (people >= needed)


def test_barnet_community_limb_needs_five_individuals():
    complaints = [complaint(i, date(2024, 6, 1), 1, who=f"P{i}") for i in range(5)]
    four = check_threshold(applicant="P0", complaints=complaints[:4], applied_on=APPLIED, issue="x")
    five = check_threshold(applicant="P0", complaints=complaints, applied_on=APPLIED, issue="x")
    assert not four.met
    assert five.met and five.limb == COMMUNITY


@given(st.integers(1, 6), st.integers(0, 8))
def test_the_number_of_complaints_is_configurable(needed, made):
    # s.104(4): at least three qualifying complaints, "or, if a different number is specified
    # in the review procedures, at least that number": partnerships choose their own.
    config = ThresholdConfig(complaints=needed, community_individuals=500)
    complaints = [complaint(i, APPLIED - timedelta(days=i), 0) for i in range(made)]
    result = check_threshold(
        applicant="A", complaints=complaints, applied_on=APPLIED, config=config
    )
    assert result.met == (made >= needed)


@pytest.mark.parametrize(
    ("field", "value"),
    [("complaints", 0), ("window_months", 0), ("community_individuals", -1), ("complaints", True)],
)
def test_a_bad_setting_is_refused_naming_the_setting(field, value):
    # A threshold of zero complaints or a negative window would make every request qualify.
    with pytest.raises(ConfigurationError, match=field):
        ThresholdConfig(**{field: value})


@given(st.integers(1, 12), st.integers(0, 400))
def test_the_window_runs_back_whole_months_from_the_request_inclusive(months, back):
    # s.104(11): the application must be made within six months of the complaint: a
    # complaint made on the first day of that window counts, one a day earlier does not.
    config = ThresholdConfig(window_months=months, complaints=1)
    made = APPLIED - timedelta(days=back)
    result = check_threshold(
        applicant="A", complaints=[complaint(1, made)], applied_on=APPLIED, config=config
    )
    assert result.met == (made >= add_months(APPLIED, -months))


@given(st.integers(1, 12), st.integers(0, 400))
def test_the_community_window_is_configurable(months, back):
    # The community limb is a local addition; its window is the partnership's choice.
    config = ThresholdConfig(community_window_months=months, community_individuals=1)
    made = APPLIED - timedelta(days=back)
    result = check_threshold(
        applicant="someone else",
        complaints=[complaint(1, made, who="P1")],
        applied_on=APPLIED,
        issue="x",
        config=config,
    )
    assert (result.limb == COMMUNITY) == (made >= add_months(APPLIED, -months))


# --- working days ---------------------------------------------------------------------------


def test_twenty_working_days_skip_weekends_and_bank_holidays():
    # Reviews are normally completed within about 20 working days (BRIEF); bank holidays in
    # England and Wales come from the maintained `holidays` package.
    holidays = england_and_wales(date(2026, 1, 1), date(2027, 12, 31))
    # From Tuesday 15 December 2026: Christmas Day, Boxing Day (substitute Monday 28th) and
    # New Year's Day fall in the window.
    assert add_working_days(date(2026, 12, 15), 20, holidays) == date(2027, 1, 15)
    # Without the three holidays it would be three working days sooner.
    assert add_working_days(date(2026, 12, 15), 20, frozenset()) == date(2027, 1, 12)


@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.integers(0, 60))
def test_working_days_round_trip(start, days):
    holidays = england_and_wales(date(2019, 1, 1), date(2031, 12, 31))
    end = add_working_days(start, days, holidays)
    assert working_days_between(start, end, holidays) == days
    if days:
        assert end.weekday() < 5 and end not in holidays

"""The panels' quarterly statistics on small tables worked out by hand (docs/measures/panels.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from saferhub.app.publish import panel as publish_panel
from saferhub.errors import ConfigurationError
from saferhub.measures.panels import (
    CaseRow,
    IncidentRow,
    case_rows,
    cases_heard,
    median_days_to_review,
    open_cases,
    panel_statistics,
    referrals,
    repeats,
    reviews_met,
    reviews_not_met,
    sirm_breaches,
    sirms_called,
    sirms_within_24_hours,
)
from saferhub.rules.disclosure import Audience
from saferhub.rules.periods import FinancialQuarter

Q3 = FinancialQuarter(2026, 3)  # 1 October to 31 December 2026
Q2 = FinancialQuarter(2026, 2)


def case(ref, referred, heard=None, repeat=False, reviewed=None, closed=None, panel="asb_marac"):
    return CaseRow(ref, panel, 1, referred, heard, repeat, reviewed, closed)


CASES = [
    # referred in Q2, heard in Q2 (review due 9 Oct, reviewed 5 Oct: on time, in Q3)
    case("C1", date(2026, 8, 20), heard=date(2026, 8, 28), reviewed=date(2026, 10, 5)),
    # referred in Q3, a repeat, heard in Q3 (review due 12 Dec, reviewed 20 Dec: late)
    case(
        "C2", date(2026, 10, 1), heard=date(2026, 10, 31), repeat=True, reviewed=date(2026, 12, 20)
    ),
    # referred in Q3, heard in Q3, review due 26 Dec and not done: missed if run after then
    case("C3", date(2026, 11, 1), heard=date(2026, 11, 14)),
    # referred in Q3, closed 31 Dec: not open at the quarter's end
    case("C4", date(2026, 12, 1), closed=date(2026, 12, 31)),
    # referred in Q1, closed 1 Jan 2027: still open at Q3's end
    case("C5", date(2026, 5, 1), closed=date(2027, 1, 1)),
    # another panel's case is never counted by the panel's table
    case("A1", date(2026, 10, 2), panel="adults_at_risk"),
]
REVIEW_DAYS = 42


def test_referrals_heard_repeats_and_open_cases_by_hand():
    own = [c for c in CASES if c.panel == "asb_marac"]
    assert referrals(own, Q3) == 3  # C2, C3, C4
    assert referrals(own, Q2) == 1  # C1
    assert cases_heard(own, Q3) == 2  # C2, C3
    assert repeats(own, Q3) == 1  # C2
    # At 31 December: C1, C2, C3 and C5 open; C4 closed that day.
    assert open_cases(own, Q3) == 4


def test_reviews_met_and_not_met_by_hand():
    own = [c for c in CASES if c.panel == "asb_marac"]
    # Due in Q3: C1 (9 Oct, met), C2 (12 Dec, late), C3 (26 Dec, not done).
    assert reviews_met(own, Q3, REVIEW_DAYS) == 1
    assert reviews_not_met(own, Q3, REVIEW_DAYS, as_of=date(2027, 1, 5)) == 2
    # Run on 20 December, C3's review is not yet due: only C2 counts as not met.
    assert reviews_not_met(own, Q3, REVIEW_DAYS, as_of=date(2026, 12, 20)) == 1


def test_median_days_to_review_by_hand():
    own = [c for c in CASES if c.panel == "asb_marac"]
    # Reviewed in Q3: C1 after 38 days, C2 after 50 days: median 44.
    assert median_days_to_review(own, Q3) == 44.0
    assert median_days_to_review(own, Q2) is None


AT = datetime(2026, 11, 10, 21, 0, tzinfo=UTC)
INCIDENTS = [
    IncidentRow("SV1", "sirm", AT, AT + timedelta(hours=20)),  # within 24 hours
    IncidentRow("SV2", "sirm", AT, AT + timedelta(hours=24)),  # exactly 24 hours: within
    IncidentRow("SV3", "sirm", AT, AT + timedelta(hours=24, minutes=1)),  # late
    IncidentRow("SV4", "sirm", AT + timedelta(days=40), None),  # 20 Dec, not yet held
    IncidentRow("SV5", "adults_at_risk", AT, None),  # not a SIRM
]


def test_sirms_within_24_hours_and_breaches_by_hand():
    assert sirms_called(INCIDENTS, Q3) == 4
    assert sirms_within_24_hours(INCIDENTS, Q3) == 2
    # Before SV4's 24 hours run out only SV3 is a breach; after, SV4 is one too.
    assert sirm_breaches(INCIDENTS, Q3, now=AT + timedelta(days=40, hours=23)) == 1
    assert sirm_breaches(INCIDENTS, Q3, now=AT + timedelta(days=41, hours=1)) == 2


def test_the_table_counts_only_the_panels_own_cases_and_the_public_version_hides_1_to_4():
    stats = panel_statistics(
        CASES,
        panel="asb_marac",
        last=Q3,
        quarters=2,
        review_after_days=REVIEW_DAYS,
        as_of=datetime(2027, 1, 5, tzinfo=UTC),
    )
    assert [q.key for q in stats.quarters] == ["2026/27-Q2", "2026/27-Q3"]
    assert stats.counts["referrals"] == [1, 3]
    assert stats.counts["open_cases"] == [2, 4]  # Q2's end: C1 and C5
    published = publish_panel(stats, Audience.PUBLIC)
    assert published.audience == "public"
    # Both hidden; not as "<5", which with their total (4) would say neither quarter had 4.
    assert published.counts["referrals"] == ["[c]", "[c]"]
    assert published.median_days_to_review == [None, "<5"]  # two reviews: too few to show
    assert publish_panel(published, Audience.PUBLIC) is published
    assert publish_panel(stats, Audience.PARTNERSHIP).counts["referrals"] == [1, 3]


def test_a_zero_stays_visible_and_a_count_of_5_is_published():
    rows = [case(f"C{i}", date(2026, 10, 1) + timedelta(days=i)) for i in range(5)]
    stats = panel_statistics(
        rows,
        panel="asb_marac",
        last=Q3,
        quarters=2,
        review_after_days=42,
        as_of=datetime(2027, 1, 5, tzinfo=UTC),
    )
    assert publish_panel(stats, Audience.PUBLIC).counts["referrals"] == [0, 5]


def test_the_sirm_table_adds_the_24_hour_measures():
    stats = panel_statistics(
        [],
        panel="sirm",
        last=Q3,
        quarters=1,
        review_after_days=28,
        as_of=AT + timedelta(days=41, hours=1),
        incidents=INCIDENTS,
    )
    assert stats.counts["sirms_within_24_hours"] == [2]
    assert stats.counts["sirm_breaches"] == [2]
    labels = [label for label, _ in stats.rows()]
    assert "SIRMs held within 24 hours" in labels


def test_a_row_missing_a_column_is_named():
    with pytest.raises(ConfigurationError, match="Case row 1 has no column 'heard_date'"):
        case_rows(
            [
                {
                    "reference": "C1",
                    "panel": "asb_marac",
                    "person_id": 1,
                    "referral_date": date(2026, 10, 1),
                }
            ]
        )


def test_too_many_quarters_is_refused():
    with pytest.raises(ConfigurationError, match="1 to 12"):
        panel_statistics(
            [], panel="asb_marac", last=Q3, quarters=13, review_after_days=42, as_of=AT
        )

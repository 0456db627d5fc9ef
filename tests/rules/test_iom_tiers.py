"""IOM tiers, tier history and contact plans."""

from __future__ import annotations

from datetime import date

import pytest

from saferhub.errors import ConfigurationError
from saferhub.rules.iom_tiers import (
    ContactPlan,
    ContactStandard,
    Tier,
    TierChange,
    compliance,
    required_contacts,
    tier_on,
    tier_spans,
)

HISTORY = [
    TierChange(Tier.RED, date(2023, 1, 1), "Selected: violent offending"),
    TierChange(Tier.AMBER, date(2023, 3, 1), "Engaging well"),
    TierChange(Tier.BLUE, date(2023, 6, 10), "Remanded"),
]


def test_default_plan_is_daily_for_red_and_amber_and_two_to_three_a_week_for_green():
    plan = ContactPlan.default()
    assert plan.standards[Tier.RED].label == "Daily"
    assert plan.standards[Tier.AMBER].label == "Daily"
    assert plan.standards[Tier.GREEN].label == "2\u20133 times a week"
    assert plan.required_per_week(Tier.BLUE) == 0


def test_partnership_can_configure_its_plan():
    plan = ContactPlan.from_mapping({"Amber": 5, "green": [1, 2]})
    assert plan.required_per_week(Tier.AMBER) == 5
    assert plan.required_per_week(Tier.GREEN) == 1
    assert plan.required_per_week(Tier.RED) == 7


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"Purple": 1}, "not an IOM tier"),
        ({"Red": "daily"}, "contacts a week"),
        ({"Red": [3, 1]}, "not possible"),
    ],
)
def test_bad_contact_plans_are_rejected(settings, message):
    with pytest.raises(ConfigurationError, match=message):
        ContactPlan.from_mapping(settings)


def test_tier_on_a_day_is_the_latest_change_on_or_before_it():
    assert tier_on(HISTORY, date(2022, 12, 31)) is None
    assert tier_on(HISTORY, date(2023, 1, 1)) is Tier.RED
    assert tier_on(HISTORY, date(2023, 2, 28)) is Tier.RED
    assert tier_on(HISTORY, date(2023, 3, 1)) is Tier.AMBER
    assert tier_on(reversed(HISTORY), date(2023, 7, 1)) is Tier.BLUE


def test_a_tier_change_needs_a_reason():
    with pytest.raises(ConfigurationError, match="needs a reason"):
        TierChange(Tier.GREEN, date(2023, 1, 1), "")


def test_spans_cover_the_period_without_gaps():
    spans = tier_spans(HISTORY, date(2023, 2, 1), date(2023, 6, 30))
    assert [(s.tier, s.first, s.last) for s in spans] == [
        (Tier.RED, date(2023, 2, 1), date(2023, 2, 28)),
        (Tier.AMBER, date(2023, 3, 1), date(2023, 6, 9)),
        (Tier.BLUE, date(2023, 6, 10), date(2023, 6, 30)),
    ]
    assert sum(s.days for s in spans) == (date(2023, 6, 30) - date(2023, 2, 1)).days + 1


def test_compliance_counts_attended_contacts_against_the_plan():
    spans = tier_spans(
        [TierChange(Tier.GREEN, date(2023, 1, 1), "x")], date(2023, 1, 2), date(2023, 1, 15)
    )
    assert required_contacts(spans, ContactPlan.default()) == pytest.approx(4)  # 2 weeks at 2
    result = compliance(spans, ContactPlan.default(), ["attended"] * 3 + ["missed", "cancelled"])
    assert (result.attended, result.missed, result.cancelled) == (3, 1, 1)
    assert result.rate == pytest.approx(75)
    assert result.met is False


def test_compliance_in_custody_has_no_rate():
    spans = tier_spans(
        [TierChange(Tier.BLUE, date(2023, 1, 1), "x")], date(2023, 1, 1), date(2023, 1, 31)
    )
    assert compliance(spans, ContactPlan.default(), []).rate is None


def test_unknown_contact_outcome_is_rejected():
    with pytest.raises(ConfigurationError, match="not a contact outcome"):
        compliance([], ContactPlan.default(), ["phoned"])


def test_contact_standard_must_be_possible():
    with pytest.raises(ConfigurationError):
        ContactStandard(3, 2)

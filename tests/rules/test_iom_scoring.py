"""IOM selection scoring: transparent, configurable, and explained line by line."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.errors import ConfigurationError
from saferhub.rules.iom_scoring import (
    DEFAULT_GRAVITY,
    Band,
    CountBand,
    Decision,
    DeselectionPolicy,
    ScoredOffence,
    ScoringMatrix,
    SelectionDecision,
    score,
)

ON = date(2023, 9, 30)


def ago(days: int, group: str = "burglary_residential") -> ScoredOffence:
    return ScoredOffence(ON - timedelta(days=days), group)


def test_neighbourhood_crime_and_violence_outscore_other_offences_by_default():
    top_groups = {
        "burglary_residential",
        "robbery_personal",
        "theft_from_person",
        "theft_of_vehicle",
        "violence_with_injury",
    }
    lowest_top = min(DEFAULT_GRAVITY[g] for g in top_groups)
    for group in ("shoplifting", "drugs", "public_order", "criminal_damage", "other_theft"):
        assert DEFAULT_GRAVITY[group] < lowest_top


def test_score_is_gravity_times_recency_plus_frequency_with_each_line_shown():
    result = score([ago(10), ago(100), ago(400, "shoplifting")], ON)
    # burglary gravity 7: x3 in the last 3 months, x2 at 3-6 months; shoplifting 2 x1
    assert result.total == pytest.approx(7 * 3 + 7 * 2 + 2 * 1)
    labels = [c.label for c in result.components]
    assert labels[0] == "burglary_residential, in the last 3 months"
    assert result.components[0].working == "1 \u00d7 gravity 7 \u00d7 recency 3"
    assert result.offences_counted == 3
    assert result.offences_last_year == 2
    assert result.components[-1].label == "Frequency"


def test_offences_older_than_the_look_back_or_after_the_date_score_nothing():
    assert score([ago(1096), ago(-1)], ON).total == 0


def test_frequency_bonus_applies_from_three_offences_in_a_year():
    two = score([ago(200, "other"), ago(201, "other")], ON)
    three = score([ago(200, "other"), ago(201, "other"), ago(202, "other")], ON)
    assert two.components[-1].points == 0
    assert three.components[-1].points == 6


def test_ogrs_and_ovp_only_count_when_configured():
    offences = [ago(10)]
    assert score(offences, ON, ogrs=80, ovp=60).total == score(offences, ON).total
    matrix = ScoringMatrix(ogrs_points_per_10=1, ovp_points_per_10=2)
    with_risk = score(offences, ON, matrix, ogrs=80, ovp=60)
    assert with_risk.total == pytest.approx(21 + 8 + 12)
    assert [c.label for c in with_risk.components][-2:] == ["OGRS score", "OVP score"]


def test_group_labels_make_the_breakdown_readable():
    result = score([ago(10)], ON, group_labels={"burglary_residential": "Residential burglary"})
    assert result.components[0].label.startswith("Residential burglary")


def test_matrix_from_settings_merges_gravity_over_the_defaults():
    matrix = ScoringMatrix.from_mapping({"gravity": {"drugs": 9}, "ogrs_points_per_10": 1})
    assert matrix.gravity_of("drugs") == 9
    assert matrix.gravity_of("burglary_residential") == DEFAULT_GRAVITY["burglary_residential"]
    assert matrix.ogrs_points_per_10 == 1


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"colour": 1}, "unknown setting"),
        ({"gravity": {"drugs": -1}}, "gravity of 'drugs'"),
        ({"recency": [{"up_to": 365, "value": 1}, {"up_to": 90, "value": 2}]}, "recency bands"),
        ({"frequency": [{"at_least": 2, "points": 1}, {"at_least": 5, "points": 2}]}, "frequency"),
        ({"ogrs_points_per_10": -1}, "OGRS"),
        ({"recency": [{"value": 1}]}, "cannot be read"),
    ],
)
def test_bad_matrix_settings_are_rejected_naming_the_setting(settings, message):
    with pytest.raises(ConfigurationError, match=message):
        ScoringMatrix.from_mapping(settings)


def test_a_judgement_decision_needs_a_reason():
    with pytest.raises(ConfigurationError, match="needs a reason"):
        SelectionDecision(Decision.ADD, "  ")
    assert SelectionDecision(Decision.REMOVE, "Moved out of area").reason


def test_deselection_period_must_be_sensible():
    with pytest.raises(ConfigurationError, match="offence-free period"):
        DeselectionPolicy(0)


offence_lists = st.lists(
    st.builds(
        ScoredOffence,
        st.dates(min_value=date(2019, 1, 1), max_value=date(2023, 12, 31)),
        st.sampled_from([*DEFAULT_GRAVITY, "unknown_group"]),
    ),
    max_size=30,
)


@given(offences=offence_lists)
def test_total_is_always_the_sum_of_its_breakdown(offences):
    result = score(offences, ON)
    assert result.total == pytest.approx(sum(points for _, _, points in result.breakdown))


@given(offences=offence_lists, extra_days=st.integers(min_value=0, max_value=1095))
def test_another_offence_never_lowers_a_score(offences, extra_days):
    before = score(offences, ON).total
    after = score([*offences, ago(extra_days, "other")], ON).total
    assert after >= before


def test_custom_bands_are_used():
    matrix = ScoringMatrix(recency=(Band(30, 5.0, "this month"),), frequency=(CountBand(1, 1.0),))
    assert score([ago(20, "other"), ago(40, "other")], ON, matrix).total == 5 + 1

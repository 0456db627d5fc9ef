"""The pure rules of the needs analysis: age bands, ethnicity groups, disadvantage, percentages."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.rules import needs as rules
from saferhub.rules.demographics import ETHNICITIES


@pytest.mark.parametrize(
    ("age", "band"),
    [(10, "Under 18"), (17, "Under 18"), (18, "18–25"), (25, "18–25"), (26, "26–49"),
     (49, "26–49"), (50, "50+"), (110, "50+")],
)  # fmt: skip
def test_age_bands_follow_the_seed_young_adult_and_older_cut_offs(age, band):
    assert rules.age_band(age) == band


@given(st.integers(rules.MIN_AGE, rules.MAX_AGE))
def test_every_possible_age_falls_in_exactly_one_band(age):
    matching = [
        b for b in rules.AGE_BANDS if b.lowest <= age and (b.highest is None or age <= b.highest)
    ]
    assert len(matching) == 1 and matching[0].label == rules.age_band(age)


def test_an_age_below_the_youngest_band_is_a_mistake():
    with pytest.raises(ValueError, match="below 10"):
        rules.age_band(9)


def test_a_birthday_counts_from_the_day_itself():
    assert rules.age_at(date(2000, 10, 15), date(2021, 10, 15)) == 21
    assert rules.age_at(date(2000, 10, 16), date(2021, 10, 15)) == 20
    assert rules.age_at(date(2000, 2, 29), date(2021, 2, 28)) == 20


@pytest.mark.parametrize(
    ("recorded", "group"),
    [
        ("Other ethnic group: Arab", rules.ARAB),
        ("Arab", rules.ARAB),
        ("Other ethnic group", rules.OTHER),
        ("Asian, Asian British or Asian Welsh: Chinese", rules.ASIAN),
        ("Black, Black British, Black Welsh, Caribbean or African", rules.BLACK),
        ("Mixed or Multiple ethnic groups: White and Black Caribbean", rules.MIXED),
        ("White: Roma", rules.WHITE),
        ("  white:  irish ", rules.WHITE),
        ("Not stated", rules.NO_DATA),
        ("No Data", rules.NO_DATA),
        ("Refusal", rules.REFUSAL),
        ("W1", rules.WHITE),
    ],
)
def test_ons_2021_categories_map_onto_the_eight_groups_of_seed_000(recorded, group):
    assert rules.ethnic_group(recorded) == group


def test_every_ethnicity_the_rest_of_saferhub_records_has_a_seed_group():
    for code, label, _ in ETHNICITIES:
        assert rules.ethnic_group(code) in rules.ETHNIC_GROUPS
        assert rules.ethnic_group(label) in rules.ETHNIC_GROUPS


def test_an_unknown_ethnicity_is_not_guessed():
    assert rules.ethnic_group("Martian") is None


def test_the_two_way_grouping_leaves_refused_and_missing_ethnicity_out():
    grouped = {g: rules.broad_ethnic_group(g) for g in rules.ETHNIC_GROUPS}
    assert [g for g, broad in grouped.items() if broad == rules.WHITE] == [rules.WHITE]
    assert grouped[rules.REFUSAL] is None and grouped[rules.NO_DATA] is None
    assert sum(broad == rules.BAME for broad in grouped.values()) == 5


NEEDS = st.fixed_dictionaries({n.code: st.booleans() for n in rules.NEEDS})
REGISTRATIONS = st.fixed_dictionaries({r.code: st.booleans() for r in rules.REGISTRATIONS})


@given(NEEDS, REGISTRATIONS)
def test_severe_multiple_disadvantage_is_offending_plus_any_other_domain(needs, registrations):
    other = (
        needs["accommodation"]
        or needs["drug_misuse"]
        or needs["alcohol_misuse"]
        or needs["emotional_wellbeing"]
        or registrations["mental_health"]
    )
    assert "offending" in rules.smd_domains(needs, registrations)
    assert rules.has_smd(needs, registrations) == other


def test_a_person_with_no_other_domain_does_not_have_severe_multiple_disadvantage():
    needs = dict.fromkeys((n.code for n in rules.NEEDS), False)
    registrations = dict.fromkeys((r.code for r in rules.REGISTRATIONS), False)
    needs["ete"] = registrations["weapons"] = True  # not SMD domains
    assert rules.smd_domains(needs, registrations) == {"offending"}
    assert not rules.has_smd(needs, registrations)


@pytest.mark.parametrize(
    ("count", "base", "expected"),
    [(117, 835, 14.01), (4, 940, 0.43), (567, 869, 65.25), (1, 8, 12.5), (1, 200, 0.5),
     (0, 5, 0.0), (3, 0, None)],
)  # fmt: skip
def test_percentages_round_half_up_to_two_places_as_the_seed_spreadsheet_does(
    count, base, expected
):
    assert rules.percent(count, base) == expected


@given(st.integers(1, 10_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_a_yes_and_no_percentage_add_up_to_100_within_rounding(pair):
    yes, base = pair
    total = rules.percent(yes, base) + rules.percent(base - yes, base)
    assert 0 <= rules.percent(yes, base) <= 100
    assert abs(total - 100) <= 0.01 + 1e-9


def test_whole_percentages_for_sentences_round_half_up():
    assert rules.whole_percent(1, 8) == 13  # 12.5
    assert rules.whole_percent(576, 591) == 97
    assert rules.whole_percent(1, 0) is None


def test_codes_compare_without_case_or_extra_spaces():
    assert rules.code_key("  Not   Assessed ") == "not assessed"

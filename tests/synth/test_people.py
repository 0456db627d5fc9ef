"""The synthetic nominals match the borough they stand for (seed 000's Barnet caseload)."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from saferhub.rules.demographics import ETHNICITY_LABELS, PROBATION_GROUP, age_on
from saferhub.synth.people import (
    AGENCIES,
    ETHNICITY_WEIGHTS,
    NOMINALS,
    agency_rows,
    generate_people,
    people_rows,
)
from saferhub.synth.world import World

# Seed 000 (seeds/000_67c07e38347c6b69.txt), lines 22 and 24: the current caseload of 786
# and the OMIC caseload of 154.
CURRENT_CASELOAD, OMIC_CASELOAD = 786, 154
# Seed 000, lines 111-112 ("Gender by Community & Custody"): 567 + 302 men, 63 + 15 women.
SEED_MALE_SHARE = (567 + 302) / (567 + 302 + 63 + 15)


@pytest.fixture(scope="module", params=[2023, 7], ids=lambda seed: f"seed {seed}")
def people(request):
    return generate_people(World(seed=request.param, scale=1.0))


def within_sampling_error(observed: float, expected: float, n: int) -> bool:
    """Observed share within four standard errors of the expected one."""
    return abs(observed - expected) <= 4 * math.sqrt(expected * (1 - expected) / n)


def test_a_borough_at_scale_one_has_six_thousand_nominals(people):
    assert len(people) == NOMINALS


def test_the_probation_caseload_is_the_current_plus_the_omic_caseload(people):
    assert sum(1 for p in people if p.crn) == CURRENT_CASELOAD + OMIC_CASELOAD


def test_people_on_probation_are_mostly_men_as_in_the_seed(people):
    on_probation = [p for p in people if p.crn]
    male_share = sum(1 for p in on_probation if p.gender == "M") / len(on_probation)
    assert within_sampling_error(male_share, SEED_MALE_SHARE, len(on_probation))


def test_ethnicity_follows_the_seed_weights(people):
    counts = Counter(p.ethnicity for p in people)
    total_weight = sum(ETHNICITY_WEIGHTS.values())
    for code, weight in ETHNICITY_WEIGHTS.items():
        expected = weight / total_weight
        assert within_sampling_error(counts[code] / len(people), expected, len(people)), code


def test_every_ethnicity_code_is_one_the_app_knows():
    # The demo loads these codes into Person.ethnicity, whose choices come from demographics.
    assert set(ETHNICITY_WEIGHTS) == set(ETHNICITY_LABELS)


def test_the_ethnicity_weights_add_up_to_the_seed_probation_groups():
    # Seed 000, lines 151-158: Arab 17, Asian 71, Black 229, Mixed 61, Other 41,
    # White 396, Refusal 8, No Data 124 (community plus custody).
    by_group = Counter()
    for code, weight in ETHNICITY_WEIGHTS.items():
        by_group[PROBATION_GROUP[code]] += weight
    assert by_group == {
        "Arab": 12 + 5,
        "Asian or Asian British": 48 + 23,
        "Black or Black British": 137 + 92,
        "Mixed": 34 + 27,
        "Other Ethnic Group": 27 + 14,
        "White": 273 + 123,
        "Refusal": 7 + 1,
        "No Data": 92 + 32,
    }


def test_everyone_known_to_police_has_a_pnc_id(people):
    assert all(p.pnc_id for p in people)


@pytest.mark.parametrize("identifier", ["person_id", "pnc_id", "crn"])
def test_identifiers_are_unique(people, identifier):
    values = [getattr(p, identifier) for p in people if getattr(p, identifier)]
    assert len(values) == len(set(values))


def test_everyone_is_an_adult_of_at_most_seventy_five_on_the_as_of_date(people):
    as_of = World(seed=0).as_of
    ages = [age_on(p.date_of_birth, as_of) for p in people]
    assert min(ages) >= 18
    assert max(ages) <= 75


def test_a_smaller_scale_keeps_the_share_on_probation():
    small = generate_people(World(seed=2023, scale=0.1))
    assert len(small) == round(NOMINALS * 0.1)
    assert sum(1 for p in small if p.crn) == round((CURRENT_CASELOAD + OMIC_CASELOAD) * 0.1)


def test_people_rows_have_the_documented_columns(people):
    rows = people_rows(people[:3])
    assert list(rows[0]) == [
        "person_id", "first_name", "last_name", "aliases", "date_of_birth", "gender",
        "ethnicity", "address", "postcode", "ward", "pnc_id", "crn",
    ]  # fmt: skip
    assert all(row["date_of_birth"][4] == "-" for row in rows)


def test_agency_rows_list_each_agency_once_with_its_programmes():
    rows = agency_rows()
    assert [row["name"] for row in rows] == [name for name, _, _ in AGENCIES]
    assert len({row["name"] for row in rows}) == len(rows)
    police = next(row for row in rows if row["kind"] == "police")
    assert police["programmes"].split(";") == [
        "iom",
        "da_marac",
        "asb_marac",
        "adults_at_risk",
        "asb",
        "sirm",
    ]

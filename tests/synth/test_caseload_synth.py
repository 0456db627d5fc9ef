"""The synthetic caseload extract: seed 000's shape, the world's people, and a clean read."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date

import pytest

from saferhub.rules import needs as rules
from saferhub.sources.caseload import read_caseload
from saferhub.synth import caseload
from saferhub.synth.world import SynthPerson, World


def _write(tmp_path, rows):
    path = tmp_path / caseload.FILE_NAME
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _person(index: int, gender: str = "Male", crn: str | None = None) -> SynthPerson:
    return SynthPerson(
        person_id=f"P{index:06d}",
        first_name="Sam",
        last_name="Example",
        aliases=(),
        date_of_birth=date(1985, 3, index % 28 + 1),
        gender=gender,
        ethnicity="White: Irish",
        ward="Burnt Oak",
        address="1 Example Road",
        postcode="NW9 0AA",
        crn=crn,
    )


def test_at_scale_one_the_caseload_is_786_current_and_154_omic_cases():
    rows = caseload.generate(World(seed=1))[caseload.FILE_NAME]
    settings = Counter(r["setting"] for r in rows)
    assert settings == {"community": 629, "custody": 157, "omic": 154}
    assert settings["community"] + settings["custody"] == 786  # seed 000 line 22
    assert len({r["crn"] for r in rows}) == 940


def test_the_same_seed_gives_the_same_extract_and_another_seed_another():
    first = caseload.generate(World(seed=7, scale=0.2))
    assert first == caseload.generate(World(seed=7, scale=0.2))
    assert first != caseload.generate(World(seed=8, scale=0.2))


def test_the_extract_reads_cleanly_and_as_of_the_world_date(tmp_path):
    world = World(seed=2)
    loaded = read_caseload(_write(tmp_path, caseload.generate(world)[caseload.FILE_NAME]))
    assert loaded.people == 940
    assert loaded.as_of <= world.as_of


def test_people_with_a_crn_in_the_world_are_the_people_on_the_caseload():
    people = [_person(i, crn=f"X{i:06d}") for i in range(20)] + [_person(99)]  # no CRN
    people[3] = _person(3, gender="Female", crn="X000003")
    rows = caseload.generate(World(seed=3, scale=0.05, people=people))[caseload.FILE_NAME]
    by_crn = {r["crn"]: r for r in rows}
    assert len(rows) == 47  # 31 + 8 + 8 at this scale
    assert {f"X{i:06d}" for i in range(20)} <= set(by_crn)
    assert by_crn["X000003"]["gender"] == "Female"
    assert by_crn["X000005"]["ethnicity"] == "White: Irish"
    assert by_crn["X000005"]["date_of_birth"] == "1985-03-06"


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        # Seed 000 lines 31-40 and 111-112: shares in the community.
        ("assessed", 591 / 630),
        ("thinking_behaviour", 576 / 591),
        ("accommodation", 117 / 591),
        ("female", 63 / 630),
    ],
)
def test_the_community_caseload_follows_seed_000(measure, expected):
    rows = caseload.generate(World(seed=4, scale=10))[caseload.FILE_NAME]
    community = [r for r in rows if r["setting"] == rules.COMMUNITY]
    assessed = [r for r in community if r["assessment_date"]]
    if measure == "assessed":
        share = len(assessed) / len(community)
    elif measure == "female":
        share = sum(r["gender"] == "Female" for r in community) / len(community)
    else:
        share = sum(r[rules.need_column(measure)] == "yes" for r in assessed) / len(assessed)
    assert share == pytest.approx(expected, abs=0.02)


def test_ages_are_those_of_an_adult_probation_caseload():
    world = World(seed=5, scale=3)
    rows = caseload.generate(world)[caseload.FILE_NAME]
    ages = [rules.age_at(date.fromisoformat(r["date_of_birth"]), world.as_of) for r in rows]
    assert min(ages) >= 18 and max(ages) <= 81
    young = sum(18 <= a <= 25 for a in ages) / len(ages)
    assert 0.15 < young < 0.25

from collections import Counter
from datetime import date

import pytest

from saferhub.measures.marac import case_table, quarterly_statistics
from saferhub.rules.marac import PreviousReferral, RepeatRule
from saferhub.rules.panels import DA_MARAC, CaseState
from saferhub.rules.periods import FinancialQuarter
from saferhub.synth.marac import canonical_cases, generate
from saferhub.synth.people import generate_people, people_rows
from saferhub.synth.world import World

AS_OF = date(2023, 9, 30)
QUARTERS = [FinancialQuarter(2022, 1) + n for n in range(6)]


@pytest.fixture(scope="module")
def world():
    world = World(seed=7)
    generate_people(world)
    return world


@pytest.fixture(scope="module")
def extracts(world):
    return generate(world)


@pytest.fixture(scope="module")
def stats(world, extracts):
    people = people_rows(world.people) + extracts["people.csv"]
    rows = canonical_cases(extracts["marac_cases.csv"], people)
    return quarterly_statistics(case_table(rows), QUARTERS)


def test_the_same_seed_gives_the_same_extracts(world, extracts):
    again = World(seed=7)
    generate_people(again)
    assert generate(again) == extracts


def test_about_120_referrals_a_quarter(extracts):
    per_quarter = Counter(
        date.fromisoformat(c["referral_date"]).month for c in extracts["marac_cases.csv"]
    )
    total = sum(per_quarter.values())
    assert 6 * 100 <= total <= 6 * 140


def test_cases_heard_and_repeats_look_like_barnet(stats):
    heard = [q.cases_heard for q in stats.quarters]
    assert all(90 <= n <= 160 for n in heard), heard
    repeats = sum(q.repeat_cases for q in stats.quarters[1:]) / sum(heard[1:])
    assert 0.14 <= repeats <= 0.28
    male = sum(q.male for q in stats.quarters) / sum(heard)
    assert 0.04 <= male <= 0.14
    families = sum(q.families_with_children for q in stats.quarters) / sum(heard)
    assert 0.35 <= families <= 0.55


def test_repeat_flags_follow_the_repeat_rule(extracts):
    rule, history = RepeatRule(), {}
    for case in sorted(
        extracts["marac_cases.csv"], key=lambda c: (c["referral_date"], c["case_id"])
    ):
        day = date.fromisoformat(case["referral_date"])
        perpetrators = case["perpetrator_ids"].split(";")
        earlier = history.setdefault(case["victim_id"], [])
        assert rule.check(day, earlier, perpetrators).is_repeat == (case["is_repeat"] == "true")
        earlier.append(PreviousReferral(case["case_id"], day, frozenset(perpetrators)))


def test_no_meeting_hears_more_than_the_cap(extracts):
    per_meeting = Counter(
        c["meeting_date"] for c in extracts["marac_cases.csv"] if c["meeting_date"]
    )
    assert max(per_meeting.values()) <= DA_MARAC.case_cap
    assert all(date.fromisoformat(d).weekday() == 3 for d in per_meeting)


def test_statuses_are_case_states_and_fit_the_dates(extracts):
    for case in extracts["marac_cases.csv"]:
        state = CaseState(case["status"])
        meeting = case["meeting_date"]
        if state in {CaseState.REFERRED, CaseState.SCREENED}:
            assert not meeting
        elif state is CaseState.LISTED:
            assert date.fromisoformat(meeting) > AS_OF
        else:
            assert date.fromisoformat(meeting) <= AS_OF


def test_heard_cases_have_actions_and_some_are_overdue(extracts):
    actions = extracts["marac_actions.csv"]
    heard = {
        c["case_id"]
        for c in extracts["marac_cases.csv"]
        if c["status"] not in {"referred", "screened", "listed"}
    }
    assert {a["case_id"] for a in actions} == heard
    overdue = [
        a for a in actions if a["status"] == "open" and date.fromisoformat(a["due_date"]) < AS_OF
    ]
    recently_due = [
        a for a in actions if 0 < (AS_OF - date.fromisoformat(a["due_date"])).days <= 42
    ]
    # A realistic few: late actions are chased, so only those due in the last six weeks are open.
    assert 0 < len(overdue) <= 0.03 * len(actions)
    assert 0.05 <= len(overdue) / len(recently_due) <= 0.35
    assert all((AS_OF - date.fromisoformat(a["due_date"])).days <= 42 for a in overdue)
    for action in actions:
        assert action["owner_agency"] and action["risk_addressed"]
        assert (action["status"] == "done") == bool(action["completed_date"])


def test_minted_people_are_victims_and_perpetrators_kept_apart_from_nominals(world, extracts):
    minted = extracts["people.csv"]
    assert {p["person_id"][0] for p in minted} == {"V", "D"}
    known = {p.person_id for p in world.people}
    for case in extracts["marac_cases.csv"]:
        assert case["victim_id"].startswith("V")
        victim = case["victim_id"]
        assert victim not in case["perpetrator_ids"].split(";")
        for pid in case["perpetrator_ids"].split(";"):
            assert pid.startswith("D") or pid in known


def test_victims_are_mostly_female(extracts):
    victims = {c["victim_id"] for c in extracts["marac_cases.csv"]}
    genders = Counter(p["gender"] for p in extracts["people.csv"] if p["person_id"] in victims)
    assert genders["F"] / sum(genders.values()) > 0.85


def test_scale_multiplies_the_volume(world):
    big = World(seed=7, scale=3)
    big.people = world.people
    assert len(generate(big)["marac_cases.csv"]) > 2.5 * len(generate(world)["marac_cases.csv"])

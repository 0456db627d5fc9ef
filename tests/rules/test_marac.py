from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.errors import ConfigurationError
from saferhub.rules.checklist import default_checklist
from saferhub.rules.marac import (
    Criterion,
    EscalationRule,
    PersonDetails,
    PreviousReferral,
    RepeatRule,
    assess_criteria,
    normalise_name,
    perpetrator_problems,
    possible_duplicates,
)
from saferhub.rules.panels import RecordError

CHECKLIST = default_checklist()
days = st.dates(date(2015, 1, 1), date(2030, 12, 31))

# --- repeat rule ------------------------------------------------------------------------------


def _previous(on: date, case_id: str = "M1", perpetrators=("D1",)) -> PreviousReferral:
    return PreviousReferral(case_id, on, frozenset(perpetrators))


def test_repeat_referral_365_days_after_the_last_is_flagged():
    last = date(2023, 3, 1)
    check = RepeatRule().check(date(2024, 2, 29), [_previous(last)], ["D1"])
    assert (check.is_repeat, check.days_since) == (True, 365)
    assert "365 days after case M1" in check.reason


def test_referral_366_days_after_the_last_is_not_a_repeat():
    last = date(2023, 3, 1)
    check = RepeatRule().check(date(2024, 3, 1), [_previous(last)], ["D1"])
    assert (check.is_repeat, check.days_since) == (False, 366)
    assert "more than 365 days" in check.reason


@given(days, st.integers(1, 800))
def test_repeat_exactly_when_days_since_last_referral_are_365_or_fewer(last, gap):
    check = RepeatRule().check(last + timedelta(days=gap), [_previous(last)], ["D1"])
    assert check.is_repeat == (gap <= 365)
    assert check.days_since == gap


def test_the_most_recent_earlier_referral_decides():
    previous = [_previous(date(2021, 1, 1), "M1"), _previous(date(2023, 1, 10), "M7")]
    check = RepeatRule().check(date(2023, 6, 1), previous, ["D1"])
    assert check.is_repeat
    assert check.previous.case_id == "M7"


def test_a_different_perpetrator_is_not_a_repeat_by_default():
    check = RepeatRule().check(date(2023, 6, 1), [_previous(date(2023, 1, 1))], ["D2"])
    assert not check.is_repeat
    assert check.previous is None


def test_a_partnership_can_count_any_earlier_referral_of_the_victim():
    rule = RepeatRule(same_perpetrator=False)
    assert rule.check(date(2023, 6, 1), [_previous(date(2023, 1, 1))], ["D2"]).is_repeat


def test_an_unrecorded_perpetrator_leaves_the_victim_to_decide():
    assert RepeatRule().check(date(2023, 6, 1), [_previous(date(2023, 1, 1))], []).is_repeat


def test_a_same_day_referral_is_a_possible_duplicate_not_a_repeat():
    check = RepeatRule().check(date(2023, 6, 1), [_previous(date(2023, 6, 1))], ["D1"])
    assert not check.is_repeat
    assert [p.case_id for p in check.same_day] == ["M1"]


def test_first_referral_is_not_a_repeat():
    check = RepeatRule().check(date(2023, 6, 1), [], ["D1"])
    assert not check.is_repeat
    assert check.reason == "No earlier MARAC referral of this victim."


@pytest.mark.parametrize("bad", [0, -1, True, 5000])
def test_bad_repeat_windows_are_refused(bad):
    with pytest.raises(ConfigurationError, match="Repeat rule 'days'"):
        RepeatRule(days=bad)


# --- escalation rule --------------------------------------------------------------------------


def test_escalation_window_is_the_twelve_months_ending_on_the_referral_date():
    assert EscalationRule().window(date(2023, 9, 15)) == (date(2022, 9, 16), date(2023, 9, 15))


def test_escalation_window_from_the_end_of_march_goes_back_to_february():
    assert EscalationRule(months=1).window(date(2023, 3, 31)) == (
        date(2023, 3, 1),
        date(2023, 3, 31),
    )


def test_three_incidents_in_the_window_meet_the_escalation_criterion():
    incidents = [date(2022, 9, 16), date(2023, 3, 1), date(2023, 9, 15)]
    assert EscalationRule().is_met(incidents, date(2023, 9, 15))


def test_an_incident_on_the_first_excluded_day_does_not_count():
    incidents = [date(2022, 9, 15), date(2023, 3, 1), date(2023, 9, 15)]
    rule = EscalationRule()
    assert rule.count(incidents, date(2023, 9, 15)) == 2
    assert not rule.is_met(incidents, date(2023, 9, 15))


def test_a_local_variant_of_the_escalation_rule():
    rule = EscalationRule(incidents=2, months=6)
    assert rule.is_met([date(2023, 4, 1), date(2023, 9, 1)], date(2023, 9, 15))
    assert not rule.is_met([date(2023, 3, 15), date(2023, 9, 1)], date(2023, 9, 15))


@given(days, st.lists(st.integers(0, 800), max_size=8))
def test_escalation_counts_only_incidents_inside_its_window(referral, offsets):
    rule = EscalationRule()
    incidents = [referral - timedelta(days=o) for o in offsets]
    first, last = rule.window(referral)
    assert 365 <= (last - first).days + 1 <= 366
    assert rule.count(incidents, referral) == sum(first <= d <= last for d in incidents)


@pytest.mark.parametrize("changes", [{"incidents": 0}, {"months": 0}, {"months": 1.5}])
def test_bad_escalation_rules_are_refused(changes):
    with pytest.raises(ConfigurationError, match="Escalation rule"):
        EscalationRule(**changes)


# --- the four criteria together -----------------------------------------------------------------


def _yes(count):
    return CHECKLIST.score({qid: "yes" for qid in CHECKLIST.question_ids[:count]})


def test_visible_high_risk_is_met_at_the_threshold():
    assessment = assess_criteria(
        referral_date=date(2023, 9, 1), checklist=_yes(14), professional_judgement=False
    )
    assert assessment.met == (Criterion.VISIBLE_HIGH_RISK,)
    assert "14 'yes' answers" in assessment.finding(Criterion.VISIBLE_HIGH_RISK).explanation


def test_below_the_threshold_with_no_other_criterion_meets_none():
    assessment = assess_criteria(
        referral_date=date(2023, 9, 1), checklist=_yes(13), professional_judgement=False
    )
    assert not assessment.meets_any


def test_professional_judgement_needs_reasons():
    with pytest.raises(RecordError, match="Give the reasons") as caught:
        assess_criteria(
            referral_date=date(2023, 9, 1),
            checklist=None,
            professional_judgement=True,
            professional_judgement_reason="   ",
        )
    assert caught.value.for_field("professional_judgement_reason")


def test_professional_judgement_with_reasons_is_met_and_shows_them():
    assessment = assess_criteria(
        referral_date=date(2023, 9, 1),
        checklist=_yes(3),
        professional_judgement=True,
        professional_judgement_reason="Recent threats after separation",
    )
    finding = assessment.finding(Criterion.PROFESSIONAL_JUDGEMENT)
    assert finding.met
    assert finding.explanation == "Recent threats after separation"


def test_all_four_criteria_can_be_met_at_once():
    repeat = RepeatRule().check(date(2023, 9, 1), [_previous(date(2023, 2, 1))], ["D1"])
    assessment = assess_criteria(
        referral_date=date(2023, 9, 1),
        checklist=_yes(20),
        professional_judgement=True,
        professional_judgement_reason="Escalating control",
        incident_dates=[date(2023, 1, 1), date(2023, 5, 1), date(2023, 8, 30)],
        repeat=repeat,
    )
    assert set(assessment.met) == set(Criterion)


def test_an_incident_after_the_referral_date_is_refused():
    with pytest.raises(RecordError, match="after the referral date"):
        assess_criteria(
            referral_date=date(2023, 9, 1),
            checklist=None,
            professional_judgement=False,
            incident_dates=[date(2023, 9, 2)],
        )


# --- people -----------------------------------------------------------------------------------


def _person(pid, first, last, dob=date(1990, 5, 4)):
    return PersonDetails(pid, first, last, dob)


def test_a_perpetrator_who_is_the_victim_is_refused():
    victim = _person("V1", "Amira", "Khan")
    problems = perpetrator_problems(victim, [_person("D1", "Tom", "Hart"), victim])
    assert [p.field for p in problems] == ["perpetrators"]
    assert "Perpetrator 2 (Amira Khan) is the victim" in problems[0].message


def test_an_unsaved_perpetrator_with_the_victims_name_and_birthday_is_refused():
    victim = _person("V1", "Amira", "Khan")
    assert perpetrator_problems(victim, [_person(None, "AMIRA ", "khan")])


def test_a_referral_without_a_victim_is_refused():
    problems = perpetrator_problems(None, [_person("D1", "Tom", "Hart")])
    assert [p.field for p in problems] == ["victim"]


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("  Mary-Jane  O'Neil ", "mary jane o neil"),
        ("ZOË", "zoe"),
        ("Smith\u2013Jones", "smith jones"),
    ],
)
def test_names_are_normalised_for_matching(text, normal):
    assert normalise_name(text) == normal


EXISTING = [
    _person("V1", "Mary-Jane", "Smith"),
    _person("V2", "Mary Jane", "Smyth"),
    _person("V3", "Smith", "Mary-Jane"),
    _person("V4", "Mary-Jane", "Smith", date(1990, 4, 5)),
    _person("V5", "Mary-Jane", "Smith", date(1985, 1, 1)),
    _person("V6", "Mary-Jane", "Smith", None),
    _person("V7", "Dorothy", "Adeyemi"),
]


def test_likely_duplicates_are_offered_with_reasons_and_never_merged():
    found = possible_duplicates(
        PersonDetails(None, "mary jane", "SMITH", date(1990, 5, 4)), EXISTING
    )
    reasons = {c.person_id: c.reason for c in found}
    assert reasons["V1"] == "same name; same date of birth"
    assert reasons["V2"].startswith("similar name (Mary Jane Smyth,")
    assert reasons["V3"] == "same name with first and last names swapped; same date of birth"
    assert reasons["V4"] == "same name; date of birth with day and month swapped"
    assert reasons["V6"] == "same name; date of birth not recorded on one of the records"
    assert "V5" not in reasons  # same name, different birthday: a different person
    assert "V7" not in reasons
    assert found[0].person_id == "V1"
    assert len(EXISTING) == 7


def test_a_record_is_not_its_own_duplicate():
    assert possible_duplicates(EXISTING[0], EXISTING[:1]) == []


def test_the_similarity_bar_is_configurable():
    person = PersonDetails(None, "Mary Jane", "Smith", date(1990, 5, 4))
    strict = {c.person_id for c in possible_duplicates(person, EXISTING, min_similarity=1.0)}
    assert "V2" not in strict
    with pytest.raises(ConfigurationError, match="min_similarity"):
        possible_duplicates(person, EXISTING, min_similarity=0)


@given(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20), days)
def test_an_exact_copy_under_a_new_id_is_always_found(first, last, dob):
    original = PersonDetails("V1", first, last, dob)
    copy = PersonDetails(None, first.upper(), last, dob)
    found = possible_duplicates(copy, [original])
    assert [c.person_id for c in found] == ["V1"]

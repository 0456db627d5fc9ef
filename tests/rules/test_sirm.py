"""The SIRM routing rule, from the partnership's own words (BRIEF, "Adults at Risk Panel and SIRM"):

"A SIRM is held within 24 hours of serious violence when the victim or suspect is under 25 and
any of these applies: a borough resident; served an Osman warning; linked to gang activity;
known to children's services. A SIRM is always held when children live in the household.
Cases aged 19 or over that don't qualify go to the Adults at Risk Panel."
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.rules.panels import RecordError
from saferhub.rules.sirm import (
    CRITERIA,
    IncidentFacts,
    Route,
    decide,
    override,
    sirm_clock,
)

ages = st.one_of(st.none(), st.integers(min_value=0, max_value=120))
flags = st.fixed_dictionaries({code: st.booleans() for code in CRITERIA})


def facts_from(victim, suspect, criteria, children=False) -> IncidentFacts:
    return IncidentFacts(victim, suspect, children_in_household=children, **criteria)


@given(victim=ages, suspect=ages, criteria=flags, children=st.booleans())
def test_the_rule_matches_its_written_source(victim, suspect, criteria, children):
    """Every combination routes exactly as the three sentences of the rule say."""
    if victim is None and suspect is None:
        with pytest.raises(RecordError, match="age"):
            facts_from(victim, suspect, criteria, children)
        return
    known = [a for a in (victim, suspect) if a is not None]
    decision = decide(facts_from(victim, suspect, criteria, children))
    if children:
        expected = Route.SIRM  # "always held when children live in the household"
    elif any(a < 25 for a in known) and any(criteria.values()):
        expected = Route.SIRM  # "under 25 and any of these applies"
    elif any(a >= 19 for a in known):
        expected = Route.ADULTS_AT_RISK  # "aged 19 or over that don't qualify"
    else:
        expected = Route.NEITHER
    assert decision.route is expected
    assert decision.reasons, "a decision always shows its reasons"


@pytest.mark.parametrize(("age", "young"), [(23, True), (24, True), (25, False), (26, False)])
@pytest.mark.parametrize("who", ["victim", "suspect"])
def test_under_25_boundary_for_victim_or_suspect(age, young, who):
    # The other party is 40: over both ages, so only `age` can make the case "under 25".
    victim, suspect = (age, 40) if who == "victim" else (40, age)
    decision = decide(IncidentFacts(victim, suspect, gang_link=True))
    assert decision.route is (Route.SIRM if young else Route.ADULTS_AT_RISK)


@pytest.mark.parametrize(
    ("age", "route"),
    [
        (17, Route.NEITHER),
        (18, Route.NEITHER),
        (19, Route.ADULTS_AT_RISK),
        (20, Route.ADULTS_AT_RISK),
    ],
)
def test_aged_19_or_over_goes_to_the_adults_at_risk_panel_when_no_criterion(age, route):
    assert decide(IncidentFacts(age, None)).route is route
    assert decide(IncidentFacts(None, age)).route is route


@pytest.mark.parametrize("criterion", list(CRITERIA))
def test_each_criterion_alone_calls_a_sirm_for_someone_under_25(criterion):
    decision = decide(IncidentFacts(20, None, **{criterion: True}))
    assert decision.route is Route.SIRM
    met = [r.text for r in decision.reasons if r.met]
    assert any(r.startswith(CRITERIA[criterion]) for r in met)


@pytest.mark.parametrize("criterion", list(CRITERIA))
def test_a_criterion_does_not_call_a_sirm_when_everyone_is_25_or_over(criterion):
    assert decide(IncidentFacts(25, 30, **{criterion: True})).route is Route.ADULTS_AT_RISK


@given(victim=st.integers(0, 120), suspect=st.integers(0, 120))
def test_children_in_the_household_always_call_a_sirm(victim, suspect):
    decision = decide(IncidentFacts(victim, suspect, children_in_household=True))
    assert decision.route is Route.SIRM
    assert any("always" in r.text for r in decision.reasons if r.met)


@given(
    victim=st.integers(0, 120),
    criteria=flags,
    route=st.sampled_from(list(Route)),
    reason=st.text(min_size=1).filter(str.strip),
)
def test_an_override_keeps_the_rules_route_and_the_reason(victim, criteria, route, reason):
    decision = decide(facts_from(victim, None, criteria))
    if route is decision.route:
        with pytest.raises(RecordError, match="already decided"):
            override(decision, route, reason)
        return
    changed = override(decision, route, reason)
    assert changed.route is route
    assert changed.overridden and changed.suggested is decision.route
    assert changed.override_reason == reason.strip()
    assert changed.reasons == decision.reasons


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_override_without_a_reason_is_refused(reason):
    decision = decide(IncidentFacts(30, None))
    with pytest.raises(RecordError) as raised:
        override(decision, Route.SIRM, reason)
    assert raised.value.for_field("override_reason")


@pytest.mark.parametrize("age", [-1, 121])
def test_an_impossible_age_is_refused_on_its_field(age):
    with pytest.raises(RecordError) as raised:
        IncidentFacts(age, 30)
    assert raised.value.for_field("victim_age")


AT = datetime(2026, 11, 25, 22, 30, tzinfo=UTC)


@given(minutes=st.integers(0, 3 * 24 * 60))
def test_the_clock_is_met_only_within_24_hours(minutes):
    held = AT + timedelta(minutes=minutes)
    clock = sirm_clock(AT, now=held + timedelta(days=5), held_at=held)
    assert clock.met is (minutes <= 24 * 60)
    assert clock.breached is (minutes > 24 * 60)


def test_the_clock_counts_down_then_is_breached():
    running = sirm_clock(AT, now=AT + timedelta(hours=20, minutes=15))
    assert running.met is None and not running.breached
    assert running.label == "3 h 45 min left"
    late = sirm_clock(AT, now=AT + timedelta(hours=25))
    assert late.breached and late.label == "Overdue by 1 h 00 min"

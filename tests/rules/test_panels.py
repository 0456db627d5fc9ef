from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.errors import ConfigurationError
from saferhub.rules.panels import (
    ADULTS_AT_RISK,
    ASB_MARAC,
    DA_MARAC,
    DEFAULT_PANELS,
    TRANSITIONS,
    Cadence,
    CaseState,
    PanelConfig,
    RecordError,
    ReferralCriterion,
    TransitionError,
    allowed_next,
    cap_warning,
    check_new_listing,
    listing_date_problem,
    missing_fields,
    panel_config,
    transition,
)

MAIN_LINE = [
    CaseState.REFERRED,
    CaseState.SCREENED,
    CaseState.LISTED,
    CaseState.HEARD,
    CaseState.ACTIONS,
    CaseState.REVIEW,
    CaseState.CLOSED,
]


def test_a_case_can_walk_the_whole_lifecycle_in_order():
    state = CaseState.REFERRED
    for target in MAIN_LINE[1:]:
        state = transition(state, target)
    assert state is CaseState.CLOSED


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("referred", "heard"),
        ("referred", "listed"),
        ("screened", "heard"),
        ("heard", "closed"),
        ("actions", "closed"),
        ("listed", "actions"),
    ],
)
def test_skipping_a_stage_is_refused_with_the_allowed_moves(current, target):
    with pytest.raises(TransitionError, match=r"cannot become .* it can become"):
        transition(current, target)


def test_the_transition_error_names_the_status_field():
    with pytest.raises(TransitionError) as caught:
        transition("referred", "heard")
    assert caught.value.for_field("status")
    assert "'screened'" in caught.value.message


def test_a_closed_case_cannot_change():
    with pytest.raises(TransitionError, match="closed case cannot change"):
        transition(CaseState.CLOSED, CaseState.REFERRED)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("listed", "screened"),  # deferred: taken off an agenda
        ("review", "listed"),  # back to the panel
        ("referred", "closed"),  # withdrawn
        ("screened", "closed"),  # screened out
    ],
)
def test_side_routes_are_allowed(current, target):
    assert transition(current, target) == CaseState(target)


def test_unknown_state_names_are_configuration_errors():
    with pytest.raises(ConfigurationError, match="'pending' is not a case state"):
        transition("pending", "closed")


@given(st.sampled_from(list(CaseState)), st.sampled_from(list(CaseState)))
def test_transition_succeeds_exactly_when_the_table_allows_it(current, target):
    if target in allowed_next(current):
        assert transition(current, target) is target
    else:
        with pytest.raises(TransitionError):
            transition(current, target)


def test_every_state_can_reach_closed():
    for start in CaseState:
        seen, frontier = {start}, [start]
        while frontier:
            for nxt in TRANSITIONS[frontier.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        assert CaseState.CLOSED in seen


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("weekly", "weekly"),
        ("Monthly", "monthly"),
        ("every 6 weeks", "every 6 weeks"),
        ("every 2 months", "every 2 months"),
        ("every 1 week", "weekly"),
    ],
)
def test_cadence_reads_the_usual_spellings(text, label):
    assert Cadence.parse(text).label == label


@pytest.mark.parametrize("text", ["fortnightly", "every weeks", "every 0 weeks", "daily", ""])
def test_bad_cadences_are_refused(text):
    with pytest.raises(ConfigurationError, match=r"(?i)cadence"):
        Cadence.parse(text)


def test_weekly_meetings_fall_seven_days_apart():
    first = date(2023, 4, 6)  # a Thursday
    meetings = Cadence(1, "week").meetings(first, date(2023, 7, 1), date(2023, 7, 31))
    assert meetings == [date(2023, 7, 6), date(2023, 7, 13), date(2023, 7, 20), date(2023, 7, 27)]


def test_six_weekly_meetings_count_from_the_first_meeting():
    first = date(2023, 4, 12)
    meetings = Cadence(6, "week").meetings(first, date(2023, 4, 1), date(2023, 9, 30))
    assert meetings[:3] == [date(2023, 4, 12), date(2023, 5, 24), date(2023, 7, 5)]
    assert all((b - a).days == 42 for a, b in pairwise(meetings))


def test_monthly_meetings_on_the_31st_fall_on_the_last_day_of_short_months():
    meetings = Cadence(1, "month").meetings(date(2023, 1, 31), date(2023, 1, 1), date(2023, 4, 30))
    assert meetings == [date(2023, 1, 31), date(2023, 2, 28), date(2023, 3, 31), date(2023, 4, 30)]


@given(
    st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    st.integers(0, 800),
    st.sampled_from([Cadence(1, "week"), Cadence(6, "week"), Cadence(1, "month")]),
)
def test_next_meeting_is_scheduled_and_not_before_the_day(first, offset, cadence):
    day = first + timedelta(days=offset)
    nxt = cadence.next_meeting(first, day)
    assert nxt >= day
    assert nxt in cadence.meetings(first, day, nxt)


def test_default_panels_have_the_documented_settings():
    assert DA_MARAC.cadence.label == "weekly"
    assert DA_MARAC.case_cap == 15
    assert [c.code for c in DA_MARAC.referral_criteria] == [
        "visible_high_risk",
        "professional_judgement",
        "potential_escalation",
        "repeat",
    ]
    assert ASB_MARAC.cadence.label == "every 6 weeks"
    assert ADULTS_AT_RISK.cadence.label == "monthly"
    assert set(DEFAULT_PANELS) == {"da_marac", "asb_marac", "adults_at_risk", "sirm"}
    assert panel_config("asb_marac") is ASB_MARAC


def test_unknown_panel_code_is_refused():
    with pytest.raises(ConfigurationError, match="'iom' is not a panel"):
        panel_config("iom")


def _config(**changes):
    settings = {
        "code": "test_panel",
        "name": "Test panel",
        "cadence": Cadence(1, "week"),
        "case_cap": 10,
        "referral_criteria": (ReferralCriterion("any", "Any reason"),),
        "member_agencies": ("Police", "Housing"),
        "mandatory_fields": ("referring_agency",),
    }
    settings.update(changes)
    return PanelConfig(**settings)


def test_victim_is_always_mandatory_even_when_not_listed():
    assert _config().mandatory_fields == ("victim", "referring_agency")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "Test Panel"}, "Panel code"),
        ({"name": "  "}, "name must not be empty"),
        ({"case_cap": 0}, "case_cap"),
        ({"referral_criteria": ()}, "referral_criteria must list"),
        (
            {"referral_criteria": (ReferralCriterion("a", "A"), ReferralCriterion("a", "B"))},
            "repeated code",
        ),
        ({"member_agencies": ()}, "member_agencies must list"),
        ({"member_agencies": ("Police", "police")}, "an agency twice"),
        ({"mandatory_fields": ("shoe_size",)}, "'shoe_size', which is not a referral field"),
        ({"cadence": "weekly"}, "cadence must be a Cadence"),
        ({"review_after_days": 0}, "review_after_days"),
    ],
)
def test_bad_panel_settings_are_refused_naming_the_field(changes, message):
    with pytest.raises(ConfigurationError, match=message):
        _config(**changes)


def test_missing_and_blank_mandatory_fields_are_each_reported():
    problems = missing_fields(
        DA_MARAC,
        {
            "victim": None,
            "perpetrators": [],
            "relationship_to_victim": "  ",
            "children_in_household": [],  # an empty list answers "none"
            "safe_contact": "Call the mobile after 6pm",
            "referring_agency": "Police",
            "referral_criteria": ["visible_high_risk"],
        },
    )
    assert [p.field for p in problems] == ["victim", "perpetrators", "relationship_to_victim"]


def test_a_complete_referral_has_no_missing_fields():
    values = dict.fromkeys(DA_MARAC.mandatory_fields, "given")
    assert missing_fields(DA_MARAC, values) == []


def test_listing_up_to_the_cap_gives_no_warning():
    assert cap_warning(DA_MARAC, date(2023, 9, 7), already_listed=14) is None


def test_listing_past_the_cap_warns_but_does_not_refuse():
    warning = cap_warning(DA_MARAC, date(2023, 9, 7), already_listed=15)
    assert warning is not None
    assert (warning.listed, warning.cap) == (16, 15)
    assert "would have 16 cases" in warning.message
    assert "07 September 2023" in warning.message


@given(st.integers(0, 60), st.integers(1, 10))
def test_cap_warning_fires_exactly_when_the_total_exceeds_the_cap(listed, adding):
    warning = cap_warning(DA_MARAC, date(2023, 9, 7), listed, adding)
    assert (warning is not None) == (listed + adding > DA_MARAC.case_cap)


def test_bad_listing_counts_are_refused():
    with pytest.raises(ConfigurationError, match="Listing counts"):
        cap_warning(DA_MARAC, date(2023, 9, 7), already_listed=-1)


def test_a_new_listing_for_a_past_meeting_is_refused():
    with pytest.raises(RecordError, match="already taken place") as caught:
        check_new_listing(date(2023, 9, 5), today=date(2023, 9, 6))
    assert caught.value.for_field("meeting_date")


@pytest.mark.parametrize("meeting", [date(2023, 9, 6), date(2023, 9, 7), date(2024, 1, 1)])
def test_a_new_listing_for_today_or_later_is_accepted(meeting):
    assert listing_date_problem(meeting, today=date(2023, 9, 6)) is None
    check_new_listing(meeting, today=date(2023, 9, 6))

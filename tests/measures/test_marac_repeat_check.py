"""The stored repeat flags are checked against the repeat rule, and every disagreement named."""

from __future__ import annotations

from datetime import date

from saferhub.measures.marac import (
    Referral,
    case_table,
    check_repeat_flags,
    quarterly_statistics,
)
from saferhub.reports.marac import marac_json, marac_report
from saferhub.rules.periods import FinancialQuarter

Q4 = FinancialQuarter(2023, 4)  # January to March 2024

# Victim V: 1 March 2023, then 29 February 2024 (365 days later: a repeat by the rule).
# Victim W: 1 March 2023, then 1 March 2024 (366 days later: not a repeat).
REFERRALS = [
    Referral("V1", "V", date(2023, 3, 1), False),
    Referral("V2", "V", date(2024, 2, 29), False),  # wrong: the rule says repeat
    Referral("W1", "W", date(2023, 3, 1), False),
    Referral("W2", "W", date(2024, 3, 1), True),  # wrong: the rule says not a repeat
    Referral("X1", "X", date(2024, 1, 10), False),  # right
]


def _case(case_id, heard, is_repeat):
    return {
        "case_id": case_id,
        "date_heard": heard,
        "victim_gender": "F",
        "victim_lgbt": False,
        "victim_disabled": False,
        "victim_ethnicity": "W1",
        "victim_age": 30,
        "youngest_perpetrator_age": 32,
        "children_in_household": 0,
        "referring_agency_type": "police",
        "is_repeat": is_repeat,
    }


CASES = case_table(
    [
        _case("V2", date(2024, 3, 7), False),
        _case("W2", date(2024, 3, 14), True),
        _case("X1", date(2024, 1, 18), False),
    ]
)


def test_a_stored_flag_the_rule_disagrees_with_is_named_with_its_reason():
    check = check_repeat_flags(REFERRALS, ["V2", "W2", "X1"])
    assert check.checked == 3
    assert [(d.case_id, d.stored, d.by_rule) for d in check.disagreements] == [
        ("V2", False, True),
        ("W2", True, False),
    ]
    assert "365 days after case V1" in check.disagreements[0].reason
    assert "366 days earlier" in check.disagreements[1].reason


def test_flags_that_agree_with_the_rule_pass():
    check = check_repeat_flags(REFERRALS, ["X1", "V1", "W1"])
    assert check.agrees and check.checked == 3


def test_the_statistics_report_and_json_carry_the_disagreements():
    stats = quarterly_statistics(CASES, [Q4], referrals=REFERRALS)
    assert stats.latest.repeat_cases == 1  # the stored flags are still what is counted…
    assert [d.case_id for d in stats.repeat_check.disagreements] == ["V2", "W2"]
    report = marac_report(stats)
    section = next(s for s in report.sections if s.title == "Repeat flags to correct")
    assert "Warning: 2 of the 3 cases counted" in section.paragraphs[0]
    assert section.paragraphs[0].endswith("V2, W2.")
    assert [row[0] for row in section.blocks[0].rows] == ["V2", "W2"]
    data = marac_json(stats)["repeat_flag_check"]
    assert [d["case_id"] for d in data["disagreements"]] == ["V2", "W2"]
    assert data["checked"] == 3


def test_without_the_referral_history_the_report_says_the_flags_were_not_checked():
    stats = quarterly_statistics(CASES, [Q4])
    assert stats.repeat_check is None
    section = next(s for s in marac_report(stats).sections if s.title == "Repeat flags")
    assert "were not checked" in section.paragraphs[0]


def test_the_public_version_leaves_out_the_check_that_names_cases():
    from saferhub.app import publish
    from saferhub.rules.disclosure import Audience

    stats = quarterly_statistics(CASES, [Q4], referrals=REFERRALS)
    public = publish.marac(stats, Audience.PUBLIC)
    titles = [s.title for s in marac_report(public).sections]
    assert "Repeat flags to correct" not in titles and "Repeat flags" not in titles
    assert "repeat_flag_check" not in marac_json(public)
    partnership = publish.marac(stats, Audience.PARTNERSHIP)
    assert "Repeat flags to correct" in [s.title for s in marac_report(partnership).sections]
    assert marac_json(partnership)["repeat_flag_check"]["checked"] == 3

"""The board pack's sections read from SaferHub's own records: IOM, DA MARAC and the
needs analysis, each saying so in one sentence when nothing is recorded."""

from __future__ import annotations

import json
from datetime import date

import pytest

from saferhub.app.board_pack import PackRequest, build_pack
from saferhub.rules.periods import Month
from tests.factories_iom import MembershipFactory
from tests.factories_panels import CaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def pack(*sections, audience="restricted"):
    request = PackRequest(
        area="Barnet",
        meeting=date(2023, 11, 28),
        to=Month(2023, 9),
        audience=audience,
        sections=sections,
    )
    return build_pack(request)


def test_a_section_with_nothing_recorded_says_so_in_one_sentence():
    built = pack("summary", "dashboard", "iom", "marac", "needs")
    by_title = {s.title: s.paragraphs for s in built.sections}
    assert by_title["Performance dashboard"] == (
        "No crime figures are stored for Barnet to September 2023.",
    )
    assert by_title["IOM"] == ("No IOM cohort is recorded in SaferHub.",)
    assert by_title["DA MARAC"] == (
        "No DA MARAC cases were heard in the five quarters to 2023/24 Q2.",
    )
    assert by_title["Needs analysis"] == ("No caseload needs analysis is stored.",)
    # The summary quotes each partner's first sentence.
    summary = by_title["Executive summary"]
    assert "No IOM cohort is recorded in SaferHub." in summary


def test_marac_section_has_the_quarters_against_safelives_ranges_and_no_case_names():
    CaseFactory(heard_date=date(2023, 8, 3), status="actions", is_repeat=True)
    for day in (date(2023, 8, 10), date(2023, 9, 7)):
        CaseFactory(heard_date=day, status="actions")
    built = pack("summary", "marac")
    titles = [s.title for s in built.sections]
    assert titles[1:3] == [
        "DA MARAC: Cases and repeats",
        "DA MARAC: Victims, perpetrators and referrers",
    ]
    assert not any("Repeat flags" in t for t in titles)
    assert (
        "3 cases were heard in 2023/24 Q2, of which 1 was a repeat." in built.sections[0].paragraphs
    )
    volume = built.sections[1]
    assert any(getattr(b, "svg", None) for b in volume.blocks)  # the repeat-rate chart


def test_public_marac_section_hides_small_counts():
    for day in (date(2023, 8, 10), date(2023, 9, 7)):
        CaseFactory(heard_date=day, status="actions")
    built = pack("marac", audience="public")
    assert "Too few cases were heard in 2023/24 Q2" in built.sections[0].paragraphs[0]


def test_iom_section_is_published_without_casework_lists():
    MembershipFactory(join_date=date(2023, 1, 10))
    built = pack("iom")
    titles = [s.title for s in built.sections]
    assert titles[0] == "IOM cohort"
    assert all("restricted" not in t.lower() and "selection" not in t.lower() for t in titles)


def test_partners_panels_and_the_board_plan_come_from_their_own_records():
    from pathlib import Path

    from saferhub.app.partner import load_breakdowns
    from saferhub.web.insights.breakdowns import store_breakdowns
    from tests.factories_boardplan import ForwardPlanItemFactory, PlanActionFactory

    fixture = Path(__file__).parents[1] / "measures" / "fixtures" / "cctv_by_ward_jun_sep_2023.csv"
    store_breakdowns(load_breakdowns([fixture]))
    for day in (date(2023, 7, 6), date(2023, 8, 3), date(2023, 9, 14)):
        CaseFactory(panel="asb_marac", heard_date=day, referral_date=day, status="actions")
    PlanActionFactory(title="Open two more Safe Havens", rag="red", due_date=date(2024, 3, 31))
    ForwardPlanItemFactory(meeting_date=date(2024, 2, 27), title="Hate crime strategy refresh")

    built = pack("partner", "panels", "action_plan", "forward_plan")
    titles = [s.title for s in built.sections]
    assert "CCTV recorded incidents" in titles
    assert any("Community Safety MARAC" in t for t in titles), titles
    text = json.dumps(built.to_dict())
    assert "Open two more Safe Havens" in text
    assert "Hate crime strategy refresh" in text
    assert "314" in text  # the CCTV total for June to September 2023

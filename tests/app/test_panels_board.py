"""The panels' and ASB's board-pack sections, and the statistics read from the database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from saferhub.app import asb as asb_app
from saferhub.app import panels as app
from saferhub.rules.disclosure import Audience
from saferhub.rules.panels import panel_config
from saferhub.rules.periods import FinancialQuarter, Month
from saferhub.web.panels.models import Case
from tests.factories_asb import AsbCaseFactory, ToolUseFactory
from tests.factories_panels import CaseFactory

pytestmark = pytest.mark.django_db

Q3 = FinancialQuarter(2023, 3)  # October to December 2023
TO = Month(2023, 12)


def _counts(section) -> list[object]:
    table = section.blocks[0]
    return [cell for row in table.rows for cell in row[1:]]


@pytest.fixture
def cases():
    # Three CS MARAC referrals and seven Adults at Risk referrals in the quarter; no SIRM.
    for day in (2, 3, 4):
        CaseFactory(panel="asb_marac", referral_date=date(2023, 10, day))
    for day in range(1, 8):
        CaseFactory(panel="adults_at_risk", referral_date=date(2023, 11, day))


def test_one_section_per_panel_with_cases_and_none_for_an_empty_one(cases):
    sections = app.board_sections(to=TO, audience=Audience.PARTNERSHIP)
    titles = [s.title for s in sections]
    assert titles == [
        "Community Safety MARAC: quarterly statistics",
        "Adults at Risk Panel: quarterly statistics",
    ]
    cs = sections[0].blocks[0]
    assert cs.columns[-1] == Q3.label  # the quarter reported on is the last column
    referrals = next(row for row in cs.rows if row[0] == "Referrals")
    assert referrals[1:] == [0, 0, 0, 3]


def test_the_public_sections_show_no_count_from_1_to_4(cases):
    ToolUseFactory(used_on=date(2023, 11, 5))
    AsbCaseFactory(opened_on=date(2023, 10, 9))
    sections = app.board_sections(to=TO, audience=Audience.PUBLIC)
    assert [s.title for s in sections][-1] == "ASB statistics by quarter"
    shown = [cell for s in sections for cell in _counts(s)]
    assert not [c for c in shown if isinstance(c, int | float) and 1 <= c <= 4]
    assert "<5" in shown
    adults = next(s for s in sections if s.title.startswith("Adults"))
    referrals = next(row for row in adults.blocks[0].rows if row[0] == "Referrals")
    assert referrals[-1] == 7  # a count of 5 or more is published


def test_a_month_mid_quarter_reports_the_last_complete_quarter(cases):
    sections = app.board_sections(to=Month(2024, 2), audience=Audience.PARTNERSHIP)
    assert sections[0].blocks[0].columns[-1] == Q3.label


def test_nothing_to_count_gives_no_sections():
    assert app.board_sections(to=TO, audience=Audience.PUBLIC) == []


def test_the_page_statistics_are_published_once_for_the_audience(cases):
    config = panel_config("asb_marac")
    now = datetime(2024, 1, 5, tzinfo=UTC)
    partnership = app.statistics(config, Q3, 2, Audience.PARTNERSHIP, now)
    public = app.statistics(config, Q3, 2, Audience.PUBLIC, now)
    assert partnership.counts["referrals"] == [0, 3]
    assert 3 not in public.counts["referrals"]  # hidden, with what would give it back
    assert public.audience == "public"


def test_asb_statistics_count_cases_and_tools(cases):
    AsbCaseFactory(opened_on=date(2023, 10, 9))
    ToolUseFactory(used_on=date(2023, 11, 5), kind="cbo")
    published = asb_app.statistics([Q3], Audience.PARTNERSHIP)
    rows = {row.key: row.values[0] for row in published.rows}
    assert rows["cases_opened"] == 1 and rows["tool:cbo"] == 1


def test_the_sections_name_no_case_nor_person(cases):
    import json

    text = json.dumps(
        [s.to_dict() for s in app.board_sections(to=TO, audience=Audience.PARTNERSHIP)]
    )
    for case in Case.objects.select_related("victim"):
        assert case.reference not in text
        assert case.victim.last_name not in text and case.victim.first_name not in text

"""ASB quarterly statistics and the tools-and-powers series, on hand-made rows whose answers
can be counted by eye."""

from __future__ import annotations

from datetime import date

import pytest

from saferhub.app.publish import asb as publish
from saferhub.measures.asb import (
    SERIES_SOURCE,
    TOOL_SERIES_NAMES,
    AsbTables,
    quarterly_statistics,
    quarters_to,
    series_table,
)
from saferhub.measures.catalogue import default_catalogue
from saferhub.rules.disclosure import CONFIDENTIAL, SUPPRESSED, Audience
from saferhub.rules.periods import FinancialQuarter
from saferhub.sources.series import SCHEMA

Q1 = FinancialQuarter(2024, 1)  # April to June 2024
Q2 = FinancialQuarter(2024, 2)


def _tables():
    return AsbTables.from_rows(
        cases=[{"case_id": str(i), "opened_on": date(2024, 4, 1 + i)} for i in range(7)]
        + [{"case_id": "late", "opened_on": date(2024, 7, 1)}],
        incidents=[{"incident_id": str(i), "occurred_on": date(2024, 5, 1)} for i in range(12)],
        reviews=[
            {"review_id": "1", "requested_on": date(2024, 4, 3), "threshold_met": True,
             "completed_on": date(2024, 4, 30), "working_days": 18},
            {"review_id": "2", "requested_on": date(2024, 5, 3), "threshold_met": True,
             "completed_on": date(2024, 7, 2), "working_days": 40},
            {"review_id": "3", "requested_on": date(2024, 6, 3), "threshold_met": False,
             "completed_on": None, "working_days": None},
        ],
        tool_uses=[{"use_id": str(i), "kind": "cpn_warning", "used_on": date(2024, 4, 9)}
                   for i in range(6)]
        + [{"use_id": "x", "kind": "cbo", "used_on": date(2024, 5, 9)}],
    )  # fmt: skip


def test_quarterly_counts_follow_their_definitions():
    stats = quarterly_statistics(_tables(), [Q1, Q2])
    q1, q2 = stats.quarters
    assert (q1.cases_opened, q2.cases_opened) == (7, 1)
    assert q1.incidents == 12 and q2.incidents == 0
    assert (q1.reviews_requested, q1.reviews_met, q1.reviews_not_met) == (3, 2, 1)
    # A review counts as completed in the quarter it finished, with its working days.
    assert (q1.reviews_completed, q1.median_working_days) == (1, 18.0)
    assert (q2.reviews_completed, q2.median_working_days) == (1, 40.0)
    assert q1.tools["cpn_warning"] == 6 and q1.tools["cbo"] == 1 and q1.tools_total == 7


def test_public_version_hides_counts_of_one_to_four_and_their_complements():
    published = publish(quarterly_statistics(_tables(), [Q1]), Audience.PUBLIC)
    rows = {r.key: r.values[0] for r in published.rows}
    assert rows["cases_opened"] == 7 and rows["incidents"] == 12
    assert rows["reviews_requested"] == SUPPRESSED
    # Met 2 and not met 1 are both small: both hidden, as "[c]": "<5" with their total (3)
    # would say the 2 is 1 or 2.
    assert rows["reviews_met"] == CONFIDENTIAL and rows["reviews_not_met"] == CONFIDENTIAL
    # One CBO among 7 uses: hidden with the 6 CPN warnings, so the total cannot give it back
    # (a zero beside it would say it is at most 1); the 6 is never labelled "<5".
    assert rows["tool:cbo"] == CONFIDENTIAL and rows["tool:cpn_warning"] == CONFIDENTIAL
    hidden = [k for k in rows if k.startswith("tool:") and rows[k] == CONFIDENTIAL]
    assert len(hidden) == 2
    assert rows["median_working_days"] == SUPPRESSED
    partnership = {
        r.key: r.values[0]
        for r in publish(quarterly_statistics(_tables(), [Q1]), Audience.PARTNERSHIP).rows
    }
    assert partnership["tool:cbo"] == 1 and partnership["reviews_met"] == 2


def test_an_unknown_audience_is_refused():
    with pytest.raises(Exception, match="audience"):
        Audience.parse("press")


def test_tool_uses_become_monthly_partner_series_in_the_canonical_shape():
    table = series_table(_tables().tool_uses, area_code="E09000003", area_name="Barnet")
    assert table.schema == SCHEMA
    rows = table.to_pylist()
    assert {(r["month"], r["measure"], r["value"]) for r in rows if r["value"]} == {
        (date(2024, 4, 1), "CPN written warning", 6.0),
        (date(2024, 5, 1), "Criminal Behaviour Order", 1.0),
    }
    assert all(r["source"] == SERIES_SOURCE and r["area_name"] == "Barnet" for r in rows)


def test_every_tool_is_a_series_name_of_the_catalogues_tools_and_powers_measure():
    measure = next(m for m in default_catalogue().measures if m.key == "asb_tools_and_powers")
    assert set(TOOL_SERIES_NAMES.values()) == set(measure.series)


def test_tool_kinds_in_the_app_match_the_series_names():
    from saferhub.web.asb.models import ToolKind

    assert dict(ToolKind.choices) == TOOL_SERIES_NAMES


def test_quarters_to_ends_with_the_quarter_holding_the_day():
    assert quarters_to(date(2024, 5, 2), 2) == [FinancialQuarter(2023, 4), Q1]

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from saferhub.measures.marac import case_table, quarterly_statistics
from saferhub.reports.marac import marac_json, marac_report
from saferhub.reports.writers import render_html_fragment, render_xlsx, write_report
from saferhub.rules.periods import FinancialQuarter

Q1, Q2 = FinancialQuarter(2023, 1), FinancialQuarter(2023, 2)


def _case(n, heard, **values):
    row = {
        "case_id": f"M{n}",
        "date_heard": heard,
        "victim_gender": "F",
        "victim_lgbt": False,
        "victim_disabled": False,
        "victim_ethnicity": "W1",
        "victim_age": 30,
        "youngest_perpetrator_age": 30,
        "children_in_household": 0,
        "referring_agency_type": "police",
        "is_repeat": False,
    }
    return row | values


@pytest.fixture(scope="module")
def stats():
    rows = [_case(n, date(2023, 5, 4)) for n in range(8)]
    rows += [_case(100 + n, date(2023, 8, 3), is_repeat=n < 2) for n in range(9)]
    rows.append(_case(200, date(2023, 8, 10), victim_gender="M", children_in_household=3))
    return quarterly_statistics(case_table(rows), [Q1, Q2], adult_women=100_000)


def test_report_shows_volume_by_quarter_and_the_latest_profile(stats):
    report = marac_report(stats, area="Barnet")
    assert report.subtitle == "Barnet, 2023/24 Q1 to 2023/24 Q2"
    assert [s.title for s in report.sections] == [
        "Cases and repeats",
        "Victims, perpetrators and referrers",
        "Repeat flags",
        "Sources",
    ]
    volume = next(b for b in report.sections[0].blocks if getattr(b, "columns", None))
    assert volume.rows[1][:4] == ["2023/24 Q2", 10, 2, 20.0]
    profile = report.sections[1].blocks[0]
    male = next(row for row in profile.rows if row[0] == "Male victims")
    assert male == ["Male victims", 1, 10.0, "5\u201310%", "within expected range"]
    repeat = next(row for row in profile.rows if row[0] == "Repeat cases")
    assert repeat[4] == "for reference"


def test_html_fragment_carries_the_figures(stats):
    html = render_html_fragment(marac_report(stats, with_chart=False))
    assert "Male victims" in html
    assert "20.0%" in html
    assert "<svg" not in html


def test_xlsx_has_a_sheet_per_section_with_numbers_not_text(stats):
    workbook = load_workbook(io.BytesIO(render_xlsx(marac_report(stats))))
    assert workbook.sheetnames[1:] == [
        "Cases and repeats",
        "Victims, perpetrators and refer",
        "Repeat flags",
        "Sources",
    ]
    cells = [c.value for row in workbook["Cases and repeats"].iter_rows() for c in row]
    assert 10 in cells
    assert 0.2 in cells  # 20% stored as a fraction, with a percent format


def test_written_files_exist(stats, tmp_path):
    for fmt in ("html", "xlsx"):
        path = write_report(marac_report(stats), fmt, tmp_path / f"marac.{fmt}")
        assert path.stat().st_size > 0


def test_json_is_the_documented_shape(stats):
    data = json.loads(json.dumps(marac_json(stats)))
    assert (data["report"], data["schema_version"]) == ("marac-quarterly", 1)
    assert [q["quarter"] for q in data["quarters"]] == ["2023/24-Q1", "2023/24-Q2"]
    assert data["quarters"][1]["counts"]["repeat_cases"] == 2
    assert data["quarters"][1]["per_10000_adult_women"] == 1.0
    assert {r["measure"] for r in data["expected_ranges"]} >= {"male", "lgbt", "disabled"}

"""Proven reoffending by the current MoJ method (3-month cohorts, compared with a year
earlier, the default) and by the method before October 2017 (one cohort), hand-computed."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from saferhub.app.reoffending import area_reoffending
from saferhub.commands import app, main
from saferhub.errors import ConfigurationError
from saferhub.measures.reoffending import ReoffendingFigures, pooled_reoffending
from saferhub.rules.periods import Month, Window
from saferhub.rules.reoffending import METHOD_LABELS, cohort_windows, comparison_period

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")
runner = CliRunner()

OFFENCES = """offence_id,pnc_id,offence_date,offence_code
A0,A,2023-04-01,28E
A1,A,2023-08-01,28E
B0,B,2023-01-05,34B
C0,C,2022-05-01,28E
C1,C,2022-07-01,28E
D0,D,2023-01-20,46
D1,D,2023-03-01,46
D2,D,2023-04-15,46
E0,E,2022-06-01,8N
"""
DISPOSALS = """disposal_id,pnc_id,disposal_date,disposal_type,offence_id
X1,A,2023-04-10,caution,A0
X2,A,2023-10-01,conviction_non_custodial,A1
X3,B,2023-03-01,conviction_custodial,B0
X4,B,2023-05-20,release_from_custody,
X5,C,2022-05-05,caution,C0
X6,C,2022-08-01,caution,C1
X7,D,2023-02-01,caution,D0
X8,D,2023-03-20,caution,D1
X9,D,2023-05-01,caution,D2
X10,E,2022-06-30,caution,E0
"""


@pytest.fixture
def extracts(tmp_path):
    (tmp_path / "offences.csv").write_text(OFFENCES, encoding="utf-8")
    (tmp_path / "disposals.csv").write_text(DISPOSALS, encoding="utf-8")
    return tmp_path / "offences.csv", tmp_path / "disposals.csv"


def test_a_quarter_is_compared_with_the_same_quarter_a_year_earlier(extracts):
    result = area_reoffending(*extracts, "2023-04", "2023-06")
    # April-June 2023: A (caution 10 Apr), B (released 20 May), D (caution 1 May). Only A
    # reoffends: A1 on 1 Aug 2023, convicted 1 Oct 2023. 1 of 3 = 33.3%.
    assert (result.cohort.offenders, result.cohort.reoffenders, result.cohort.reoffences) == (
        3,
        1,
        1,
    )
    assert result.cohort.rate_pct == pytest.approx(100 / 3)
    # April-June 2022: C (caution 5 May) and E (caution 30 Jun); C reoffends on 1 Jul 2022,
    # cautioned 1 Aug 2022. 1 of 2 = 50%. Not January-March 2023, the quarter before.
    assert result.compared_window == Window(Month(2022, 4), Month(2022, 6))
    assert (result.previous.offenders, result.previous.reoffenders) == (2, 1)
    assert result.previous.rate_pct == pytest.approx(50.0)


def test_the_old_method_compares_with_the_period_just_before(extracts):
    result = area_reoffending(*extracts, "2023-04", "2023-06", method="12-month")
    # January-March 2023: D alone (caution 1 Feb; B's custodial conviction starts no
    # clock), with two proven reoffences (D1 and D2). 1 of 1 = 100%.
    assert result.compared_window == Window(Month(2023, 1), Month(2023, 3))
    assert (result.previous.offenders, result.previous.reoffences) == (1, 2)
    assert result.previous.rate_pct == pytest.approx(100.0)


def test_an_annual_figure_pools_four_3_month_cohorts(extracts):
    pooled = area_reoffending(*extracts, "2022-07", "2023-06")
    # Jul-Sep 2022: C (1 Aug), no reoffence. Oct-Dec 2022: nobody. Jan-Mar 2023: D (1 Feb),
    # 2 reoffences. Apr-Jun 2023: A, B, D, 1 reoffence. D is in two cohorts and counts in both.
    assert [c.offenders for c in pooled.cohorts] == [1, 0, 1, 3]
    assert (pooled.cohort.offenders, pooled.cohort.reoffenders, pooled.cohort.reoffences) == (
        5,
        2,
        3,
    )
    assert pooled.cohort.rate_pct == pytest.approx(40.0)
    # One 12-month cohort counts each person once, at their first index event: 4 people.
    single = area_reoffending(*extracts, "2022-07", "2023-06", method="12-month")
    assert (single.cohort.offenders, single.cohort.reoffenders) == (4, 2)
    assert single.cohort.rate_pct == pytest.approx(50.0)


def test_pooling_adds_up_counts_and_works_out_rates_from_the_totals():
    from datetime import date

    def figures(offenders, reoffenders, reoffences):
        return ReoffendingFigures(
            date(2023, 1, 1), date(2023, 3, 31), offenders, reoffenders, reoffences, 0, 0, 0
        )

    pooled = pooled_reoffending([figures(10, 2, 5), figures(30, 10, 15)])
    assert (pooled.offenders, pooled.reoffenders, pooled.reoffences) == (40, 12, 20)
    assert pooled.rate_pct == pytest.approx(30.0)
    assert pooled.per_reoffender == pytest.approx(20 / 12)


def test_the_3_month_method_refuses_a_period_that_is_not_whole_quarters():
    with pytest.raises(ConfigurationError, match="needs a whole number of 3-month cohorts"):
        cohort_windows(Window(Month(2023, 1), Month(2023, 4)), "3-month")
    assert comparison_period(Window(Month(2023, 4), Month(2023, 6)), "3-month") == Window(
        Month(2022, 4), Month(2022, 6)
    )


@pytest.mark.parametrize(
    ("method", "flag"), [("3-month", []), ("12-month", ["--method", "12-month"])]
)
def test_the_method_is_named_in_every_format(extracts, tmp_path, method, flag):
    offences, disposals = extracts
    label = METHOD_LABELS[method]
    for fmt in ("json", "html", "xlsx"):
        out = tmp_path / f"r-{method}.{fmt}"
        args = ["report", "reoffending", "--offences", str(offences), "--disposals"]
        args += [str(disposals), "--cohort-start", "2023-04", "--cohort-end", "2023-06"]
        result = runner.invoke(app, [*args, "--format", fmt, "--out", str(out), *flag])
        assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / f"r-{method}.json").read_text(encoding="utf-8"))
    assert document["method"] == {"key": method, "label": label}
    assert label in (tmp_path / f"r-{method}.html").read_text(encoding="utf-8")
    book = load_workbook(tmp_path / f"r-{method}.xlsx")
    cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert any(label in cell for cell in cells)


def test_an_unknown_method_is_refused(extracts, tmp_path, capsys):
    offences, disposals = extracts
    args = ["report", "reoffending", "--offences", str(offences), "--disposals", str(disposals)]
    args += ["--cohort-start", "2023-04", "--cohort-end", "2023-06", "--format", "json"]
    with pytest.raises(SystemExit) as excinfo:
        main([*args, "--out", str(tmp_path / "r.json"), "--method", "6-month"])
    assert excinfo.value.code == 4
    assert "'6-month' is not a proven reoffending method" in capsys.readouterr().err

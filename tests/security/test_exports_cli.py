"""Finding: spreadsheets carried live formulas. Every `saferhub report ... --format xlsx`,
through the CLI runner, with the payloads in the free text it accepts: areas, comparator
labels, measure labels and definitions."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from saferhub.commands import app
from saferhub.synth.crime_counts import generate as generate_crime
from saferhub.synth.partnership import write_extracts
from saferhub.synth.world import World
from tests.factories_panels import CaseFactory, MemberAgencyFactory
from tests.measures.needs_rows import person, write_csv
from tests.security.spreadsheets import PAYLOADS, payloads_found, workbook_text_cells

runner = CliRunner()
HYPERLINK = PAYLOADS[-1]
pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def _workbook_texts(args: list[str], out) -> list[str]:
    result = runner.invoke(app, [*args, "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return workbook_text_cells(out.read_bytes())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_report_needs_keeps_formula_like_area_names_as_text(tmp_path, payload):
    extract = write_csv(tmp_path / "extract.csv", [person(f"L00000{i}") for i in range(6)])
    other = write_csv(tmp_path / "other.csv", [person(f"M00000{i}") for i in range(6)])
    args = ["report", "needs", "--extract", str(extract), "--area", payload]
    args += ["--compare", str(other), "--compare-area", HYPERLINK]
    texts = _workbook_texts(args, tmp_path / "needs.xlsx")
    assert payloads_found(texts, [payload, HYPERLINK]) == {payload, HYPERLINK}


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_report_marac_keeps_a_formula_like_area_as_text(tmp_path, payload):
    police = MemberAgencyFactory(name="=1+1 Police")
    CaseFactory(referring_agency=police, heard_date=date(2023, 7, 6), status="actions")
    args = ["report", "marac", "--quarter", "2023/24-Q2", "--area", payload]
    texts = _workbook_texts(args, tmp_path / "marac.xlsx")
    assert payloads_found(texts, [payload]) == {payload}


CATALOGUE = """
[[measure]]
key = "residential_burglary"
label = {label}
source = "mps"
categories = [{{ major = "Burglary", minor = "Domestic Burglary" }}]
rate_per = "households"
polarity = "higher_is_worse"
definition = {definition}
origin = {origin}
"""


def test_report_crime_keeps_formula_like_measure_text_as_text(tmp_path):
    write_extracts(generate_crime(World(seed=3)), tmp_path)
    catalogue = tmp_path / "catalogue.toml"
    catalogue.write_text(
        CATALOGUE.format(
            label='"@SUM(A1) burglary"',
            definition='"-1+1 homes"',
            origin="'" + HYPERLINK + "'",
        ),
        encoding="utf-8",
    )
    args = ["report", "crime", "--mps", str(tmp_path / "mps_borough_crime.csv")]
    args += ["--population", str(tmp_path / "borough_population.csv"), "--area", "Barnet"]
    args += ["--to", "2023-09", "--recent-months", "4", "--catalogue", str(catalogue)]
    texts = _workbook_texts(args, tmp_path / "crime.xlsx")
    wanted = ["@SUM(A1) burglary", "-1+1 homes", HYPERLINK]
    assert payloads_found(texts, wanted) == set(wanted)


IOM_FILES = {
    "offences.csv": (
        "offence_id,pnc_id,offence_date,offence_code\n"
        "O1,A,2022-03-01,28E\nO2,A,2022-06-01,34B\nO3,A,2022-12-31,28E\n"
        "O4,A,2023-01-01,28E\nO5,A,2023-05-01,8N\nO6,B,2023-02-01,46\n"
    ),
    "iom_cohort.csv": (
        "pnc_id,join_date,leave_date,management,tier,gender,ethnicity,date_of_birth\n"
        "A,2023-01-01,,Statutory,Red,Male,White,1990-01-01\n"
    ),
    "disposals.csv": (
        "disposal_id,pnc_id,disposal_date,disposal_type,offence_id\n"
        "D1,A,2022-04-01,caution,O1\nD2,A,2022-09-01,conviction_non_custodial,O2\n"
        "D3,A,2023-02-01,conviction_non_custodial,O3\nD4,B,2023-03-01,caution,O6\n"
    ),
}


@pytest.fixture
def iom_files(tmp_path):
    for name, text in IOM_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_report_iom_keeps_a_formula_like_comparator_as_text(iom_files, tmp_path):
    args = ["report", "iom", "--offences", str(iom_files / "offences.csv")]
    args += ["--cohort", str(iom_files / "iom_cohort.csv"), "--to", "2023-12"]
    args += ["--disposals", str(iom_files / "disposals.csv"), "--comparator-rate", "60.1"]
    args += ["--comparator-label", HYPERLINK]
    texts = _workbook_texts(args, tmp_path / "iom.xlsx")
    assert payloads_found(texts, [HYPERLINK]) == {HYPERLINK}


def test_report_reoffending_keeps_a_formula_like_comparator_as_text(iom_files, tmp_path):
    args = ["report", "reoffending", "--offences", str(iom_files / "offences.csv")]
    args += ["--disposals", str(iom_files / "disposals.csv")]
    args += ["--cohort-start", "2022-01", "--cohort-end", "2022-03"]
    args += ["--comparator-label", HYPERLINK, "--comparator-rate", "23.5"]
    texts = _workbook_texts(args, tmp_path / "reoffending.xlsx")
    assert payloads_found(texts, [HYPERLINK]) == {HYPERLINK}

"""Every format shows the same figures for the same audience, in every area.

For each area and audience, one published result is rendered as JSON, HTML, XLSX and
PDF. Every figure of the Report (each count, rate and hidden-cell marker) must appear
in the HTML, the workbook and the PDF's text, and the JSON must give the same figures
(or hide the same ones) as the Report's tables.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from saferhub.app import crime, iom, marac, needs, publish, reoffending
from saferhub.measures.marac import case_table, quarterly_statistics
from saferhub.measures.needs import analyse
from saferhub.reports.document import Report, Tiles, excel_value, format_cell
from saferhub.rules.disclosure import CONFIDENTIAL, SUPPRESSED, Audience
from saferhub.rules.periods import FinancialQuarter, Month
from saferhub.sources.caseload import read_caseload
from tests.measures import needs_seed000 as seed
from tests.measures.crime_files import BUSINESS, DOMESTIC, write_mps, write_population

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

AUDIENCES = list(Audience)
MARKERS = {SUPPRESSED, CONFIDENTIAL}


# --- Rendering and reading back every format ---------------------------------------------


def pdf_text(body: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(body)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return re.sub(r"\s+", " ", done.stdout)


def workbook_values(body: bytes) -> set[object]:
    values: set[object] = set()
    for sheet in load_workbook(io.BytesIO(body)).worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                values.add(round(value, 6) if isinstance(value, float) else value)
    return values


def figures(report: Report) -> list[tuple[object, str, object]]:
    """Every figure (a number or a marker) in the report's tables: raw, as shown, and as a
    workbook stores it (a percentage as a fraction)."""
    found = []
    for section in report.sections:
        for block in section.blocks:
            if isinstance(block, Tiles):
                for tile in block.tiles:
                    if isinstance(tile.value, int | float) or tile.value in MARKERS:
                        fmt = tile.number_format
                        shown = format_cell(tile.value, fmt)
                        found.append((tile.value, shown, excel_value(tile.value, fmt)))
                continue
            table = getattr(block, "table", block)
            for row in table.rows:
                for index, cell in enumerate(row[1:], start=1):
                    if isinstance(cell, int | float) or cell in MARKERS:
                        fmt = table.format_of(index)
                        found.append((cell, format_cell(cell, fmt), excel_value(cell, fmt)))
    return found


def assert_everywhere(report: Report, module, published, tmp_path: Path) -> dict:
    """Render `published` in every format; check the Report's figures are in each."""
    page = module.render(published, "html").decode("utf-8")
    cells = workbook_values(module.render(published, "xlsx"))
    text = pdf_text(module.render(published, "pdf"), tmp_path)
    shown = figures(report)
    assert shown, "the report has no figures to compare"
    for raw, formatted, stored in shown:
        assert html.escape(formatted) in page, f"{formatted} is not in the HTML"
        expected = round(stored, 6) if isinstance(stored, float) else stored
        assert expected in cells, f"{raw!r} is not in the workbook"
        assert formatted in text, f"{formatted} is not in the PDF"
    return json.loads(module.render(published, "json"))


def table(report: Report, title_start: str):
    for section in report.sections:
        for block in section.blocks:
            if getattr(block, "title", "").startswith(title_start):
                return block
    raise AssertionError(f"no table titled {title_start!r}")


# --- IOM: the grid from the issue, in every format ------------------------------------------

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
GRID = [[10, 3], [12, 20], [15, 6]]  # members by tier (Red, Amber) on three quarter ends
DAYS = [date(2023, 6, 30), date(2023, 9, 30), date(2023, 12, 31)]


@pytest.fixture(scope="module")
def iom_figures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("iom")
    for name, text in IOM_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    inputs = iom.load_iom_inputs(folder / "offences.csv", folder / "iom_cohort.csv")
    computed = iom.iom_figures(inputs, Month(2023, 12))
    composition = {
        day.isoformat(): {
            "cohort": {"All members": red + amber},
            "management": {"Statutory": red + amber},
            "tier": {"Red": red, "Amber": amber},
        }
        for day, (red, amber) in zip(DAYS, GRID, strict=True)
    }
    return replace(computed, composition=composition, snapshot_dates=DAYS)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_iom_formats_agree_and_the_grid_is_hidden_the_same_way(iom_figures, audience, tmp_path):
    published = publish.iom(iom_figures, audience)
    report = iom.board_report(published)
    data = assert_everywhere(report, iom, published, tmp_path)
    cohort = table(report, "Cohort size")
    red, amber = cohort.columns.index("Red"), cohort.columns.index("Amber")
    in_report = [[row[red], row[amber]] for row in cohort.rows]
    in_json = [
        [data["composition"][d.isoformat()]["tier"][t] for t in ("Red", "Amber")] for d in DAYS
    ]
    assert in_report == in_json
    if audience is Audience.PUBLIC:
        # The 3 alone would be the row's total less 10: it is hidden with the cheapest
        # rectangle through it (10, 15, 6), and no cell is labelled "<5" when counts of 10
        # or more are among those hidden.
        assert in_json == [[CONFIDENTIAL, CONFIDENTIAL], [12, 20], [CONFIDENTIAL, CONFIDENTIAL]]
    else:
        assert in_json == GRID


# --- Reoffending ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def area_result(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reoffending")
    for name, text in IOM_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return reoffending.area_reoffending(
        folder / "offences.csv", folder / "disposals.csv", "2022-01", "2022-12"
    )


@pytest.mark.parametrize("audience", AUDIENCES)
def test_reoffending_formats_agree(area_result, audience, tmp_path):
    published = publish.reoffending(area_result, audience)
    report = reoffending.reoffending_report(published)
    data = assert_everywhere(report, reoffending, published, tmp_path)
    rows = {row[0]: row[1] for row in table(report, "Proven reoffending").rows}
    assert rows["Offenders in the cohort"] == data["cohort"]["offenders"]
    assert rows["Reoffenders"] == data["cohort"]["reoffenders"]
    small = 1 <= area_result.cohort.reoffenders <= 4
    assert (rows["Reoffenders"] in MARKERS) == (audience is Audience.PUBLIC and small)


# --- MARAC ---------------------------------------------------------------------------------


def marac_cases() -> list[dict]:
    rows = []
    for index in range(40):
        quarter_month = 4 + 3 * (index % 2)  # two quarters of 2023/24
        rows.append(
            {
                "case_id": f"C{index}",
                "date_heard": date(2023, quarter_month, 10),
                "victim_gender": "M" if index < 3 else "F",  # 2 and 1 male victims: hidden
                "victim_lgbt": index % 5 == 0,
                "victim_disabled": False,
                "victim_ethnicity": "White British",
                "victim_age": 30,
                "youngest_perpetrator_age": 35,
                "children_in_household": 2 if index % 4 == 0 else 0,
                "referring_agency_type": "police" if index % 2 else "partner",
                "is_repeat": index % 3 == 0,
            }
        )
    return rows


@pytest.fixture(scope="module")
def marac_stats():
    quarters = [FinancialQuarter.parse("2023/24-Q1"), FinancialQuarter.parse("2023/24-Q2")]
    return quarterly_statistics(case_table(marac_cases()), quarters, 50_000)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_marac_formats_agree(marac_stats, audience, tmp_path):
    published = publish.marac(marac_stats, audience)
    report = marac.report(published)
    data = assert_everywhere(report, marac, published, tmp_path)
    volume = table(report, "MARAC cases heard")
    for row, quarter in zip(volume.rows, data["quarters"], strict=True):
        assert row[1:3] == [quarter["counts"]["cases_heard"], quarter["counts"]["repeat_cases"]]
    profile = {row[0]: row[1] for row in table(report, "Who the cases were about").rows}
    latest = data["quarters"][-1]["counts"]
    assert profile["Male victims"] == latest["male"]
    assert (latest["male"] in MARKERS) == (audience is Audience.PUBLIC)


# --- Needs ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def needs_analysis(tmp_path_factory):
    rows = seed.seed_caseload()
    path = tmp_path_factory.mktemp("needs") / "barnet.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return analyse(read_caseload(path, as_of=seed.AS_OF), area="Barnet")


@pytest.mark.parametrize("audience", AUDIENCES)
def test_needs_formats_agree(needs_analysis, audience, tmp_path):
    published = publish.needs(needs_analysis, audience)
    report = needs.report(published)
    data = assert_everywhere(report, needs, published, tmp_path)
    registrations = next(t for t in data["tables"] if t["key"] == "registrations_by_setting")
    hidden_in_json = sum(
        cell["suppressed"] for row in registrations["rows"] for cell in row["cells"]
    )
    shown = table(report, registrations["title"])
    hidden_in_report = sum(cell in MARKERS for row in shown.rows for cell in row)
    assert hidden_in_json == hidden_in_report
    assert (hidden_in_json > 0) == (audience is Audience.PUBLIC)
    assert (data["not_assessed"] is not None) == (audience is Audience.RESTRICTED)


# --- Crime ---------------------------------------------------------------------------------


def crime_counts(area, category, month):
    if area == "Barnet" and category == BUSINESS:
        return 1 if month >= Month(2023, 7) else 6  # a small recent count
    if category == DOMESTIC:
        return 140
    return 20 + len(area) % 7


@pytest.fixture(scope="module")
def crime_dashboard(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crime")
    mps = write_mps(folder / "mps.csv", Month(2019, 1), Month(2023, 9), crime_counts)
    data = crime.load_crime_data([mps], write_population(folder / "population.csv"))
    return data


@pytest.mark.parametrize("audience", AUDIENCES)
def test_crime_formats_agree(crime_dashboard, audience, tmp_path):
    published = crime.dashboard(crime_dashboard, "Barnet", Month(2023, 9), audience)
    report = crime.report(published)
    data = assert_everywhere(report, crime, published, tmp_path)
    overview = table(report, "Overview")
    by_label = {row[0]: row for row in overview.rows}
    for measure in data["measures"]:
        row = by_label[measure["label"]]
        volume = measure["recent"]["volume"]
        assert row[2] in MARKERS if volume is None else row[2] == volume
    business = next(m for m in data["measures"] if m["key"] == "burglary_business_community")
    assert (business["recent"]["volume"] is None) == (audience is Audience.PUBLIC)

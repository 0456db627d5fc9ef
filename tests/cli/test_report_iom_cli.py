"""`saferhub report iom` and `saferhub report reoffending` through the CLI runner."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from saferhub.commands import app, main

runner = CliRunner()

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

FILES = {
    "offences.csv": (
        "offence_id,pnc_id,offence_date,offence_code\n"
        "O1,A,2022-03-01,28E\nO2,A,2022-06-01,34B\nO3,A,2022-12-31,28E\n"
        "O4,A,2023-01-01,28E\nO5,A,2023-05-01,8N\nO6,B,2023-02-01,46\n"
    ),
    "iom_cohort.csv": (
        "pnc_id,join_date,leave_date,management,tier,gender,ethnicity,date_of_birth\n"
        "A,2023-01-01,,Statutory,Red,Male,White,1990-01-01\n"
    ),
    "custody.csv": "pnc_id,reception_date,release_date\nA,2022-11-01,2022-12-01\n",
    "disposals.csv": (
        "disposal_id,pnc_id,disposal_date,disposal_type,offence_id\n"
        "D1,A,2022-04-01,caution,O1\nD2,A,2022-09-01,conviction_non_custodial,O2\n"
        "D3,A,2023-02-01,conviction_non_custodial,O3\nD4,B,2023-03-01,caution,O6\n"
    ),
}


@pytest.fixture
def files(tmp_path):
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def iom_args(files, fmt, out, *extra):
    return [
        "report",
        "iom",
        "--offences",
        str(files / "offences.csv"),
        "--cohort",
        str(files / "iom_cohort.csv"),
        "--custody",
        str(files / "custody.csv"),
        "--to",
        "2023-12",
        "--format",
        fmt,
        "--out",
        str(out),
        *extra,
    ]


def test_iom_json_has_the_hand_computed_rates(files, tmp_path):
    out = tmp_path / "iom.json"
    result = runner.invoke(app, iom_args(files, "json", out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    rates = data["offending_rates"]
    # Before: 3 offences in 335 days at liberty (30 in custody); after: 2 in 365 days.
    assert rates["rate_before"] == pytest.approx(3 / (335 / 365.25))
    assert rates["rate_after"] == pytest.approx(2 / (365 / 365.25))
    assert data["cost_of_crime_avoided"]["price_year"] == "2015/16"
    assert "burglary_residential" in data["cost_of_crime_avoided"]["to_be_checked"]


@pytest.mark.parametrize("fmt", ["html", "xlsx"])
def test_iom_report_is_written_in_each_format(files, tmp_path, fmt):
    out = tmp_path / f"iom.{fmt}"
    result = runner.invoke(app, iom_args(files, fmt, out, "--casework"))
    assert result.exit_code == 0, result.output
    if fmt == "html":
        text = out.read_text(encoding="utf-8")
        assert "Impact on offending" in text and "Cost of crime avoided" in text
        assert "Selection list" in text
    else:
        sheets = load_workbook(out).sheetnames
        assert any("Impact" in s for s in sheets)


def test_iom_pdf_is_written(files, tmp_path):
    out = tmp_path / "iom.pdf"
    result = runner.invoke(app, iom_args(files, "pdf", out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_public_version_leaves_out_casework(files, tmp_path):
    out = tmp_path / "iom.json"
    result = runner.invoke(app, iom_args(files, "json", out, "--public", "--casework"))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert "selection" not in data


def test_unit_costs_can_be_overridden(files, tmp_path):
    costs = tmp_path / "costs.csv"
    costs.write_text(
        "offence_group,unit_cost_gbp,price_year,source\nburglary_residential,7000,2022/23,Local uprating\n",
        encoding="utf-8",
    )
    out = tmp_path / "iom.json"
    result = runner.invoke(app, iom_args(files, "json", out, "--unit-costs", str(costs)))
    assert result.exit_code == 0, result.output
    cost = json.loads(out.read_text(encoding="utf-8"))["cost_of_crime_avoided"]
    assert cost["price_year"] == "2022/23"
    assert [
        g["unit_cost"] for g in cost["groups"] if g["offence_group"] == "burglary_residential"
    ] == [7000]


def test_iom_with_disposals_adds_the_cohorts_proven_reoffending(files, tmp_path):
    out = tmp_path / "iom.json"
    args = iom_args(
        files, "json", out, "--disposals", str(files / "disposals.csv"), "--comparator-rate", "60.1"
    )
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["proven_reoffending"]["first_day"] == "2021-07-01"
    # The MoJ's annual figure since 2017: four 3-month cohorts pooled, and named as such.
    assert data["proven_reoffending"]["method"]["key"] == "3-month"
    assert data["proven_reoffending"]["last_day"] == "2022-06-30"
    assert data["comparator"]["rate_pct"] == 60.1


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "offences.csv",
            "offence_id,pnc_id,offence_date,offence_code\nO1,A,2022-03-01,ZZZ\n",
            "offences.csv, row 2, column 'offence_code'",
        ),
        (
            "iom_cohort.csv",
            "pnc_id,join_date,leave_date,management\nA,2023-01-01,2022-01-01,Statutory\n",
            "iom_cohort.csv, row 2, column 'leave_date'",
        ),
        (
            "iom_cohort.csv",
            "pnc_id,join_date,leave_date,management\nA,2023-01-01,,Statutory\nA,2023-03-01,,Statutory\n",
            "iom_cohort.csv, row 3, column 'join_date'",
        ),
    ],
)
def test_bad_input_is_a_message_naming_file_row_and_column_and_exit_code_3(
    files, tmp_path, capsys, name, text, message
):
    (files / name).write_text(text, encoding="utf-8")
    out = tmp_path / "iom.html"
    with pytest.raises(SystemExit) as excinfo:
        main(iom_args(files, "html", out))
    assert excinfo.value.code == 3
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_giving_only_one_of_offences_and_cohort_is_an_error(files, tmp_path, capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(
            [
                "report",
                "iom",
                "--offences",
                str(files / "offences.csv"),
                "--to",
                "2023-12",
                "--format",
                "json",
                "--out",
                str(tmp_path / "x.json"),
            ]
        )
    assert excinfo.value.code == 4
    assert "--cohort" in capsys.readouterr().err


def reoffending_args(files, fmt, out, *extra):
    return [
        "report",
        "reoffending",
        "--offences",
        str(files / "offences.csv"),
        "--disposals",
        str(files / "disposals.csv"),
        "--cohort-start",
        "2022-01",
        "--cohort-end",
        "2022-12",
        "--format",
        fmt,
        "--out",
        str(out),
        *extra,
    ]


def test_reoffending_table_with_previous_cohort_and_comparator(files, tmp_path):
    out = tmp_path / "reoffending.json"
    # One 12-month cohort (the method before October 2017): each person counted once.
    args = reoffending_args(
        files,
        "json",
        out,
        "--comparator-label",
        "London",
        "--comparator-rate",
        "23.53",
        "--method",
        "12-month",
    )
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    # A's index date is the caution on 1 Apr 2022; O2 (1 Jun 2022, convicted 1 Sep 2022) and
    # O3 (31 Dec 2022, convicted 1 Feb 2023) are proven reoffences. B has no 2022 event.
    assert data["cohort"]["offenders"] == 1
    assert data["cohort"]["reoffences"] == 2
    assert data["cohort"]["rate_pct"] == 100
    assert data["previous"]["offenders"] == 0
    assert data["comparator"] == {"label": "London", "rate_pct": 23.53, "per_reoffender": None}
    assert data["provisional"] is True  # the extract ends before 30 June 2024


@pytest.mark.parametrize("fmt", ["html", "xlsx"])
def test_reoffending_report_formats(files, tmp_path, fmt):
    out = tmp_path / f"reoffending.{fmt}"
    result = runner.invoke(app, reoffending_args(files, fmt, out))
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0


def test_reoffending_cohort_end_before_start_is_an_error(files, tmp_path, capsys):
    args = reoffending_args(files, "json", tmp_path / "r.json")
    args[args.index("--cohort-end") + 1] = "2021-12"
    with pytest.raises(SystemExit) as excinfo:
        main(args)
    assert excinfo.value.code == 4
    assert "before it starts" in capsys.readouterr().err


@pytest.mark.django_db
def test_with_no_files_the_iom_report_reads_the_apps_database(tmp_path):
    from datetime import date

    from tests.factories import PersonFactory
    from tests.factories_iom import MembershipFactory, OffenceFactory, TierRecordFactory

    member = MembershipFactory(person=PersonFactory(), pnc_id="A", join_date=date(2023, 1, 1))
    TierRecordFactory(membership=member, tier="Red", from_date=date(2023, 1, 1))
    for day in (date(2022, 3, 1), date(2022, 6, 1), date(2023, 5, 1)):
        OffenceFactory(pnc_id="A", offence_date=day)
    out = tmp_path / "iom.json"
    result = runner.invoke(
        app, ["report", "iom", "--to", "2023-12", "--format", "json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["source"] == "the SaferHub database"
    assert data["offending_rates"]["offences_before"] == 2
    assert data["offending_rates"]["rate_after"] == pytest.approx(1 / (365 / 365.25))
    assert data["composition"]["2023-12-31"]["tier"] == {"Red": 1}


@pytest.mark.django_db
def test_with_no_files_and_no_cohort_in_the_database_it_says_so(tmp_path, capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(
            [
                "report",
                "iom",
                "--to",
                "2023-12",
                "--format",
                "json",
                "--out",
                str(tmp_path / "x.json"),
            ]
        )
    assert excinfo.value.code == 4
    assert "no IOM cohort" in capsys.readouterr().err


def test_public_version_hides_counts_of_one_to_four_people(files, tmp_path):
    out = tmp_path / "iom.json"
    result = runner.invoke(app, iom_args(files, "json", out, "--public"))
    assert result.exit_code == 0, result.output
    composition = json.loads(out.read_text(encoding="utf-8"))["composition"]["2023-12-31"]
    # One Red on each of four quarter ends: "<5" four times with their total (4) would say
    # each is 1, so the neutral marker is used.
    assert composition["tier"] == {"Red": "[c]"}
    html = tmp_path / "iom.html"
    assert runner.invoke(app, iom_args(files, "html", html, "--public")).exit_code == 0
    text = html.read_text(encoding="utf-8")
    assert "[c]" in text and "Counts of 1 to 4 people" in text

"""`saferhub report board-pack`: every format from crime files, a database section, and
one-line errors for bad options."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from tests.app.test_board_pack import moving
from tests.measures.crime_files import write_mps, write_population
from typer.testing import CliRunner

from saferhub.commands import app, main
from saferhub.rules.periods import Month

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
runner = CliRunner()


@pytest.fixture(scope="module")
def crime_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crime")
    mps = write_mps(folder / "mps.csv", Month(2019, 1), Month(2023, 9), moving)
    return mps, write_population(folder / "population.csv")


def arguments(crime_files, fmt, out, *extra):
    mps, population = crime_files
    return [
        "report",
        "board-pack",
        "--meeting",
        "2023-11-28",
        "--to",
        "2023-09",
        "--area",
        "Barnet",
        "--period",
        "quarter",
        "--sections",
        "summary,dashboard",
        "--mps",
        str(mps),
        "--population",
        str(population),
        "--format",
        fmt,
        "--out",
        str(out),
        *extra,
    ]


def test_json_pack_has_the_summary_and_dashboard(crime_files, tmp_path):
    out = tmp_path / "pack.json"
    result = runner.invoke(app, arguments(crime_files, "json", out))
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["board_pack"]["audience"] == "restricted"
    assert document["sections"][0]["title"] == "Executive summary"
    assert any(
        "Residential Burglary (60, up 100.0% from 30)" in p
        for p in document["sections"][0]["paragraphs"]
    )
    assert document["cover"]["meeting"].endswith("28 November 2023")


@pytest.mark.parametrize("fmt", ["xlsx", "html", "pdf", "docx"])
def test_each_file_format_is_written(crime_files, tmp_path, fmt):
    out = tmp_path / f"pack.{fmt}"
    result = runner.invoke(app, arguments(crime_files, fmt, out, "--audience", "public"))
    assert result.exit_code == 0, result.output
    body = out.read_bytes()
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(body))
        assert len(book.worksheets) > 3
    elif fmt == "pdf":
        assert body.startswith(b"%PDF")
    elif fmt == "html":
        assert "Executive summary" in body.decode("utf-8")


@pytest.mark.django_db
def test_marac_section_comes_from_the_database(tmp_path):
    from tests.factories_panels import CaseFactory

    CaseFactory(heard_date=date(2023, 8, 3), status="actions")
    out = tmp_path / "pack.json"
    # From the database: no crime files, only the sections asked for.
    args = [
        a for a in arguments(("-", "-"), "json", out) if a not in ("--mps", "--population", "-")
    ]
    args[args.index("summary,dashboard")] = "marac,summary"
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    titles = [s["title"] for s in document["sections"]]
    assert titles[0] == "Executive summary" and "DA MARAC: Cases and repeats" in titles
    summary = document["sections"][0]["paragraphs"]
    assert any("1 case was heard in 2023/24 Q2" in line for line in summary)
    assert not any(t.startswith("DA MARAC: Repeat flags") for t in titles)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--meeting", "28/11/2023"], "is not a date"),
        (["--period", "year"], "is not a period"),
        (["--sections", "summary,gossip"], "Unknown section: gossip"),
        (["--format", "odt"], "is not a board pack format"),
        (["--audience", "everyone"], "is not a pack audience"),
        (["--to", "2023-12"], "not complete before the meeting"),
        (["--area", "Gotham"], "is not one of the 32 London boroughs"),
    ],
)
def test_a_bad_option_is_one_error_line_and_exit_code_4(
    crime_files, tmp_path, capsys, change, message
):
    args = arguments(crime_files, "json", tmp_path / "pack.json")
    if change[0] in args:
        args[args.index(change[0]) + 1] = change[1]
    else:
        args += change
    with pytest.raises(SystemExit) as excinfo:
        main(args)
    assert excinfo.value.code == 4
    err = capsys.readouterr().err
    assert err.startswith("Error:") and message in err
    assert "Traceback" not in err
    assert not (tmp_path / "pack.json").exists()


def test_population_without_mps_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(
            [
                "report",
                "board-pack",
                "--meeting",
                "2023-11-28",
                "--to",
                "2023-09",
                "--population",
                "p.csv",
                "--out",
                str(tmp_path / "p.pdf"),
            ]
        )
    assert excinfo.value.code == 4
    assert "go with --mps" in capsys.readouterr().err


def test_partner_breakdowns_from_a_file_need_no_database(crime_files, tmp_path):
    from pathlib import Path

    fixture = Path(__file__).parents[1] / "measures" / "fixtures" / "cctv_by_ward_jun_sep_2023.csv"
    out = tmp_path / "pack.json"
    args = arguments(crime_files, "json", out, "--breakdowns", str(fixture))
    args[args.index("summary,dashboard")] = "summary,dashboard,partner"
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    titles = [s["title"] for s in json.loads(out.read_text())["sections"]]
    assert "CCTV recorded incidents" in titles


def test_a_bad_breakdowns_file_is_one_line_naming_it(crime_files, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("area,period,measure,category,value\nBarnet,2023-09,Hate crime,x,1\n")
    args = arguments(crime_files, "json", tmp_path / "pack.json", "--breakdowns", str(bad))
    with pytest.raises(SystemExit) as excinfo:
        main(args)
    assert excinfo.value.code == 3
    err = capsys.readouterr().err
    assert "bad.csv, row 2, column 'category'" in err and "Traceback" not in err
    assert not (tmp_path / "pack.json").exists()

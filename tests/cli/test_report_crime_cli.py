"""`saferhub report crime` through the CLI runner, in every format, and its errors."""

from __future__ import annotations

import csv
import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from saferhub.commands import app, main
from saferhub.errors import ConfigurationError, InputError
from saferhub.synth.crime_counts import generate
from saferhub.synth.world import World

runner = CliRunner()


@pytest.fixture(scope="module")
def extracts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("extracts")
    for name, rows in generate(World(seed=3)).items():
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return folder


SMALL_CATALOGUE = """
[[measure]]
key = "residential_burglary"
label = "Residential Burglary"
source = "mps"
categories = [{ major = "Burglary", minor = "Domestic Burglary" }]
rate_per = "households"
polarity = "higher_is_worse"
definition = "Burglaries of homes."
origin = "Seed 004."

[[measure]]
key = "asb_calls"
label = "ASB Calls"
source = "series"
series = ["ASB calls"]
polarity = "higher_is_worse"
definition = "Calls to the police about anti-social behaviour."
origin = "Seed 003."
"""


@pytest.fixture(scope="module")
def small_catalogue(tmp_path_factory):
    """Two measures instead of twelve: the file formats are tested with fewer charts to draw."""
    path = tmp_path_factory.mktemp("catalogue") / "catalogue.toml"
    path.write_text(SMALL_CATALOGUE, encoding="utf-8")
    return str(path)


def arguments(extracts, fmt, out, *extra):
    return [
        "report",
        "crime",
        "--mps",
        str(extracts / "mps_borough_crime.csv"),
        "--population",
        str(extracts / "borough_population.csv"),
        "--series",
        str(extracts / "partner_measures.csv"),
        "--area",
        "Barnet",
        "--to",
        "2023-09",
        "--recent-months",
        "4",
        "--format",
        fmt,
        "--out",
        str(out),
        *extra,
    ]


def test_json_output_is_written_and_parses(extracts, tmp_path):
    out = tmp_path / "barnet.json"
    result = runner.invoke(app, arguments(extracts, "json", out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["area"]["name"] == "Barnet" and data["to"] == "2023-09"
    assert len(data["measures"]) == 12  # every default measure has data in the extracts
    assert data["periods"]["recent"]["months"] == 4


def test_html_output_is_a_standalone_page_with_every_measure(extracts, tmp_path):
    out = tmp_path / "barnet.html"
    result = runner.invoke(
        app, arguments(extracts, "html", out, "--peer-group", "Brent,Harrow,Camden")
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Performance dashboard: Barnet" in html
    assert "Residential Burglary: Peer group comparison" in html
    assert "Camden" in html


def test_xlsx_output_has_a_sheet_per_section(extracts, tmp_path, small_catalogue):
    out = tmp_path / "barnet.xlsx"
    result = runner.invoke(app, arguments(extracts, "xlsx", out, "--catalogue", small_catalogue))
    assert result.exit_code == 0, result.output
    sheets = load_workbook(out).sheetnames
    assert "Overview dashboard" in sheets
    assert "Residential Burglary" in sheets and "ASB Calls" in sheets
    assert "Burglary" not in sheets  # only the catalogue's measures


def test_docx_output_is_a_word_document_with_a_heading_per_section(
    extracts, tmp_path, small_catalogue
):
    from docx import Document

    out = tmp_path / "barnet.docx"
    result = runner.invoke(app, arguments(extracts, "docx", out, "--catalogue", small_catalogue))
    assert result.exit_code == 0, result.output
    document = Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "At a glance" in headings and "Residential Burglary" in headings
    assert document.tables and document.inline_shapes  # tables, and the charts as pictures


def test_pdf_output_is_a_pdf(extracts, tmp_path, small_catalogue):
    out = tmp_path / "barnet.pdf"
    result = runner.invoke(
        app, arguments(extracts, "pdf", out, "--public", "--catalogue", small_catalogue)
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_a_public_json_marks_what_it_hides(extracts, tmp_path):
    out = tmp_path / "public.json"
    result = runner.invoke(app, arguments(extracts, "json", out, "--public"))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["public"] is True
    gun = next(m for m in data["measures"] if m["key"] == "gun_crime_lethal_barrelled_discharged")
    assert "monthly" in gun["suppressed"]


def test_a_bad_input_file_is_a_message_and_exit_code_3(extracts, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("MajorText,MinorText,Borough,202309\nBurglary,Domestic Burglary,Barnet,1\n")
    args = arguments(extracts, "json", tmp_path / "out.json")
    args[args.index("--mps") + 1] = str(bad)
    with pytest.raises(SystemExit) as excinfo:
        main(args)
    assert excinfo.value.code == 3
    err = capsys.readouterr().err
    assert "bad.csv, row 1, column 'LookUp_BoroughName'" in err
    assert "nothing was imported" in err
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize(
    ("option", "value", "error", "message"),
    [
        (
            "--area",
            "Narnia",
            ConfigurationError,
            "--area 'Narnia' is not one of the 32 London boroughs",
        ),
        ("--to", "2023-13", ConfigurationError, "'2023-13' has month 13"),
        ("--format", "odt", ConfigurationError, "'odt' is not a format"),
        ("--to", "2025-01", InputError, "a dashboard to January 2025 needs every month"),
        ("--recent-months", "0", ConfigurationError, "must be 1 to 12 months"),
        ("--catalogue", "missing.toml", ConfigurationError, "There is no catalogue file at"),
    ],
)
def test_bad_options_are_refused_with_a_message(extracts, tmp_path, option, value, error, message):
    args = arguments(extracts, "json", tmp_path / "out.json")
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    result = runner.invoke(app, args)
    assert isinstance(result.exception, error)
    assert message in str(result.exception)
    assert not (tmp_path / "out.json").exists()


def test_configuration_errors_exit_with_code_4(extracts, tmp_path):
    args = arguments(extracts, "json", tmp_path / "out.json")
    args[args.index("--area") + 1] = "Barnett"
    with pytest.raises(SystemExit) as excinfo:
        main(args)
    assert excinfo.value.code == 4

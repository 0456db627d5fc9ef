"""`saferhub report needs` through the CLI runner, in every format, and its errors."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from tests.measures.needs_rows import person, write_csv
from typer.testing import CliRunner

from saferhub.commands import app, main
from saferhub.errors import ConfigurationError

runner = CliRunner()


@pytest.fixture(scope="module")
def extracts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("needs_extracts")
    barnet = [
        person("L000001", needs=("ete", "attitudes"), registrations=("mappa",)),
        person("L000002", setting="custody", gender="Female", needs=("accommodation",)),
        person("L000003", setting="omic", assessment_date=None),
        *(person(f"L10000{i}", needs=("thinking_behaviour",)) for i in range(6)),
    ]
    london = [person(f"M00000{i}", needs=("ete",)) for i in range(5)]
    return write_csv(folder / "barnet.csv", barnet), write_csv(folder / "london.csv", london)


def arguments(extract, fmt, out, *extra):
    return ["report", "needs", "--extract", str(extract), "--format", fmt, "--out", str(out),
            "--area", "Barnet", *extra]  # fmt: skip


def test_json_is_written_with_every_table_and_the_people_not_assessed(extracts, tmp_path):
    out = tmp_path / "needs.json"
    result = runner.invoke(app, arguments(extracts[0], "json", out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["area"] == "Barnet" and data["people"] == 9
    assert [p["crn"] for p in data["not_assessed"]] == ["L000003"]
    assert {t["key"] for t in data["tables"]} >= {"needs_by_setting", "needs_by_age_band"}


def test_html_is_a_standalone_page(extracts, tmp_path):
    out = tmp_path / "needs.html"
    result = runner.invoke(app, arguments(extracts[0], "html", out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Criminogenic needs by community" in html


def test_xlsx_has_a_sheet_per_section(extracts, tmp_path):
    out = tmp_path / "needs.xlsx"
    result = runner.invoke(app, arguments(extracts[0], "xlsx", out))
    assert result.exit_code == 0, result.output
    sheets = load_workbook(out).sheetnames
    assert sheets[:3] == ["About", "Summary", "Criminogenic needs"]


def test_pdf_is_written(extracts, tmp_path):
    out = tmp_path / "needs.pdf"
    result = runner.invoke(app, arguments(extracts[0], "pdf", out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_compare_adds_the_other_area_and_public_hides_people(extracts, tmp_path):
    out = tmp_path / "public.json"
    extra = ["--compare", str(extracts[1]), "--compare-area", "London", "--public"]
    result = runner.invoke(app, arguments(extracts[0], "json", out, *extra))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["public"] is True and data["not_assessed"] is None
    assert data["comparisons"][0]["other_area"] == "London"
    assert "L000003" not in out.read_text(encoding="utf-8")


def test_the_as_of_option_sets_the_date_ages_are_worked_out_on(extracts, tmp_path):
    out = tmp_path / "as_of.json"
    result = runner.invoke(app, arguments(extracts[0], "json", out, "--as-of", "2022-01-31"))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["as_of"], data["as_of_from"]) == ("2022-01-31", "option")


def test_a_bad_extract_is_a_message_and_exit_code_3(extracts, tmp_path, capsys):
    bad = write_csv(tmp_path / "bad.csv", [person("N000001"), person("N000001")])
    out = tmp_path / "out.json"
    with pytest.raises(SystemExit) as excinfo:
        main(arguments(bad, "json", out))
    assert excinfo.value.code == 3
    err = capsys.readouterr().err
    assert "bad.csv, row 3, column 'crn': N000001 is also on row 2" in err
    assert "nothing was imported" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--format", "odt", "'odt' is not a report format"),
        ("--as-of", "15/10/2021", "--as-of '15/10/2021' is not a date"),
    ],
)
def test_bad_options_are_refused_with_a_message(extracts, tmp_path, option, value, message):
    out = tmp_path / "out.json"
    args = arguments(extracts[0], "json", out)
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    result = runner.invoke(app, args)
    assert isinstance(result.exception, ConfigurationError)
    assert message in str(result.exception)
    assert not out.exists()


def test_configuration_errors_exit_with_code_4(extracts, tmp_path):
    with pytest.raises(SystemExit) as excinfo:
        main(arguments(extracts[0], "rtf", tmp_path / "out.rtf"))
    assert excinfo.value.code == 4

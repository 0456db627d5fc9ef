"""Review findings on the report commands' `--out`, and on a count of 1e26 in a crime file.

Before the fix each of these printed a traceback, or silently overwrote an input file.
"""

from __future__ import annotations

import csv
import os
import shutil
import stat

import pytest

from tests.security.importer_cases import run_cli, synth_folder


@pytest.fixture
def files(tmp_path):
    """Copies of the synthetic partnership's extracts, which a test may damage."""
    folder = tmp_path / "in"
    shutil.copytree(synth_folder(), folder)
    return folder


def crime(files, out, *, mps=None):
    return [
        "report",
        "crime",
        "--mps",
        str(mps or files / "mps_borough_crime.csv"),
        "--population",
        str(files / "borough_population.csv"),
        "--area",
        "Barnet",
        "--to",
        "2023-09",
        "--format",
        "json",
        "--out",
        str(out),
    ]


def one_error(err: str) -> str:
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, err
    assert "Traceback" not in err
    return errors[0]


def set_count(path, value):
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    rows[1][5] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_out_that_is_a_folder_is_refused_with_the_configuration_exit_code(files, tmp_path):
    code, _, err = run_cli(crime(files, tmp_path))
    assert code == 4
    assert "is a folder" in one_error(err)


def test_out_in_a_place_that_cannot_be_written_is_refused(files):
    code, _, err = run_cli(crime(files, "/proc/x"))
    assert code == 4
    assert "cannot be written" in one_error(err)
    assert not os.path.exists("/proc/x")


def test_out_that_is_a_device_is_refused_and_left_alone(files):
    code, _, err = run_cli(crime(files, "/dev/null"))
    assert code == 4
    assert "not an ordinary file" in one_error(err)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_out_equal_to_an_input_is_refused_and_the_input_is_untouched(files):
    population = files / "borough_population.csv"
    before = population.read_bytes()
    code, _, err = run_cli(crime(files, population))
    assert code == 4
    assert "input files" in one_error(err)
    assert population.read_bytes() == before


def test_out_linked_to_an_input_is_refused(files, tmp_path):
    link = tmp_path / "report.json"
    link.symlink_to(files / "mps_borough_crime.csv")
    before = (files / "mps_borough_crime.csv").read_bytes()
    code, _, err = run_cli(crime(files, link))
    assert code == 4
    assert "input files" in one_error(err)
    assert (files / "mps_borough_crime.csv").read_bytes() == before


@pytest.mark.parametrize(
    ("command", "inputs"),
    [
        ("report needs --format json --extract", ["caseload.csv"]),
        (
            "report reoffending --format json --cohort-start 2022-01 --cohort-end 2022-03 "
            "--disposals {disposals.csv} --offences",
            ["offences.csv"],
        ),
        (
            "report iom --format json --to 2023-09 --cohort {iom_cohort.csv} --offences",
            ["offences.csv"],
        ),
    ],
    ids=["needs", "reoffending", "iom"],
)
def test_every_report_refuses_to_overwrite_its_input(files, command, inputs):
    args = [a.replace("{", f"{files}/").replace("}", "") for a in command.split()]
    target = files / inputs[0]
    before = target.read_bytes()
    code, _, err = run_cli([*args, str(target), "--out", str(target)])
    assert code == 4, err
    assert "input files" in one_error(err)
    assert target.read_bytes() == before


def test_a_count_of_1e26_is_refused_naming_file_row_and_column(files, tmp_path):
    mps = files / "mps_borough_crime.csv"
    set_count(mps, "1" + "0" * 26)
    code, _, err = run_cli(crime(files, tmp_path / "out.json", mps=mps))
    assert code == 3
    line = one_error(err)
    assert "mps_borough_crime.csv, row 2, column '" in line
    assert "more crimes than any borough records in a month" in line


def test_a_failed_run_leaves_no_output_file_and_keeps_an_old_one(files, tmp_path):
    mps = files / "mps_borough_crime.csv"
    set_count(mps, "ten")
    out = tmp_path / "out" / "report.json"
    code, _, _ = run_cli(crime(files, out, mps=mps))
    assert code == 3
    assert list((tmp_path / "out").iterdir()) == []
    out.write_text("last month's report")
    code, _, _ = run_cli(crime(files, out, mps=mps))
    assert code == 3
    assert out.read_text() == "last month's report"
    assert [p.name for p in out.parent.iterdir()] == ["report.json"]


def test_a_good_run_replaces_the_output_whole(files, tmp_path):
    out = tmp_path / "report.json"
    out.write_text("last month's report")
    code, stdout, err = run_cli(crime(files, out))
    assert code == 0, err
    assert out.read_text().startswith("{")
    assert f"Wrote {out}" in stdout
    assert [p.name for p in tmp_path.iterdir() if p.name != "in"] == ["report.json"]

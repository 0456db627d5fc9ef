"""`saferhub synth`: reproducible extract files, and a clear refusal of a bad scale."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saferhub.commands import app, main
from saferhub.errors import ConfigurationError

runner = CliRunner()


def synth(out: Path, seed: int, scale: float = 0.05, *options: str) -> None:
    result = runner.invoke(
        app, ["synth", "--seed", str(seed), "--scale", str(scale), "--out", str(out), *options]
    )
    assert result.exit_code == 0, result.output
    assert "extracts" in result.output


def files_in(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def people_in(folder: Path) -> list[dict]:
    with (folder / "people.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def seed_7(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed-7")
    synth(out, seed=7)
    return out


def test_the_same_seed_and_scale_give_byte_identical_files(seed_7, tmp_path):
    synth(tmp_path, seed=7)
    first, second = files_in(seed_7), files_in(tmp_path)
    assert {"people.csv", "agencies.csv"} <= set(first)
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], f"{name} differs between two runs with seed 7"


def test_the_same_seed_scale_and_as_of_give_byte_identical_files(tmp_path):
    synth(tmp_path / "a", 7, 0.05, "--as-of", "2026-11-26")
    synth(tmp_path / "b", 7, 0.05, "--as-of", "2026-11-26")
    assert files_in(tmp_path / "a") == files_in(tmp_path / "b")


def test_the_default_as_of_date_is_fixed_so_files_are_reproducible(seed_7, tmp_path):
    synth(tmp_path, 7, 0.05, "--as-of", "2023-09-30")
    assert files_in(tmp_path) == files_in(seed_7)


def test_another_as_of_date_dates_the_activity_up_to_that_day(seed_7, tmp_path):
    synth(tmp_path, 7, 0.05, "--as-of", "2026-11-26")
    with (tmp_path / "iom_contacts.csv").open(newline="", encoding="utf-8") as handle:
        latest = max(row["contact_date"] for row in csv.DictReader(handle))
    assert "2026-11-19" <= latest <= "2026-11-26"
    assert files_in(tmp_path)["iom_contacts.csv"] != files_in(seed_7)["iom_contacts.csv"]


def test_a_different_seed_gives_different_people(seed_7, tmp_path):
    synth(tmp_path, seed=8)
    assert people_in(seed_7) != people_in(tmp_path)


def test_the_output_names_every_file_written(tmp_path):
    result = runner.invoke(app, ["synth", "--seed", "7", "--scale", "0.02", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for path in tmp_path.iterdir():
        assert path.name in result.output


@pytest.mark.parametrize("scale", ["0", "-1", "-0.5", "1e-9", "0.001", "1001", "1e400", "nan"])
def test_a_scale_out_of_range_is_refused_with_the_configuration_exit_code(scale, tmp_path, capsys):
    out = tmp_path / "extracts"
    with pytest.raises(SystemExit) as stopped:
        main(["synth", "--scale", scale, "--out", str(out)])
    assert stopped.value.code == ConfigurationError.exit_code == 4
    message = " ".join(capsys.readouterr().err.split())
    assert f"--scale {float(scale)} is out of range" in message
    assert "Use a number from 0.01 to 1000" in message
    assert "Traceback" not in message
    assert not out.exists()


@pytest.mark.parametrize(
    ("as_of", "says"),
    [
        ("2023-02-30", "--as-of '2023-02-30' is not a date"),
        ("30/09/2023", "--as-of '30/09/2023' is not a date"),
        ("yesterday", "--as-of 'yesterday' is not a date"),
        ("1900-01-01", "--as-of 1900-01-01 is out of range"),
        ("2200-01-01", "--as-of 2200-01-01 is out of range"),
    ],
)
def test_a_bad_as_of_date_is_refused_with_the_configuration_exit_code(
    as_of, says, tmp_path, capsys
):
    out = tmp_path / "extracts"
    with pytest.raises(SystemExit) as stopped:
        main(["synth", "--as-of", as_of, "--out", str(out)])
    assert stopped.value.code == ConfigurationError.exit_code
    message = " ".join(capsys.readouterr().err.split())
    assert message.startswith("Error:")
    assert says in message
    assert "YYYY-MM-DD" in message or "Use a date from" in message
    assert "Traceback" not in message
    assert not out.exists()


def test_a_scale_that_is_not_a_number_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["synth", "--scale", "lots", "--out", str(tmp_path)])
    assert result.exit_code == 2

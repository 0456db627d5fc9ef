"""`saferhub check KIND FILE`: the readers' verdict on one file, writing nothing."""

from __future__ import annotations

import pytest
from tests.security.importer_cases import SYNTH_FILES, run_cli, synth_folder


@pytest.mark.parametrize("kind", list(SYNTH_FILES))
def test_a_good_file_is_reported_valid_and_nothing_is_written(kind):
    folder = synth_folder()
    before = sorted(p.name for p in folder.iterdir())
    name = SYNTH_FILES[kind][0]
    code, out, err = run_cli(["check", kind, str(folder / name)])
    assert (code, err) == (0, "")
    assert out == f"{name} is a valid {kind} file.\n"
    assert sorted(p.name for p in folder.iterdir()) == before


def test_a_file_of_another_kind_is_refused_with_the_bad_input_exit_code():
    code, _, err = run_cli(["check", "offences", str(synth_folder() / "custody.csv")])
    assert code == 3
    assert err.startswith("Error: custody.csv, row 1, column 'offence_id': the column")


def test_an_unknown_kind_is_a_usage_error():
    code, _, _ = run_cli(["check", "marac", str(synth_folder() / "custody.csv")])
    assert code == 2


def test_the_published_population_by_year_file_checks_as_valid():
    from pathlib import Path

    real = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mps"
    path = real / "borough_population_by_year_gla.csv"
    if not path.exists():
        pytest.skip(f"real GLA data not found at {path}")
    code, out, err = run_cli(["check", "population-by-year", str(path)])
    assert (code, err) == (0, "")
    assert out == "borough_population_by_year_gla.csv is a valid population-by-year file.\n"

"""Every importer, fed thousands of damaged files through the CLI: none may crash.

Each case either imports or prints ONE `Error:` line naming the file (and, for a problem
in a row, the row and column), exits with code 3 (bad input) or 4 (bad configuration),
and writes nothing. A traceback fails the test with the file that caused it.

Reproducible: Hypothesis runs with `derandomize=True`, so CI sees the same cases.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.security.importer_cases import damaged_csv, damaged_xlsx, run_cli, synth_folder

pytestmark = pytest.mark.fuzz

# Examples per importer: 10,400 in all, weighted to the quicker readers, so the whole
# run takes about a minute and a half on a busy two-core machine.
EXAMPLES = {
    "mps": 1000,
    "population": 600,
    "series": 900,
    "partner-breakdowns": 600,
    "caseload": 700,
    "offences": 1600,
    "cohort": 1600,
    "custody": 1400,
    "disposals": 1400,
    "unit-costs": 1000,
}
XLSX_EXAMPLES = 200


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def check_one(kind: str, data: bytes, suffix: str = ".csv") -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        code, out, err = run_cli(["check", kind, str(path)])
        left = sorted(p.name for p in Path(folder).iterdir())
    assert left == [path.name], f"the check wrote files: {left}"
    if code == 0:
        assert "is a valid" in out
        return
    assert code in (3, 4), f"exit code {code}: {err}"
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, err
    # Problem names the file first, then the row and column where there is one.
    assert errors[0].startswith(f"Error: {path.name}"), err


@pytest.mark.parametrize("kind", list(EXAMPLES))
def test_damaged_files_are_imported_or_refused_with_one_error_line(kind):
    @fuzz_settings(EXAMPLES[kind])
    @given(data=damaged_csv(kind))
    def case(data: bytes) -> None:
        check_one(kind, data)

    case()


@fuzz_settings(XLSX_EXAMPLES)
@given(data=damaged_xlsx())
def test_damaged_caseload_workbooks_are_imported_or_refused_with_one_error_line(data):
    check_one("caseload", data, ".xlsx")


REPORT_EXAMPLES = 40


@fuzz_settings(REPORT_EXAMPLES)
@given(data=damaged_csv("mps"))
def test_a_report_from_a_damaged_file_is_written_whole_or_not_at_all(data):
    """Through a whole report: a refused file leaves no output (nor a temporary file)."""
    with tempfile.TemporaryDirectory() as folder:
        mps, out = Path(folder) / "mps.csv", Path(folder) / "out" / "report.json"
        mps.write_bytes(data)
        population = synth_folder() / "borough_population.csv"
        options = ["--area", "Barnet", "--to", "2023-09", "--format", "json", "--out", str(out)]
        inputs = ["--mps", str(mps), "--population", str(population)]
        code, _, err = run_cli(["report", "crime", *inputs, *options])
        written = sorted(p.name for p in out.parent.iterdir()) if out.parent.exists() else []
    if code == 0:
        assert written == ["report.json"]
        return
    assert code in (3, 4), err
    assert len([line for line in err.splitlines() if line.startswith("Error:")]) == 1, err
    assert written == []

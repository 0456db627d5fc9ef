"""Valid input files of every kind, damaged in the ways real files are, for the importer tests.

`run_cli` calls the CLI in process (no subprocess per case) and returns the exit code,
standard output and standard error, so thousands of files can be tried in a minute.
"""

from __future__ import annotations

import contextlib
import csv
import io
from functools import cache
from importlib import resources
from pathlib import Path

from hypothesis import strategies as st

from saferhub.commands import main

# The synthetic partnership's extracts (first rows only: a small file is enough to break).
SYNTH_FILES = {
    "mps": ("mps_borough_crime.csv", 8),
    "population": ("borough_population.csv", None),
    "series": ("partner_measures.csv", 12),
    "partner-breakdowns": ("partner_breakdowns.csv", 12),
    "caseload": ("caseload.csv", 12),
    "offences": ("offences.csv", 12),
    "cohort": ("iom_cohort.csv", 12),
    "custody": ("custody.csv", 12),
    "disposals": ("disposals.csv", 12),
}

BAD_VALUES = [
    "1e26",
    "100000000000000000000000000",
    "-1",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e309",
    "",
    " ",
    "0.5",
    "1,000,000",
    "x" * 5000,
    "2099-01-01",
    "2999-12-31",
    "31/02/2023",
    "0000-00-00",
    "0001-01-01",
    "1899-12-31",
    "９９",
    "٣",
    "[/bold]",
    "[link=http://evil]x[/link]",
    "a\nError: fake",
    "\x00",
    '"',
    "=cmd|' /C calc'!A0",
    "\ufeff",
    "E09000003",
    "X123456",
    "yes",
    "2023-09",
]

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `saferhub ARGS`, run in this process."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return code, out.getvalue(), err.getvalue()


@cache
def synth_folder() -> Path:
    import atexit
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="saferhub-importer-cases-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    code, _, err = run_cli(["synth", "--out", str(folder), "--seed", "7", "--scale", "0.2"])
    assert code == 0, err
    return folder


@cache
def base_rows(kind: str) -> tuple[tuple[str, ...], ...]:
    """A valid file of this kind as rows of text, the header first."""
    if kind == "unit-costs":
        path = Path(str(resources.files("saferhub.data") / "unit_costs_home_office_2018.csv"))
        limit = None
    else:
        name, limit = SYNTH_FILES[kind]
        path = synth_folder() / name
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows = rows if limit is None else rows[: limit + 1]
    if kind == "mps":  # the identity columns and the last two years: enough to break
        rows = [row[:3] + row[-24:] for row in rows]
    return tuple(tuple(row) for row in rows)


@st.composite
def damaged_rows(draw, kind: str) -> list[list[str]]:
    """The valid rows with one to three things wrong, as real files go wrong."""
    rows = [list(row) for row in base_rows(kind)]
    for _ in range(draw(st.integers(0, 3))):
        width = max(len(row) for row in rows)
        if not width:
            break
        column = draw(st.integers(0, width - 1))
        row = draw(st.integers(0, len(rows) - 1))
        match draw(st.integers(0, 10)):
            case 0 | 1 | 2:  # a bad value in a cell
                value = draw(st.sampled_from(BAD_VALUES) | st.text(max_size=20))
                if column < len(rows[row]):
                    rows[row][column] = value
            case 3:  # a column missing
                rows = [[v for i, v in enumerate(r) if i != column] for r in rows]
            case 4:  # a column twice
                rows = [[*r, r[column]] if column < len(r) else r for r in rows]
            case 5:  # a column renamed
                if rows[0]:
                    rows[0][column % len(rows[0])] = draw(st.text(max_size=12))
            case 6:  # a row twice: the same person, category or offence again
                rows.insert(draw(st.integers(1, len(rows))), list(rows[row]))
            case 7:  # a truncated row
                rows[row] = rows[row][: draw(st.integers(0, len(rows[row])))]
            case 8:  # an extra delimiter
                rows[row] = [*rows[row], ""]
            case 9:  # no data rows at all
                rows = rows[:1]
            case 10:  # two columns' values swapped in one row
                other = draw(st.integers(0, width - 1))
                if max(column, other) < len(rows[row]):
                    rows[row][column], rows[row][other] = rows[row][other], rows[row][column]
    return rows


@st.composite
def damaged_csv(draw, kind: str) -> bytes:
    """A damaged file's bytes: bad rows, a wrong encoding, cut short or with noise."""
    if draw(st.integers(0, 19)) == 0:
        return draw(st.binary(max_size=400))
    text = io.StringIO()
    csv.writer(text).writerows(draw(damaged_rows(kind)))
    data = text.getvalue().encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    match draw(st.integers(0, 9)):
        case 0:  # cut short, as by a failed copy
            data = data[: draw(st.integers(0, len(data)))]
        case 1:  # random bytes somewhere
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.binary(min_size=1, max_size=20)) + data[at:]
        case 2:  # a stray quote or delimiter somewhere
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.sampled_from([b'"', b",", b"\r", b"\n\n", b";"])) + data[at:]
    return data


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    """Rows as the first sheet of a workbook, numbers and dates as Excel would type them."""
    from datetime import date

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        cells: list[object] = []
        for value in row:
            typed: object = value
            if value.isdigit() and len(value) < 10:
                typed = int(value)
            elif len(value) == 10 and value[4:5] == "-" and value[:4].isdigit():
                with contextlib.suppress(ValueError):
                    typed = date.fromisoformat(value)
            # Characters Excel cannot hold in a cell are left out, as Excel would.
            if isinstance(typed, str):
                typed = "".join(c for c in typed if c.isprintable() or c in "\t\n")
            cells.append(typed)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@st.composite
def damaged_xlsx(draw) -> bytes:
    data = xlsx_bytes(draw(damaged_rows("caseload")))
    # A workbook's bytes carry the time it was saved: cut at a fraction of its length,
    # so the same draws give the same case.
    at = len(data) * draw(st.integers(0, 1000)) // 1000
    match draw(st.integers(0, 9)):
        case 0:  # cut short
            data = data[:at]
        case 1:  # random bytes somewhere
            data = data[:at] + draw(st.binary(min_size=1, max_size=20)) + data[at:]
        case 2:  # not a workbook at all
            data = draw(st.binary(max_size=200))
    return data

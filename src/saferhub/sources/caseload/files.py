"""Reading the text of a caseload extract: the header row, then CSV (through Arrow's fast
reader) or XLSX, with the line a spreadsheet shows for each row."""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv

from saferhub.errors import InputError, Problem
from saferhub.sources.caseload.columns import (
    AGE_COLUMNS,
    ALL_COLUMNS,
    FORMAT_DOC,
    REQUIRED_COLUMNS,
)
from saferhub.sources.csvfile import stream_csv_file

# A workbook is a zip of XML: one that unpacks to more than this is refused before it is
# opened. A national caseload is a CSV file; a workbook this size is a damaged or hostile one.
MAX_XLSX_UNPACKED = 500_000_000
MAX_XLSX_PARTS = 10_000
_DICTIONARY = pa.dictionary(pa.int32(), pa.string())


def _header_problems(header: list[str], shown: str) -> tuple[list[str], list[Problem]]:
    """Normalised column names, and what is wrong with the header row."""
    names = [str(h or "").strip().casefold() for h in header]
    problems: list[Problem] = []
    seen: set[str] = set()
    for position, column in enumerate(names, start=1):
        if not column:
            problems.append(Problem(shown, 1, None, f"column {position} has no heading."))
        elif column in seen:
            problems.append(Problem(shown, 1, column, "appears twice; keep one."))
        elif column not in ALL_COLUMNS:
            problems.append(
                Problem(shown, 1, column, f"is not a column of the caseload extract. {FORMAT_DOC}")
            )
        seen.add(column)
    for column in REQUIRED_COLUMNS:
        if column not in seen:
            problems.append(Problem(shown, 1, column, f"the column is missing. {FORMAT_DOC}"))
    if not seen.intersection(AGE_COLUMNS):
        problems.append(
            Problem(
                shown,
                1,
                "date_of_birth",
                "the column is missing: the extract needs date_of_birth or age (or both).",
            )
        )
    return names, problems


def read_csv(path: Path, shown: str) -> tuple[pa.Table, Callable[[int], int]]:
    # The header is read the way every CSV file is (sources.csvfile); the rows of a
    # national extract then go through Arrow's reader, many times faster.
    with stream_csv_file(path, shown) as stream:
        header = stream.header
    names, problems = _header_problems(header, shown)
    if problems:
        raise InputError(problems)
    # Every column but the CRN has few distinct values: Arrow encodes them as it reads,
    # which halves the memory a national extract takes.
    convert = pa_csv.ConvertOptions(
        column_types={n: pa.string() if n == "crn" else _DICTIONARY for n in names},
        strings_can_be_null=False,
    )
    for encoding in ("utf8", "latin-1"):
        try:
            table = pa_csv.read_csv(
                path,
                read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1, encoding=encoding),
                convert_options=convert,
            )
            break
        except pa.ArrowInvalid as exc:
            if encoding == "utf8" and "UTF8" in str(exc):
                continue  # Excel on Windows saves "CSV" in a single-byte code page
            raise InputError(_csv_layout_problem(path, shown, len(names), exc)) from None
        except OSError as exc:
            raise InputError(
                Problem(shown, None, None, f"cannot be read ({exc.strerror or exc}).")
            ) from None
    return table, _csv_line_numbers(path)


def _csv_records(path: Path) -> Iterable[tuple[int, list[str]]]:
    """Each record after the header with the line it starts on (the header is line 1)."""
    # Read as a stream: only a file with problems is read this way, and it may be big.
    # Rows of blank values are kept, as the fast reader counts them.
    with stream_csv_file(path, keep_blank_rows=True) as stream:
        yield from stream.records


def _csv_layout_problem(path: Path, shown: str, width: int, exc: Exception) -> Problem:
    try:
        for line, values in _csv_records(path):
            if len(values) != width:
                return Problem(
                    shown,
                    line,
                    None,
                    f"has {len(values)} values but the header has {width} columns.",
                )
            if any("\n" in value or "\r" in value for value in values):
                return Problem(
                    shown, line, None, "has a line break inside a quoted value; remove it."
                )
    except InputError as csv_error:
        return csv_error.problems[0]
    return Problem(shown, None, None, f"cannot be read as CSV ({str(exc).strip()}).")


def _csv_line_numbers(path: Path) -> Callable[[int], int]:
    lines: list[int] = []

    def line_of(index: int) -> int:
        if not lines:
            # A value longer than the csv module's limit ends the scan early: lines
            # past it are then numbered as if every record took one line.
            with contextlib.suppress(InputError):
                lines.extend(line for line, _ in _csv_records(path))
        return lines[index] if index < len(lines) else index + 2

    return line_of


def _cell_text(value: object) -> str:
    # Excel hands over typed cells; the checks work on text, as for CSV.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_unpacked_size(path: Path, shown: str) -> None:
    """Refuse a workbook that unpacks to far more than it looks (a "zip bomb")."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a workbook at all: opening it says so
    unpacked = sum(info.file_size for info in parts)
    if len(parts) > MAX_XLSX_PARTS:
        raise InputError(
            Problem(shown, None, None, f"holds {len(parts):,} parts; a workbook has a few dozen."),
            "Save the extract as CSV (UTF-8) and import that instead.",
        )
    if unpacked > MAX_XLSX_UNPACKED:
        raise InputError(
            Problem(
                shown,
                None,
                None,
                f"unpacks to {unpacked / 1e6:,.0f} MB, more than a workbook SaferHub reads "
                f"({MAX_XLSX_UNPACKED / 1e6:,.0f} MB).",
            ),
            "Save the extract as CSV (UTF-8) and import that instead.",
        )


def read_xlsx(path: Path, shown: str) -> tuple[pa.Table, Callable[[int], int]]:
    from openpyxl import load_workbook

    _check_unpacked_size(path, shown)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or mislabelled file
        raise InputError(
            Problem(shown, None, None, f"cannot be opened as an Excel workbook ({exc}).")
        ) from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if not header or not any(_cell_text(h).strip() for h in header):
            raise InputError(Problem(shown, None, None, "the first sheet has no header row."))
        width = max(i for i, h in enumerate(header, start=1) if _cell_text(h).strip())
        names, problems = _header_problems([_cell_text(h) for h in header[:width]], shown)
        if problems:
            raise InputError(problems)
        columns: list[list[str]] = [[] for _ in names]
        lines: list[int] = []
        for line, values in enumerate(rows, start=2):
            texts = [_cell_text(v) for v in values]
            if any(t.strip() for t in texts[width:]):
                raise InputError(Problem(shown, line, None, "has values beyond the last column."))
            texts = (texts + [""] * width)[:width]
            if not any(t.strip() for t in texts):
                continue  # empty rows, often left at the end of a sheet
            for column, text in zip(columns, texts, strict=True):
                column.append(text)
            lines.append(line)
    finally:
        workbook.close()
    table = pa.table({n: pa.array(c, pa.string()) for n, c in zip(names, columns, strict=True)})
    return table, lines.__getitem__

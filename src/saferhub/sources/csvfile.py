"""Reading a CSV file as a user hands it over: any path, Excel's encodings, ragged rows.

Readers get the header and every record with the line number a spreadsheet shows for
it (the header is line 1), so every problem can name the line a user has to fix.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from saferhub.errors import InputError, Problem, ProblemCollector


@dataclass(frozen=True)
class CsvFile:
    name: str  # how messages name the file: the name the user gave, without the folders
    header: list[str]
    records: list[tuple[int, list[str]]]  # (line number, values)


@dataclass(frozen=True)
class CsvStream:
    """A CSV file read one record at a time, so a big file never sits in memory whole."""

    name: str
    header: list[str]
    records: Iterator[tuple[int, list[str]]]  # (line number, values), blank lines left out


_BLOCK = 1 << 20


def _encoding(path: Path) -> tuple[str, str]:
    """UTF-8 (a byte-order mark allowed), or else the Windows code page Excel saves in."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    with path.open("rb") as handle:
        try:
            while block := handle.read(_BLOCK):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            # cp1252 leaves five bytes undefined: they become U+FFFD rather than an error.
            return "cp1252", "replace"
    return "utf-8-sig", "strict"


def _open_problem(shown: str, path: Path, exc: OSError, what: str) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputError(Problem(shown, None, None, f"there is no file at '{path}'."))
    if isinstance(exc, IsADirectoryError):
        return InputError(Problem(shown, None, None, f"is a folder, not {what}."))
    return InputError(Problem(shown, None, None, f"cannot be read ({exc.strerror})."))


@contextlib.contextmanager
def stream_csv_file(
    path: str | Path, name: str | None = None, *, keep_blank_rows: bool = False
) -> Iterator[CsvStream]:
    """Open a CSV file and read its header; the records are read as they are iterated.

    Raises InputError if the file cannot be opened or read as CSV, naming the line.
    Records whose values are all blank are left out, unless `keep_blank_rows` (a reader
    whose bulk path counts them, and must number lines the same way, keeps them; empty
    lines are always left out).
    """
    path = Path(path)
    shown = name or path.name
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "Is a directory")
        encoding, errors = _encoding(path)
        handle = path.open(encoding=encoding, errors=errors, newline="")
    except OSError as exc:
        raise _open_problem(shown, path, exc, "a CSV file") from None
    with handle:
        reader = csv.reader(handle)
        header, blank_first = None, False
        try:
            for row in reader:
                if any(v.strip() for v in row):
                    header = row
                    break
                blank_first = True
        except csv.Error as exc:
            raise InputError(
                Problem(shown, reader.line_num, None, f"is not valid CSV here ({exc}).")
            ) from None
        if header is None:
            raise InputError(Problem(shown, None, None, "is empty: it has no header row."))
        if blank_first:
            raise InputError(
                Problem(shown, 1, None, "starts with a blank line; the header must be on line 1.")
            )
        records = _records(shown, reader, keep_blank_rows)
        yield CsvStream(shown, [column.strip() for column in header], records)


def _records(shown: str, reader: Any, keep_blank_rows: bool) -> Iterator[tuple[int, list[str]]]:
    previous_end = reader.line_num
    try:
        for values in reader:
            # A quoted value may span lines: the record starts just after the previous one.
            start, previous_end = previous_end + 1, reader.line_num
            if not values or (not keep_blank_rows and all(not v.strip() for v in values)):
                continue  # blank lines, often left at the end by spreadsheets
            yield start, values
    except csv.Error as exc:
        raise InputError(
            Problem(shown, reader.line_num, None, f"is not valid CSV here ({exc}).")
        ) from None


def read_csv_file(path: str | Path, name: str | None = None) -> CsvFile:
    """Read the whole file; raise InputError if it cannot be read as CSV at all."""
    with stream_csv_file(path, name) as stream:
        return CsvFile(stream.name, stream.header, list(stream.records))


def read_csv_rows(path: str | Path, name: str | None = None) -> list[dict[str, str]]:
    """Every record as a dict keyed by the header (a missing value is ""), for extracts
    whose readers check their values by column name; raise InputError as read_csv_file."""
    csv_file = read_csv_file(path, name)
    header = csv_file.header
    return [
        {column: values[i] if i < len(values) else "" for i, column in enumerate(header)}
        for _, values in csv_file.records
    ]


def check_columns(
    problems: ProblemCollector,
    header: list[str],
    required: list[str],
    description: str,
) -> dict[str, int]:
    """Positions of the required columns; records a problem per missing or repeated one."""
    positions: dict[str, int] = {}
    lowered = {column.casefold(): index for index, column in enumerate(header)}
    for index, column in enumerate(header):
        if column in positions:
            problems.add(1, column, f"the column '{column}' appears twice; keep one.")
        positions.setdefault(column, index)
    found: dict[str, int] = {}
    for column in required:
        if column in positions:
            found[column] = positions[column]
        elif column.casefold() in lowered:
            found[column] = lowered[column.casefold()]
        else:
            unknown = [c for c in header if c not in required]
            near = difflib.get_close_matches(column, unknown, n=1, cutoff=0.5)
            renamed = f" The column '{near[0]}' may be it, renamed." if near else ""
            problems.add(
                1,
                column,
                f"the column '{column}' is missing.{renamed} {description}",
            )
    return found

"""Reading a CSV file as a user hands it over: any path, Excel's encodings, ragged rows.

Readers get the header and every record with the line number a spreadsheet shows for
it (the header is line 1), so every problem can name the line a user has to fix.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass
from pathlib import Path

from saferhub.errors import InputError, Problem, ProblemCollector


@dataclass(frozen=True)
class CsvFile:
    name: str  # how messages name the file: the name the user gave, without the folders
    header: list[str]
    records: list[tuple[int, list[str]]]  # (line number, values)


def read_csv_file(path: str | Path, name: str | None = None) -> CsvFile:
    """Read the whole file; raise InputError if it cannot be read as CSV at all."""
    path = Path(path)
    shown = name or path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(Problem(shown, None, None, f"there is no file at '{path}'.")) from None
    except IsADirectoryError:
        raise InputError(Problem(shown, None, None, "is a folder, not a CSV file.")) from None
    except OSError as exc:
        raise InputError(Problem(shown, None, None, f"cannot be read ({exc.strerror}).")) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the Windows code page; it decodes every byte.
        text = raw.decode("cp1252", errors="replace")
    if not text.strip():
        raise InputError(Problem(shown, None, None, "is empty: it has no header row."))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip() for column in next(reader)]
        records: list[tuple[int, list[str]]] = []
        previous_end = reader.line_num
        for values in reader:
            # A quoted value may span lines: the record starts just after the previous one.
            start, previous_end = previous_end + 1, reader.line_num
            if not values or all(not v.strip() for v in values):
                continue  # blank lines, often left at the end by spreadsheets
            records.append((start, values))
    except csv.Error as exc:
        raise InputError(
            Problem(shown, reader.line_num, None, f"is not valid CSV here ({exc}).")
        ) from None
    return CsvFile(shown, header, records)


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

"""Reading one offender-level CSV extract (offences, IOM cohort, custody, disposals ...).

Each reader declares its columns; this module reads the file, checks the header, and
hands every record over with the line number a spreadsheet shows for it, so a problem
can name the file, row and column. Values are parsed by small functions that record a
problem and return None, so one pass finds every problem in the file. Nothing is kept
if any problem was found: readers call `problems.raise_if_any()` before building a table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from saferhub.errors import ProblemCollector, quoted
from saferhub.sources.csvfile import check_columns, read_csv_file
from saferhub.sources.dates import DATE_HINT, not_a_date, parse_date

# No record in an offender extract is older than this; an earlier year is a typing error.
EARLIEST_DATE = date(1900, 1, 1)


@dataclass(frozen=True)
class ExtractRecord:
    """One record of an extract, looked up by column name."""

    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class Extract:
    """A read extract: its name in messages, its records, and a collector for problems."""

    name: str
    records: list[ExtractRecord]
    problems: ProblemCollector
    columns: list[str]
    latest: date  # the day the file was read: no date in it can be later

    def __iter__(self) -> Iterator[ExtractRecord]:
        return iter(self.records)

    def add(self, record: ExtractRecord | int | None, column: str | None, message: str) -> None:
        line = record.line if isinstance(record, ExtractRecord) else record
        self.problems.add(line, column, message)


def read_extract(
    path: str | Path,
    required: list[str],
    optional: list[str],
    description: str,
    name: str | None = None,
) -> Extract:
    """Read a CSV extract and check its header; missing required columns raise at once."""
    csv_file = read_csv_file(path, name)
    problems = ProblemCollector(csv_file.name)
    positions = check_columns(problems, csv_file.header, required, description)
    problems.raise_if_any()
    lowered = {column.casefold(): index for index, column in enumerate(csv_file.header)}
    for column in optional:
        if column.casefold() in lowered:
            positions[column] = lowered[column.casefold()]
    records = []
    for line, values in csv_file.records:
        cells = {
            column: values[index].strip() if index < len(values) else ""
            for column, index in positions.items()
        }
        records.append(ExtractRecord(line, cells))
    return Extract(csv_file.name, records, problems, list(positions), date.today())


def required_text(extract: Extract, record: ExtractRecord, column: str) -> str | None:
    value = record[column]
    if not value:
        extract.add(record, column, f"'{column}' is empty; every row needs one.")
        return None
    return value


def required_date(extract: Extract, record: ExtractRecord, column: str) -> date | None:
    value = record[column]
    if not value:
        extract.add(record, column, f"'{column}' is empty; every row needs a date. {DATE_HINT}")
        return None
    return optional_date(extract, record, column)


def optional_date(extract: Extract, record: ExtractRecord, column: str) -> date | None:
    value = record[column]
    if not value:
        return None
    parsed = parse_date(value)
    if parsed is None:
        extract.add(record, column, not_a_date(quoted(value)))
    elif parsed > extract.latest:
        extract.add(
            record,
            column,
            f"{parsed:%d/%m/%Y} is in the future (today is {extract.latest:%d/%m/%Y}); "
            "check the date.",
        )
        return None
    elif parsed < EARLIEST_DATE:
        extract.add(record, column, f"{value} is before 1900; check the year.")
        return None
    return parsed


def choice(
    extract: Extract,
    record: ExtractRecord,
    column: str,
    allowed: dict[str, str],
    blank: str | None = None,
) -> str | None:
    """Match a value case-insensitively against `allowed` (spelling -> canonical value)."""
    value = record[column]
    if not value:
        if blank is not None:
            return blank
        extract.add(record, column, f"'{column}' is empty. Use one of: {_shown(allowed)}.")
        return None
    canonical = allowed.get(_key(value))
    if canonical is None:
        extract.add(
            record, column, f"'{quoted(value)}' is not allowed here. Use one of: {_shown(allowed)}."
        )
    return canonical


def spellings(*values: str) -> dict[str, str]:
    """Accept each canonical value in any case, with '-', '_' or space between words."""
    return {_key(value): value for value in values}


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().casefold())


def _shown(allowed: dict[str, str]) -> str:
    return ", ".join(dict.fromkeys(allowed.values()))

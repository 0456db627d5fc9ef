"""Metropolitan Police recorded crime files from the London Datastore → canonical counts.

The files are "wide": one row per crime category and area, one column per month named
`YYYYMM`. Borough files have `MajorText, MinorText, LookUp_BoroughName`; ward files add
`WardName, WardCode`. `read_mps_file` validates one file and turns it into canonical long
rows, one per area, category and month; `merge_releases` combines several files.

Merging: files from different releases overlap and later releases revise earlier months.
For each month, every figure comes from the newest file that has that month, where the
newest is the file whose latest month is later (a tie goes to the file given last).
A whole month comes from one file, so a category that a newer release dropped or renamed
is not double counted. Borough and ward files are merged separately: ward files leave out
crimes that could not be placed in a ward (about 4% of them), so borough figures come
from borough files only.

See docs/formats/mps-crime.md for the format and every error a user can get.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from saferhub.errors import InputError, Problem, ProblemCollector
from saferhub.rules.periods import Month, month_range
from saferhub.sources.csvfile import CsvFile, check_columns, read_csv_file
from saferhub.sources.london import OTHER_MPS_AREAS, borough_names, find_borough, suggestion

Level = Literal["borough", "ward"]

MAJOR, MINOR, BOROUGH, WARD_NAME, WARD_CODE = (
    "MajorText",
    "MinorText",
    "LookUp_BoroughName",
    "WardName",
    "WardCode",
)
BOROUGH_COLUMNS = [MAJOR, MINOR, BOROUGH]
WARD_COLUMNS = [MAJOR, MINOR, WARD_NAME, WARD_CODE, BOROUGH]

# The earliest month the MPS publishes by borough is April 2008; a file claiming earlier
# data has a mistyped month heading.
EARLIEST_MONTH = Month(2008, 1)

_MONTH_HEADING = re.compile(r"^(\d{4})(\d{2})$")
_WARD_CODE = re.compile(r"^E05\d{6}$")

CANONICAL_SCHEMA = pa.schema(
    [
        ("area_code", pa.string()),
        ("area_name", pa.string()),
        ("area_type", pa.string()),
        ("borough", pa.string()),
        ("major_category", pa.string()),
        ("minor_category", pa.string()),
        ("month", pa.date32()),
        ("count", pa.int64()),
        ("source_release", pa.string()),
    ]
)

_FORMAT_HINT = (
    "An MPS crime file has the columns MajorText, MinorText, LookUp_BoroughName "
    "(ward files also WardName and WardCode before LookUp_BoroughName), then one column "
    "per month named YYYYMM, e.g. 202309."
)


@dataclass(frozen=True)
class MpsRelease:
    """One validated MPS file: its canonical rows and the months it covers."""

    file: str
    level: Level
    months: tuple[Month, ...]  # consecutive, oldest first
    table: pa.Table  # CANONICAL_SCHEMA rows

    @property
    def first(self) -> Month:
        return self.months[0]

    @property
    def last(self) -> Month:
        return self.months[-1]


@dataclass(frozen=True)
class ReleaseUse:
    """Provenance: which months of a file made it into the merged counts."""

    file: str
    level: Level
    first: Month
    last: Month
    months_used: tuple[Month, ...]


@dataclass(frozen=True)
class CrimeCounts:
    """Recorded crime from every file given, merged: canonical rows plus provenance."""

    table: pa.Table
    releases: tuple[ReleaseUse, ...]
    months: dict[str, frozenset[Month]] = field(default_factory=dict)  # level -> months covered

    def covered(self, level: Level = "borough") -> frozenset[Month]:
        return self.months.get(level, frozenset())


def read_mps_file(
    path: str | Path, *, name: str | None = None, not_after: Month | None = None
) -> MpsRelease:
    """Validate one MPS wide file and return its canonical long rows.

    Raises InputError listing every problem (file, line, column); nothing is returned
    unless the whole file is valid. `not_after` is the latest month a file may contain
    (the CLI passes the current month: a file cannot report the future).
    """
    csv_file = read_csv_file(path, name)
    problems = ProblemCollector(csv_file.name)
    level: Level = "ward" if {WARD_CODE, WARD_NAME} & set(csv_file.header) else "borough"
    identity = WARD_COLUMNS if level == "ward" else BOROUGH_COLUMNS
    positions = check_columns(problems, csv_file.header, identity, _FORMAT_HINT)
    month_positions = _month_columns(problems, csv_file.header, identity, not_after)
    problems.raise_if_any()  # row checks mean nothing without the right columns

    months = sorted(month_positions)
    keys = _check_rows(problems, csv_file, level, positions)
    counts = _counts(problems, csv_file, [month_positions[m] for m in months], months)
    problems.raise_if_any()
    return MpsRelease(
        csv_file.name, level, tuple(months), _long_table(csv_file.name, level, keys, months, counts)
    )


def _month_columns(
    problems: ProblemCollector, header: list[str], identity: list[str], not_after: Month | None
) -> dict[Month, int]:
    positions: dict[Month, int] = {}
    known = {c.casefold() for c in identity}
    for index, column in enumerate(header):
        if column.casefold() in known:
            continue
        match = _MONTH_HEADING.match(column)
        if not match:
            problems.add(
                1,
                column or f"(column {index + 1})",
                "this column is neither a month (YYYYMM, e.g. 202309) nor one of "
                f"{', '.join(identity)}.",
            )
            continue
        year, number = int(match.group(1)), int(match.group(2))
        if not 1 <= number <= 12:
            problems.add(1, column, f"month {number:02d} does not exist; write months as YYYYMM.")
            continue
        month = Month(year, number)
        if month < EARLIEST_MONTH or (not_after is not None and not_after < month):
            latest = f" or after {not_after.label}" if not_after else ""
            problems.add(
                1,
                column,
                f"{month.label} is out of range: MPS data cannot be from before "
                f"{EARLIEST_MONTH.label}{latest}. Check the month heading.",
            )
            continue
        if month in positions:
            problems.add(1, column, f"{month.label} has two columns; keep one.")
            continue
        positions[month] = index
    if not positions and not problems.problems:
        problems.add(1, None, "has no month columns (YYYYMM, e.g. 202309).")
    elif positions:
        for gap in sorted(set(month_range(min(positions), max(positions))) - set(positions)):
            problems.add(
                1,
                None,
                f"has no column for {gap.label} ({gap.year}{gap.month:02d}), between its first "
                "and last months; every month in between must be there (use 0 for none).",
            )
    return positions


def _check_rows(
    problems: ProblemCollector, csv_file: CsvFile, level: Level, positions: dict[str, int]
) -> list[tuple[str | None, str, str, str, str]]:
    """(area_code, area_name, borough, major, minor) per record, checking each as it goes."""
    width = len(csv_file.header)
    seen: dict[tuple[str, ...], int] = {}
    ward_names: dict[str, tuple[str, int]] = {}
    keys: list[tuple[str | None, str, str, str, str]] = []
    for line, values in csv_file.records:
        if len(values) != width:
            problems.add(
                line,
                None,
                f"has {len(values)} values but the header has {width} columns; "
                "check for a stray comma or a missing value.",
            )
            keys.append((None, "", "", "", ""))
            continue
        major = values[positions[MAJOR]].strip()
        minor = values[positions[MINOR]].strip()
        borough_text = " ".join(values[positions[BOROUGH]].split())
        for column, text in ((MAJOR, major), (MINOR, minor), (BOROUGH, borough_text)):
            if not text:
                problems.add(line, column, "is empty; every row needs a category and an area.")
        borough = find_borough(borough_text)
        if borough is not None:
            borough_text = borough.name
        elif borough_text and borough_text not in OTHER_MPS_AREAS:
            problems.add(
                line,
                BOROUGH,
                f"'{borough_text}' is not a London borough or an MPS unit we know."
                f"{suggestion(borough_text, [*borough_names(), *OTHER_MPS_AREAS])}",
            )
        code: str | None = borough.code if borough else None
        name = borough_text
        if level == "ward":
            code = values[positions[WARD_CODE]].strip()
            name = " ".join(values[positions[WARD_NAME]].split())
            if not _WARD_CODE.match(code):
                problems.add(
                    line, WARD_CODE, f"'{code}' is not an ONS ward code (E05 and six digits)."
                )
            if not name:
                problems.add(line, WARD_NAME, "is empty; every ward row needs the ward's name.")
            earlier = ward_names.setdefault(code, (name, line))
            if earlier[0] != name:
                problems.add(
                    line,
                    WARD_NAME,
                    f"ward {code} is called '{name}' here but '{earlier[0]}' on line {earlier[1]}.",
                )
        key = (major, minor, borough_text, code or "")
        if key in seen:
            problems.add(
                line,
                None,
                f"repeats line {seen[key]}: the same category ({major} / {minor}) and area "
                f"({name}). Each category and area must appear once; add the rows together.",
            )
        else:
            seen[key] = line
        keys.append((code, name, borough_text, major, minor))
    if not csv_file.records:
        problems.add(None, None, "has a header but no rows of data.")
    return keys


def _counts(
    problems: ProblemCollector, csv_file: CsvFile, columns: list[int], months: list[Month]
) -> np.ndarray:
    width = len(csv_file.header)
    grid = np.array(
        [
            [values[c] for c in columns] if len(values) == width else ["0"] * len(columns)
            for _, values in csv_file.records
        ],
        dtype=str,
    ).reshape(len(csv_file.records), len(columns))
    grid = np.char.strip(grid)
    good = np.char.isdecimal(grid)
    if not good.all():
        lines = [line for line, _ in csv_file.records]
        for row, col in zip(*np.nonzero(~good), strict=True):
            text = grid[row, col]
            message = (
                "is empty; write 0 for a month with no crimes."
                if not text
                else f"'{text}' is not a count: counts are whole numbers of 0 or more."
            )
            problems.add(lines[row], csv_file.header[columns[col]], message)
        return np.zeros(grid.shape, dtype=np.int64)
    return grid.astype(np.int64)


def _long_table(
    file: str,
    level: Level,
    keys: list[tuple[str | None, str, str, str, str]],
    months: list[Month],
    counts: np.ndarray,
) -> pa.Table:
    n_rows, n_months = counts.shape
    key_columns = list(zip(*keys, strict=True)) if keys else [(), (), (), (), ()]

    row_of_each = pa.array(np.repeat(np.arange(n_rows), n_months))

    def repeated(values: tuple) -> pa.Array:
        return pa.array(values, pa.string()).take(row_of_each)

    days = np.array([np.datetime64(m.first_day, "D") for m in months])
    total = n_rows * n_months
    return pa.Table.from_arrays(
        [
            repeated(key_columns[0]),
            repeated(key_columns[1]),
            pa.array([level], pa.string()).take(np.zeros(total, dtype=np.int64)),
            repeated(key_columns[2]),
            repeated(key_columns[3]),
            repeated(key_columns[4]),
            pa.array(np.tile(days, n_rows), pa.date32()),
            pa.array(counts.reshape(-1), pa.int64()),
            pa.array([file], pa.string()).take(np.zeros(total, dtype=np.int64)),
        ],
        schema=CANONICAL_SCHEMA,
    )


def merge_releases(releases: list[MpsRelease] | tuple[MpsRelease, ...]) -> CrimeCounts:
    """Combine files: for each month, the newest file that has it wins (see module doc)."""
    order = sorted(enumerate(releases), key=lambda item: (item[1].last, item[0]))
    winners: dict[tuple[str, Month], int] = {}
    for position, release in order:
        for month in release.months:
            winners[(release.level, month)] = position
    parts: list[pa.Table] = []
    uses: list[ReleaseUse] = []
    for position, release in enumerate(releases):
        used = tuple(m for m in release.months if winners[(release.level, m)] == position)
        uses.append(ReleaseUse(release.file, release.level, release.first, release.last, used))
        if len(used) == len(release.months):
            parts.append(release.table)
        elif used:
            keep = pa.array([m.first_day for m in used], pa.date32())
            parts.append(release.table.filter(pc.is_in(release.table["month"], value_set=keep)))
    table = pa.concat_tables(parts) if parts else CANONICAL_SCHEMA.empty_table()
    covered: dict[str, set[Month]] = {}
    for level, month in winners:
        covered.setdefault(level, set()).add(month)
    return CrimeCounts(
        table, tuple(uses), {level: frozenset(months) for level, months in covered.items()}
    )


def read_mps_files(
    paths: list[str | Path] | tuple[str | Path, ...], *, not_after: Month | None = None
) -> CrimeCounts:
    """Read and merge several files; any invalid file stops everything (all or nothing).

    Every file is checked before giving up, so one run reports the problems of them all.
    """
    releases: list[MpsRelease] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            releases.append(read_mps_file(path, not_after=not_after))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return merge_releases(releases)

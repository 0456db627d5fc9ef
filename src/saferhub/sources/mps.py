"""Metropolitan Police recorded crime files from the London Datastore → canonical counts.

The files are "wide": one row per crime category and area, one column per month named
`YYYYMM`. Borough files have `MajorText, MinorText, LookUp_BoroughName`; ward files add
`WardName, WardCode`. `read_mps_file` validates one file and turns it into canonical long
rows, one per area, category and month; `merge_releases` combines several files.

Merging: files from different releases overlap and later releases revise earlier months;
`saferhub.sources.mps_merge` says which file each figure comes from (per month and
borough, the newest file that has them), and notes every figure kept from an older file.

See docs/formats/mps-crime.md for the format and every error a user can get.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from saferhub.errors import InputError, Problem, ProblemCollector, quoted
from saferhub.rules.periods import Month, month_range
from saferhub.sources.csvfile import check_columns, stream_csv_file
from saferhub.sources.london import OTHER_MPS_AREAS, borough_names, find_borough, suggestion
from saferhub.sources.mps_merge import (
    CANONICAL_SCHEMA,
    CrimeCounts,
    Level,
    ReleaseUse,
    merge_releases,
)

__all__ = [
    "CANONICAL_SCHEMA",
    "CrimeCounts",
    "MpsRelease",
    "ReleaseUse",
    "merge_releases",
    "read_mps_file",
    "read_mps_files",
]

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

_TEXT = pa.dictionary(pa.int32(), pa.string())
# Every text column of a release repeats a few values many times: dictionary-encoded, a
# 200 MB ward file's rows take a fraction of the memory plain strings would.
RELEASE_SCHEMA = pa.schema(
    [pa.field(f.name, _TEXT if f.type == pa.string() else f.type) for f in CANONICAL_SCHEMA]
)

# Rows are read and checked this many at a time.
BLOCK_ROWS = 2048
# More than this in one month for one category and area is a typing error, not crime:
# the busiest borough category (theft in Westminster) records a few thousand a month.
MAX_MONTHLY_COUNT = 100_000
# Category, area and ward names are a few dozen characters.
MAX_NAME_LENGTH = 200

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
    # The rows as read, wide: a file's counts take 4 bytes each here, against about 40
    # as long rows, so the long rows are only made when asked for.
    blocks: tuple[_Block, ...] = field(repr=False)

    @functools.cached_property
    def table(self) -> pa.Table:
        """CANONICAL_SCHEMA rows (the text columns dictionary-encoded)."""
        parts = [_long_table(self.file, self.level, self.months, b) for b in self.blocks]
        return pa.concat_tables(parts) if parts else RELEASE_SCHEMA.empty_table()

    @property
    def first(self) -> Month:
        return self.months[0]

    @property
    def last(self) -> Month:
        return self.months[-1]


def read_mps_file(
    path: str | Path, *, name: str | None = None, not_after: Month | None = None
) -> MpsRelease:
    """Validate one MPS wide file and return its canonical long rows.

    Raises InputError listing every problem (file, line, column); nothing is returned
    unless the whole file is valid. `not_after` is the latest month a file may contain
    (the CLI passes the current month: a file cannot report the future).

    The file is read a block of rows at a time and each block becomes Arrow columns at
    once, so a file of hundreds of megabytes never exists as Python strings all at once.
    """
    with stream_csv_file(path, name) as stream:
        problems = ProblemCollector(stream.name)
        level: Level = "ward" if {WARD_CODE, WARD_NAME} & set(stream.header) else "borough"
        identity = WARD_COLUMNS if level == "ward" else BOROUGH_COLUMNS
        positions = check_columns(problems, stream.header, identity, _FORMAT_HINT)
        month_positions = _month_columns(problems, stream.header, identity, not_after)
        problems.raise_if_any()  # row checks mean nothing without the right columns

        months = sorted(month_positions)
        rows = _RowChecker(problems, stream.header, level, positions)
        counts = _CountChecker(problems, stream.header, [month_positions[m] for m in months])
        blocks: list[_Block] = []
        for block in _blocks(stream.records):
            keyed = [(rows.check(line, values), (line, values)) for line, values in block]
            good = [record for key, record in keyed if key is not None]
            block_counts = counts.check(good)
            if not problems.problems:  # once the file is known to be bad, only check
                keys = [key for key, _ in keyed if key is not None]
                if keys:
                    counts_grid = block_counts.to_numpy().astype(np.int32)
                    blocks.append(_Block(keys, counts_grid.reshape(len(keys), len(months))))
        if not rows.seen_any:
            problems.add(None, None, "has a header but no rows of data.")
    problems.raise_if_any()
    return MpsRelease(stream.name, level, tuple(months), tuple(blocks))


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


_AREA_NAMES = [*borough_names(), *OTHER_MPS_AREAS]
_Key = tuple[str | None, str, str, str, str]  # area_code, area_name, borough, major, minor


def _blocks(records: Iterator[tuple[int, list[str]]]) -> Iterator[list[tuple[int, list[str]]]]:
    while block := list(itertools.islice(records, BLOCK_ROWS)):
        yield block


class _RowChecker:
    """Checks each record's area and category, remembering what repeats must be told."""

    def __init__(
        self, problems: ProblemCollector, header: list[str], level: Level, positions: dict
    ) -> None:
        self.problems, self.level, self.positions = problems, level, positions
        self.width = len(header)
        self.seen: dict[tuple[str, ...], int] = {}
        self.ward_names: dict[str, tuple[str, int]] = {}
        self.seen_any = False
        # Category and area names repeat on every row: keep one copy of each.
        self._names: dict[str, str] = {}

    def _name(self, text: str) -> str:
        return self._names.setdefault(text, text)

    def check(self, line: int, values: list[str]) -> _Key | None:
        """The record's key; None if its values cannot be lined up with the header."""
        self.seen_any = True
        problems, positions = self.problems, self.positions
        if len(values) != self.width:
            problems.add(
                line,
                None,
                f"has {len(values)} values but the header has {self.width} columns; "
                "check for a stray comma or a missing value.",
            )
            return None
        major = self._name(values[positions[MAJOR]].strip())
        minor = self._name(values[positions[MINOR]].strip())
        borough_text = " ".join(values[positions[BOROUGH]].split())
        for column, text in ((MAJOR, major), (MINOR, minor), (BOROUGH, borough_text)):
            if not text:
                problems.add(line, column, "is empty; every row needs a category and an area.")
            elif len(text) > MAX_NAME_LENGTH:
                problems.add(
                    line,
                    column,
                    f"is {len(text):,} characters long; a name is at most {MAX_NAME_LENGTH}.",
                )
        borough = find_borough(borough_text)
        if borough is not None:
            borough_text = borough.name
        elif borough_text and borough_text not in OTHER_MPS_AREAS:
            problems.add(
                line,
                BOROUGH,
                f"'{quoted(borough_text)}' is not a London borough or an MPS unit we know."
                f"{suggestion(borough_text[:MAX_NAME_LENGTH], _AREA_NAMES)}",
            )
        borough_text = self._name(borough_text)
        code: str | None = borough.code if borough else None
        name = borough_text
        if self.level == "ward":
            code = self._name(values[positions[WARD_CODE]].strip())
            name = self._name(" ".join(values[positions[WARD_NAME]].split()))
            if not _WARD_CODE.match(code):
                problems.add(
                    line,
                    WARD_CODE,
                    f"'{quoted(code)}' is not an ONS ward code (E05 and six digits).",
                )
            if not name:
                problems.add(line, WARD_NAME, "is empty; every ward row needs the ward's name.")
            elif len(name) > MAX_NAME_LENGTH:
                problems.add(
                    line,
                    WARD_NAME,
                    f"is {len(name):,} characters long; a name is at most {MAX_NAME_LENGTH}.",
                )
            earlier = self.ward_names.setdefault(code, (name, line))
            if earlier[0] != name:
                problems.add(
                    line,
                    WARD_NAME,
                    f"ward {quoted(code)} is called '{quoted(name)}' here but "
                    f"'{quoted(earlier[0])}' on line {earlier[1]}.",
                )
        key = (major, minor, borough_text, code or "")
        if key in self.seen:
            problems.add(
                line,
                None,
                f"repeats line {self.seen[key]}: the same category ({quoted(major)} / "
                f"{quoted(minor)}) and area ({quoted(name)}). Each category and area must "
                "appear once; add the rows together.",
            )
        else:
            self.seen[key] = line
        return (code, name, borough_text, major, minor)


class _CountChecker:
    """Reads a block of records' month values as Arrow integers, reporting bad ones."""

    def __init__(self, problems: ProblemCollector, header: list[str], columns: list[int]) -> None:
        self.problems, self.header, self.columns = problems, header, columns

    def check(self, records: list[tuple[int, list[str]]]) -> pa.Array:
        """The block's counts, row by row and month by month (zeros where a value is bad)."""
        columns = self.columns
        texts = pc.utf8_trim_whitespace(
            pa.array([values[c] for _, values in records for c in columns], pa.string())
        )
        digits = pc.match_substring_regex(texts, r"^[0-9]+$")
        # Whole numbers of at most 15 digits cast safely; longer ones are too big anyway.
        short = pc.less_equal(pc.utf8_length(texts), 15)
        good = pc.and_(digits, short)
        numbers = pc.cast(pc.if_else(good, texts, "0"), pa.int64())
        too_big = pc.or_(pc.and_(digits, pc.invert(short)), pc.greater(numbers, MAX_MONTHLY_COUNT))
        bad = pc.or_(pc.invert(digits), too_big)
        if not pc.any(bad).as_py():
            return numbers
        width = len(columns)
        for index in pc.indices_nonzero(bad).to_pylist():
            line = records[index // width][0]
            column = self.header[columns[index % width]]
            text = texts[index].as_py()
            if not text:
                message = "is empty; write 0 for a month with no crimes."
            elif digits[index].as_py():
                message = (
                    f"{quoted(text)} is more crimes than any borough records in a month "
                    f"(at most {MAX_MONTHLY_COUNT:,}); check the figure."
                )
            else:
                message = f"'{quoted(text)}' is not a count: counts are whole numbers of 0 or more."
            self.problems.add(line, column, message)
            if len(self.problems.problems) >= self.problems.limit:
                break
        return pc.if_else(bad, 0, numbers)


@dataclass(frozen=True)
class _Block:
    """Validated rows as read: one key per row and a row of counts per key."""

    keys: list[_Key]
    counts: np.ndarray  # int32, one row per key, one column per month


def _long_table(file: str, level: Level, months: tuple[Month, ...], block: _Block) -> pa.Table:
    """The block as canonical long rows, the repeated text dictionary-encoded."""
    n_rows, n_months = block.counts.shape
    row_of_each = pa.array(np.repeat(np.arange(n_rows, dtype=np.int32), n_months))
    total = n_rows * n_months

    def repeated(values: tuple) -> pa.Array:
        return pa.array(values, pa.string()).dictionary_encode().take(row_of_each)

    def constant(text: str) -> pa.Array:
        return pa.DictionaryArray.from_arrays(
            pa.array(np.zeros(total, dtype=np.int32)), pa.array([text], pa.string())
        )

    days = pa.array([m.first_day for m in months], pa.date32())
    code, name, borough, major, minor = zip(*block.keys, strict=True)
    return pa.Table.from_arrays(
        [
            repeated(code),
            repeated(name),
            constant(level),
            repeated(borough),
            repeated(major),
            repeated(minor),
            days.take(pa.array(np.tile(np.arange(n_months, dtype=np.int32), n_rows))),
            pa.array(block.counts.reshape(-1), pa.int64()),
            constant(file),
        ],
        schema=RELEASE_SCHEMA,
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

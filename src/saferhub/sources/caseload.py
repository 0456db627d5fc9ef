"""The probation caseload extract (nDelius + OASys), CSV or XLSX → a validated caseload table.

One row per person on the caseload. The columns, the values each accepts and every
error a user can get are in docs/formats/caseload-extract.md; the codes themselves are
in `saferhub.rules.needs`.

The reader is all or nothing: it checks every row and column, reports every problem it
finds (up to 200) naming the file, the row as a spreadsheet shows it and the column,
and imports nothing unless the whole file is right. Unknown codes are reported, never
dropped.

A national extract has a million rows but only a few dozen distinct values in most
columns, so each column is read with Arrow's multi-threaded CSV reader and every
*distinct* value is interpreted once, by the same Python rules the rest of SaferHub
uses, then spread back over the rows. Rows are numbered as the reader meets them; only
when there is a problem to report is the file scanned again to turn that position into
the line a spreadsheet shows, so a blank line never puts a message on the wrong row.

The as-of date, from which ages are worked out, defaults to the latest OASys assessment
date in the file: the extract carries no date of its own, and the latest assessment is
the nearest evidence of when it was taken.
"""

from __future__ import annotations

import contextlib
import os
import re
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from saferhub.errors import InputError, Problem, quoted
from saferhub.rules import needs as rules
from saferhub.sources.csvfile import stream_csv_file
from saferhub.sources.dates import DATE_HINT, parse_date

IDENTITY_COLUMNS: tuple[str, ...] = ("crn", "setting", "sentence_type", "gender", "ethnicity")
AGE_COLUMNS: tuple[str, ...] = ("date_of_birth", "age")  # at least one of the two
NEED_COLUMNS: tuple[str, ...] = tuple(rules.need_column(n.code) for n in rules.NEEDS)
REGISTRATION_COLUMNS: tuple[str, ...] = tuple(
    rules.registration_column(r.code) for r in rules.REGISTRATIONS
)
REQUIRED_COLUMNS: tuple[str, ...] = (
    *IDENTITY_COLUMNS,
    "assessment_date",
    *NEED_COLUMNS,
    *REGISTRATION_COLUMNS,
    "tier",
)
ALL_COLUMNS: tuple[str, ...] = (
    *IDENTITY_COLUMNS,
    *AGE_COLUMNS,
    "assessment_date",
    *NEED_COLUMNS,
    *REGISTRATION_COLUMNS,
    "tier",
)

MAX_PROBLEMS = 200
# A workbook is a zip of XML: one that unpacks to more than this is refused before it is
# opened. A national caseload is a CSV file; a workbook this size is a damaged or hostile one.
MAX_XLSX_UNPACKED = 500_000_000
MAX_XLSX_PARTS = 10_000
# Bigger blocks than Arrow's 1 MB default: fewer chunks, so fewer small steps per column.
BLOCK_SIZE = 8 << 20
_DICTIONARY = pa.dictionary(pa.int32(), pa.string())
_LETTERS = pa.array([chr(code) for code in range(ord("A"), ord("Z") + 1)])
FORMAT_DOC = "See docs/formats/caseload-extract.md for the columns and the values they take."

SCHEMA = pa.schema(
    [
        ("crn", pa.string()),
        ("setting", pa.string()),
        ("sentence_type", pa.string()),
        ("gender", pa.string()),
        ("ethnicity", pa.string()),
        ("date_of_birth", pa.date32()),
        ("age", pa.int16()),
        ("assessment_date", pa.date32()),
        *((column, pa.bool_()) for column in NEED_COLUMNS),
        *((column, pa.bool_()) for column in REGISTRATION_COLUMNS),
        ("tier", pa.string()),
    ]
)


@dataclass(frozen=True)
class Caseload:
    """A validated caseload: one row per person, queryable through Ibis on DuckDB.

    Columns of `table` (see SCHEMA): crn; setting (community | custody | omic);
    sentence_type; gender; ethnicity (one of the eight groups of seed 000);
    date_of_birth (null when the extract gave an age instead); age (whole years on
    `as_of`); assessment_date (null: no OASys assessment); need_<code> (null when not
    assessed); reg_<code>; tier (null: not tiered).
    """

    table: ir.Table
    backend: Any  # the Ibis DuckDB backend holding `table`
    source: str  # the file name, as messages and reports show it
    as_of: date
    as_of_given: bool  # False: taken from the latest assessment date in the file
    people: int


def read_caseload(
    path: str | Path, *, as_of: date | None = None, name: str | None = None
) -> Caseload:
    """Read and validate a caseload extract (.csv or .xlsx); InputError names every problem."""
    path = Path(path)
    shown = name or path.name
    if not path.exists():
        raise InputError(Problem(shown, None, None, f"there is no file at '{path}'."))
    if path.is_dir():
        raise InputError(Problem(shown, None, None, "is a folder, not a caseload extract."))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw, line_of = _read_csv(path, shown)
    elif suffix == ".xlsx":
        raw, line_of = _read_xlsx(path, shown)
    else:
        raise InputError(
            Problem(shown, None, None, f"is a '{suffix or 'no extension'}' file."),
            "Give the caseload extract as a .csv or .xlsx file.",
        )
    table, as_of, as_of_given = _validate(raw, shown, as_of, line_of)
    return caseload_from_table(table, source=shown, as_of=as_of, as_of_given=as_of_given)


def caseload_from_table(
    table: pa.Table, *, source: str, as_of: date, as_of_given: bool = True
) -> Caseload:
    """A caseload from rows already validated (e.g. stored by the web app), in SCHEMA's shape."""
    table = table.select([f.name for f in SCHEMA]).cast(SCHEMA)
    con = duckdb.connect()
    con.register("caseload", table)
    backend = ibis.duckdb.from_connection(con)
    return Caseload(
        table=backend.table("caseload"),
        backend=backend,
        source=source,
        as_of=as_of,
        as_of_given=as_of_given,
        people=table.num_rows,
    )


# --- Reading the text -----------------------------------------------------------------


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


def _read_csv(path: Path, shown: str) -> tuple[pa.Table, Callable[[int], int]]:
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


def _read_xlsx(path: Path, shown: str) -> tuple[pa.Table, Callable[[int], int]]:
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


# --- Interpreting values --------------------------------------------------------------


class _Bad:
    """Marks a value that is not one of the codes a column accepts."""


BAD = _Bad()


def _parse_date(text: str) -> date | _Bad | None:
    if not text.strip():
        return None
    parsed = parse_date(text)
    return BAD if parsed is None else parsed


def _parse_age(text: str) -> int | _Bad | None:
    text = text.strip()
    if not text:
        return None
    return int(text) if re.fullmatch(r"[0-9]{1,3}", text) else BAD


def _lookup(mapping: dict[str, Any]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        key = rules.code_key(text)
        if not key:
            return None
        return mapping.get(key, BAD)

    return parse


def _pattern(pattern: str) -> Callable[[str], str | _Bad | None]:
    compiled = re.compile(pattern)

    def parse(text: str) -> str | _Bad | None:
        code = text.strip().upper()
        if not code:
            return None
        return code if compiled.match(code) else BAD

    return parse


def _need(text: str) -> bool | _Bad | None:
    return rules.NEED_VALUES.get(rules.code_key(text), BAD)


@dataclass
class _Column:
    """One column of the extract: its distinct values, and each row's position among them."""

    name: str
    distinct: list[str]
    positions: list[pa.Array]  # per chunk of the column, indices into `distinct`

    @classmethod
    def of(cls, table: pa.Table, name: str) -> _Column:
        values = table[name]
        if not pa.types.is_dictionary(values.type):
            values = pc.dictionary_encode(values)
        chunks = values.unify_dictionaries().chunks
        return cls(name, chunks[0].dictionary.to_pylist(), [chunk.indices for chunk in chunks])

    def spread(self, values: list[Any], type_: pa.DataType) -> pa.ChunkedArray:
        """Per-row values from one value per distinct text."""
        lookup = pa.array(values, type_)
        return pa.chunked_array([lookup.take(indices) for indices in self.positions], type_)

    def mask(self, test: Callable[[str], bool]) -> pa.ChunkedArray:
        return self.spread([bool(test(v)) for v in self.distinct], pa.bool_())


@dataclass
class _Problems:
    """Problems found, by the row's position in the file; turned into row numbers at the end."""

    found: list[tuple[int, int, str, str]] = field(default_factory=list)

    def add(
        self, mask: pa.ChunkedArray | pa.Array, column: str, message: Callable[[int], str]
    ) -> None:
        if not pc.any(mask).as_py():
            return
        order = ALL_COLUMNS.index(column)
        for index in pc.indices_nonzero(mask)[:MAX_PROBLEMS].to_pylist():
            self.found.append((index, order, column, message(index)))

    def raise_if_any(self, shown: str, line_of: Callable[[int], int], extra: list[Problem]) -> None:
        if not self.found and not extra:
            return
        self.found.sort()
        rows = [
            Problem(shown, line_of(index), column, message)
            for index, _, column, message in self.found[:MAX_PROBLEMS]
        ]
        raise InputError(extra + rows)


def _value(raw: pa.Table, column: str) -> Callable[[int], str]:
    return lambda index: quoted(str(raw[column][index].as_py()).strip())


@dataclass(frozen=True)
class _Code:
    """How one column's values are read, and what to say when one is wrong or blank."""

    parse: Callable[[str], Any]  # text -> value, None for blank, BAD for unknown
    type_: pa.DataType
    unknown: str  # {value} is replaced by the value as written
    empty: str | None = None  # None: a blank is allowed


_NEED = _Code(_need, pa.bool_(), "'{value}' is not a need value; use yes, no or not assessed.")
_REGISTRATION = _Code(
    _lookup(rules.REGISTRATION_VALUES),
    pa.bool_(),
    "'{value}' is not a registration value; use yes or no.",
    "is empty; give yes or no.",
)
_DATE = _Code(_parse_date, pa.date32(), "'{value}' is not a date. " + DATE_HINT)
CODES: dict[str, _Code] = {
    "setting": _Code(
        _lookup(rules.SETTING_LOOKUP),
        pa.string(),
        "'{value}' is not a setting; use community, custody (8 months or less to serve) "
        "or omic (custody with more than 8 months to serve).",
        "is empty; give community, custody or omic.",
    ),
    "sentence_type": _Code(
        _lookup(rules.SENTENCE_TYPE_LOOKUP),
        pa.string(),
        "'{value}' is not an order or sentence type; use one of: "
        + ", ".join(item.code for item in rules.SENTENCE_TYPES)
        + ".",
        "is empty; give the order or sentence the person is serving.",
    ),
    "gender": _Code(
        _lookup(rules.GENDER_LOOKUP),
        pa.string(),
        "'{value}' is not a gender; use Male, Female, Other or Not stated (or M, F, X, U).",
        "is empty; write 'Not stated' when it is not recorded.",
    ),
    "ethnicity": _Code(
        _lookup(rules.ETHNICITY_LOOKUP),
        pa.string(),
        "'{value}' is not a recognised ethnicity; use one of the eight groups ("
        + ", ".join(rules.ETHNIC_GROUPS)
        + ") or an ONS 2021 category.",
        "is empty; write 'No Data' when it is not recorded.",
    ),
    "date_of_birth": _DATE,
    "age": _Code(_parse_age, pa.int16(), "'{value}' is not a whole number of years."),
    "assessment_date": _DATE,
    **dict.fromkeys(NEED_COLUMNS, _NEED),
    **dict.fromkeys(REGISTRATION_COLUMNS, _REGISTRATION),
    "tier": _Code(
        _pattern(rules.TIER_PATTERN),
        pa.string(),
        "'{value}' is not a tier; use A0 to D3, or leave it blank when the person has not "
        "been tiered.",
    ),
}


@dataclass(frozen=True)
class _Read:
    """A column read through its code: a value per row, and the value of each distinct text."""

    column: _Column
    values: pa.ChunkedArray
    parsed: list[Any]

    def where(self, test: Callable[[Any], bool]) -> pa.ChunkedArray:
        """Rows whose parsed value passes `test`."""
        return self.column.spread([bool(test(p)) for p in self.parsed], pa.bool_())


def _read_column(raw: pa.Table, column: _Column, problems: _Problems) -> _Read:
    """Interpret a coded column; report unknown codes, and blanks where they are not allowed."""
    code = CODES[column.name]
    parsed = [code.parse(v) for v in column.distinct]
    if any(p is BAD for p in parsed):
        bad = column.spread([p is BAD for p in parsed], pa.bool_())
        value = _value(raw, column.name)
        problems.add(bad, column.name, lambda i: code.unknown.replace("{value}", value(i)))
    if code.empty is not None and any(p is None for p in parsed):
        empty = code.empty
        blank = column.spread([p is None for p in parsed], pa.bool_())
        problems.add(blank, column.name, lambda i: empty)
    values = column.spread([None if p is BAD else p for p in parsed], code.type_)
    return _Read(column, values, parsed)


def _columns(raw: pa.Table) -> dict[str, _Column]:
    # The CRN is nearly unique per row, so it is checked row by row instead. Arrow
    # releases the GIL, so the columns are indexed in parallel.
    names = [name for name in raw.column_names if name != "crn"]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return dict(zip(names, pool.map(lambda name: _Column.of(raw, name), names), strict=True))


def _without_blank_rows(
    raw: pa.Table, line_of: Callable[[int], int]
) -> tuple[pa.Table, Callable[[int], int]]:
    """Rows left blank, often at the end of a spreadsheet's export, are not people."""
    blank_row = pc.equal(pc.utf8_trim_whitespace(raw["crn"]), "")
    if not pc.any(blank_row).as_py():
        return raw, line_of  # every row has a CRN, so none is blank
    for name in raw.column_names:
        text = raw[name].cast(pa.string())
        blank_row = pc.and_(blank_row, pc.equal(pc.utf8_trim_whitespace(text), ""))
    if not pc.any(blank_row).as_py():
        return raw, line_of
    kept = pc.indices_nonzero(pc.invert(blank_row))
    return raw.filter(pc.invert(blank_row)), lambda index: line_of(kept[index].as_py())


def _validate(
    raw: pa.Table, shown: str, as_of: date | None, line_of: Callable[[int], int]
) -> tuple[pa.Table, date, bool]:
    if raw.num_rows:
        raw, line_of = _without_blank_rows(raw, line_of)
    if raw.num_rows == 0:
        raise InputError(Problem(shown, None, None, "has a header row but no people."))
    problems = _Problems()
    extra: list[Problem] = []
    columns = _columns(raw)
    # Each column is read on its own, so they are read in parallel; the checks across
    # columns follow.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        crn = pool.submit(_crns, raw, problems, line_of)
        names = list(columns)
        reads = dict(
            zip(
                names,
                pool.map(lambda n: _read_column(raw, columns[n], problems), names),
                strict=True,
            )
        )
        typed: dict[str, pa.ChunkedArray] = {"crn": crn.result()}
    typed.update({name: read.values for name, read in reads.items()})
    _sentence_matches_setting(raw, typed, problems)

    assessment = typed["assessment_date"]
    today = date.today()
    value = _value(raw, "assessment_date")
    problems.add(
        pc.fill_null(pc.greater(assessment, pa.scalar(today, pa.date32())), False),
        "assessment_date",
        lambda i: f"'{value(i)}' is in the future (today is {today.isoformat()}); check the date.",
    )
    as_of_given = as_of is not None
    if as_of is None:
        as_of = pc.max(assessment).as_py()
        if as_of is None:
            extra.append(
                Problem(
                    shown,
                    None,
                    "assessment_date",
                    "has no assessment dates to take the as-of date from; give the date the "
                    "extract was taken (--as-of YYYY-MM-DD).",
                )
            )
    if as_of is not None:
        after = pc.fill_null(pc.greater(assessment, pa.scalar(as_of, pa.date32())), False)
        if as_of > today:  # already reported as in the future
            after = pc.and_(after, pc.less_equal(assessment, pa.scalar(today, pa.date32())))
        problems.add(
            after,
            "assessment_date",
            lambda i: f"'{value(i)}' is after the as-of date, {as_of.isoformat()}.",
        )
    typed["date_of_birth"], typed["age"] = _ages(raw, reads, problems, as_of)
    _needs_match_assessment(raw, reads, problems)

    problems.raise_if_any(shown, line_of, extra)
    assert as_of is not None  # otherwise `extra` had a problem
    return pa.table([typed[f.name] for f in SCHEMA], schema=SCHEMA), as_of, as_of_given


def _crns(raw: pa.Table, problems: _Problems, line_of: Callable[[int], int]) -> pa.ChunkedArray:
    """The CRNs, upper case; blank, malformed and repeated ones reported."""
    text = raw["crn"]
    valid = pc.match_substring_regex(text, rules.CRN_PATTERN)
    if not pc.all(valid).as_py():
        # Only tidy (spaces, lower case) when some CRN needs it: it copies every value.
        text = pc.utf8_upper(pc.utf8_trim_whitespace(text))
        valid = pc.match_substring_regex(text, rules.CRN_PATTERN)
    blank = pc.equal(text, "")
    problems.add(blank, "crn", lambda i: "is empty; every row needs the person's CRN.")
    value = _value(raw, "crn")
    problems.add(
        pc.and_(pc.invert(blank), pc.invert(valid)),
        "crn",
        lambda i: f"'{value(i)}' is not a CRN: a CRN is a letter and six digits, such as X123456.",
    )
    if _may_repeat(text, valid):
        _duplicates(text, valid, problems, line_of)
    return text


def _may_repeat(crn: pa.ChunkedArray, valid: pa.ChunkedArray) -> bool:
    """Whether any CRN may appear twice (a quick test; `_duplicates` finds which)."""
    if not pc.all(valid).as_py():
        return pc.count_distinct(crn).as_py() < len(crn)
    # Every CRN is a letter and six digits, so each is a number below 26 million: sorting
    # a million numbers is several times quicker than hashing a million strings.
    letter = pc.index_in(pc.utf8_slice_codeunits(crn, 0, 1), value_set=_LETTERS)
    digits = pc.cast(pc.utf8_slice_codeunits(crn, 1, 7), pa.int32())
    keys = np.sort(pc.add(pc.multiply(pc.cast(letter, pa.int32()), 1_000_000), digits))
    return bool((keys[1:] == keys[:-1]).any())


def _duplicates(
    crn: pa.ChunkedArray, valid: pa.ChunkedArray, problems: _Problems, line_of: Callable[[int], int]
) -> None:
    first: dict[str, int] = {}
    rows: list[bool] = []
    for index, (code, ok) in enumerate(zip(crn.to_pylist(), valid.to_pylist(), strict=True)):
        rows.append(bool(ok) and code in first)
        if ok and code not in first:
            first[code] = index
    problems.add(
        pa.array(rows),
        "crn",
        lambda i: (
            f"{crn[i].as_py()} is also on row {line_of(first[crn[i].as_py()])}; "
            "list each person once."
        ),
    )


def _sentence_matches_setting(
    raw: pa.Table, typed: dict[str, pa.ChunkedArray], problems: _Problems
) -> None:
    custodial = pa.array(sorted(rules.CUSTODIAL_SENTENCES))
    is_custodial = pc.is_in(typed["sentence_type"], value_set=custodial)
    known = pc.is_valid(typed["sentence_type"])
    in_community = pc.fill_null(pc.equal(typed["setting"], rules.COMMUNITY), False)
    in_custody = pc.fill_null(
        pc.is_in(typed["setting"], value_set=pa.array([rules.CUSTODY, rules.OMIC])), False
    )
    value = _value(raw, "sentence_type")
    problems.add(
        pc.and_(in_community, is_custodial),
        "sentence_type",
        lambda i: (
            f"'{value(i)}' is served in custody, but the setting is community: someone "
            "released from a custodial sentence is on licence or post-sentence supervision."
        ),
    )
    problems.add(
        pc.and_(pc.and_(in_custody, known), pc.invert(is_custodial)),
        "sentence_type",
        lambda i: f"'{value(i)}' is not a custodial sentence, but the setting is custody.",
    )


def _needs_match_assessment(raw: pa.Table, reads: dict[str, _Read], problems: _Problems) -> None:
    """Needs come from an assessment: yes or no with one, not assessed without."""
    assessment = reads["assessment_date"]
    no_date = assessment.where(lambda p: p is None)
    dated = pc.is_valid(assessment.values)
    for name in NEED_COLUMNS:
        need = reads[name]
        value = _value(raw, name)
        problems.add(
            pc.and_(no_date, pc.is_valid(need.values)),
            name,
            lambda i, value=value: (
                f"is '{value(i)}' but the row has no assessment_date: needs come from an OASys "
                "assessment, so a person without one has every need 'not assessed'."
            ),
        )
        problems.add(
            pc.and_(dated, need.where(lambda p: p is None)),
            name,
            lambda i: (
                "is not assessed, but the row has an assessment_date: an assessment "
                "records every need as yes or no."
            ),
        )


def _ages(
    raw: pa.Table, reads: dict[str, _Read], problems: _Problems, as_of: date | None
) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """Dates of birth and ages on the as-of date, from date_of_birth or, failing that, age."""
    rows = raw.num_rows
    limits = f"{rules.MIN_AGE} to {rules.MAX_AGE}"
    no_dates = pa.chunked_array([pa.nulls(rows, pa.date32())])
    no_ages = pa.chunked_array([pa.nulls(rows, pa.int16())])
    dob, dob_age, dob_blank = no_dates, no_ages, pc.is_null(no_dates)
    if "date_of_birth" in reads:
        read = reads["date_of_birth"]
        dob, dob_blank = read.values, read.where(lambda p: p is None)
        if as_of is not None:
            born = [p if isinstance(p, date) else None for p in read.parsed]
            ages = [rules.age_at(b, as_of) if b is not None and b <= as_of else None for b in born]
            value = _value(raw, "date_of_birth")
            problems.add(
                read.column.spread([b is not None and b > as_of for b in born], pa.bool_()),
                "date_of_birth",
                lambda i: (
                    f"'{value(i)}' is after the as-of date, {as_of.isoformat()}: a date "
                    "of birth cannot be in the future."
                ),
            )
            problems.add(
                read.column.spread(
                    [a is not None and not rules.MIN_AGE <= a <= rules.MAX_AGE for a in ages],
                    pa.bool_(),
                ),
                "date_of_birth",
                lambda i: (
                    f"'{value(i)}' gives an age outside {limits} on {as_of.isoformat()}, "
                    "which is not possible on a probation caseload."
                ),
            )
            dob_age = read.column.spread(ages, pa.int16())
    given = no_ages
    if "age" in reads:
        read = reads["age"]
        given = read.values
        value = _value(raw, "age")
        out_of_range = read.where(
            lambda p: isinstance(p, int) and not rules.MIN_AGE <= p <= rules.MAX_AGE
        )
        problems.add(
            pc.and_(dob_blank, out_of_range),
            "age",
            lambda i: (
                f"'{value(i)}' is outside {limits}, which is not possible on a probation caseload."
            ),
        )
        problems.add(
            pc.and_(dob_blank, read.where(lambda p: p is None)),
            "date_of_birth" if "date_of_birth" in reads else "age",
            lambda i: "is empty; every row needs a date of birth or an age.",
        )
    else:
        problems.add(
            dob_blank, "date_of_birth", lambda i: "is empty; every row needs a date of birth."
        )
    # The date of birth wins: an age in the extract was true on the day it was taken.
    return dob, pc.if_else(pc.is_valid(dob), dob_age, given)

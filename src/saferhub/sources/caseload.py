"""The probation caseload extract (nDelius + OASys), CSV or XLSX → a validated caseload table.

One row per person on the caseload. The columns, the values each accepts and every
error a user can get are in docs/formats/caseload-extract.md; the codes themselves are
in `saferhub.rules.needs`.

The reader is all or nothing: it checks every row and column, reports every problem it
finds (up to 200) naming the file, the row as a spreadsheet shows it and the column,
and imports nothing unless the whole file is right. Unknown codes are reported, never
dropped.

DuckDB does the reading and checking, so a national extract of a million people is
validated in about a second. The rows are numbered as DuckDB reads them; only when
there is a problem to report is the file scanned again to turn that position into the
line a spreadsheet shows, so a quoted value spanning lines or a blank line never puts
a message on the wrong row.

The as-of date, from which ages are worked out, defaults to the latest OASys assessment
date in the file: the extract carries no date of its own, and the latest assessment is
the nearest evidence of when it was taken.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa

from saferhub.errors import InputError, Problem
from saferhub.rules import needs as rules

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
ALL_COLUMNS: tuple[str, ...] = (*IDENTITY_COLUMNS, *AGE_COLUMNS, *REQUIRED_COLUMNS[5:])

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
MAX_PROBLEMS = 200
FORMAT_DOC = "See docs/formats/caseload-extract.md for the columns and the values they take."


@dataclass(frozen=True)
class Caseload:
    """A validated caseload: one row per person, held in its own in-memory DuckDB database.

    Columns of `table`: crn, setting (community | custody | omic), sentence_type, gender,
    ethnicity (one of the eight groups of seed 000), date_of_birth (may be null when the
    extract gave an age), age (whole years on `as_of`), assessment_date (null: no OASys
    assessment), need_<code> (true/false; null when not assessed), reg_<code> (true/false)
    and tier (null: not tiered).
    """

    table: ir.Table
    backend: ibis.BaseBackend
    source: str  # the file name, as messages and reports show it
    as_of: date
    as_of_given: bool  # False: taken from the latest assessment date in the file
    people: int


def read_caseload(path: str | Path, *, as_of: date | None = None, name: str | None = None) -> Caseload:
    """Read and validate a caseload extract (.csv or .xlsx); raise InputError naming every problem."""
    path = Path(path)
    shown = name or path.name
    if not path.exists():
        raise InputError(Problem(shown, None, None, f"there is no file at '{path}'."))
    if path.is_dir():
        raise InputError(Problem(shown, None, None, "is a folder, not a caseload extract."))
    suffix = path.suffix.lower()
    con = duckdb.connect()
    if suffix == ".csv":
        line_of = _load_csv(con, path, shown)
    elif suffix == ".xlsx":
        line_of = _load_xlsx(con, path, shown)
    else:
        raise InputError(
            Problem(shown, None, None, f"is a '{suffix or 'no extension'}' file."),
            "Give the caseload extract as a .csv or .xlsx file.",
        )
    return _validate(con, shown, as_of, line_of)


# --- Loading the raw text -------------------------------------------------------------


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


def _load_csv(con: duckdb.DuckDBPyConnection, path: Path, shown: str) -> Callable[[int], int]:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        header = next(csv.reader(handle), None)
    if not header or not any(h.strip() for h in header):
        raise InputError(Problem(shown, None, None, "is empty: it has no header row."))
    names, problems = _header_problems(header, shown)
    if problems:
        raise InputError(problems)
    for encoding in ("utf-8", "latin-1"):
        try:
            con.execute(
                "CREATE TABLE raw AS SELECT * FROM read_csv($path, header = true, "
                "all_varchar = true, delim = ',', quote = '\"', escape = '\"', "
                "strict_mode = true, null_padding = false, names = $names, encoding = $enc)",
                {"path": str(path), "names": names, "enc": encoding},
            )
            break
        except duckdb.Error as exc:
            if encoding == "utf-8" and "unicode" in str(exc).lower():
                continue  # Excel on Windows saves "CSV" in a single-byte code page
            raise InputError(_csv_layout_problem(path, shown, len(names), exc)) from None
    return _csv_line_numbers(path)


def _csv_records(path: Path) -> Iterable[tuple[int, list[str]]]:
    """Each record after the header with the line it starts on (the header is line 1)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader, None)
    previous_end = reader.line_num
    for values in reader:
        start, previous_end = previous_end + 1, reader.line_num
        if values:  # DuckDB skips empty lines too
            yield start, values


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
    except csv.Error as csv_exc:
        return Problem(shown, None, None, f"is not valid CSV ({csv_exc}).")
    first_line = str(exc).strip().splitlines()[0]
    return Problem(shown, None, None, f"cannot be read as CSV ({first_line}).")


def _csv_line_numbers(path: Path) -> Callable[[int], int]:
    cache: list[int] = []

    def line_of(index: int) -> int:
        if not cache:
            cache.extend(line for line, _ in _csv_records(path))
        return cache[index] if index < len(cache) else index + 2

    return line_of


def _cell_text(value: object) -> str | None:
    # Excel hands over typed cells; the checks work on text, as for CSV.
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def _load_xlsx(con: duckdb.DuckDBPyConnection, path: Path, shown: str) -> Callable[[int], int]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or mislabelled file
        raise InputError(
            Problem(shown, None, None, f"cannot be opened as an Excel workbook ({exc}).")
        ) from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if not header or not any(_cell_text(h) for h in header):
            raise InputError(Problem(shown, None, None, "the first sheet has no header row."))
        names, problems = _header_problems([_cell_text(h) or "" for h in header], shown)
        if problems:
            raise InputError(problems)
        columns: list[list[str | None]] = [[] for _ in names]
        lines: list[int] = []
        for line, values in enumerate(rows, start=2):
            texts = [_cell_text(v) for v in values[: len(names)]]
            extra = [_cell_text(v) for v in values[len(names) :]]
            if any(extra):
                raise InputError(Problem(shown, line, None, "has values beyond the last column."))
            if not any(texts):
                continue  # empty rows, often left at the end of a sheet
            texts += [None] * (len(names) - len(texts))
            for column, text in zip(columns, texts, strict=True):
                column.append(text)
            lines.append(line)
    finally:
        workbook.close()
    arrow = pa.table({n: pa.array(c, pa.string()) for n, c in zip(names, columns, strict=True)})
    con.register("raw_arrow", arrow)
    con.execute("CREATE TABLE raw AS SELECT * FROM raw_arrow")
    con.unregister("raw_arrow")
    return lambda index: lines[index]


# --- Checking and typing --------------------------------------------------------------


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _blank(column: str) -> str:
    return f"coalesce(trim({_quote(column)}), '') = ''"


def _key(column: str) -> str:
    """The SQL twin of rules.needs._key: lower case, single spaces, trimmed."""
    return f"regexp_replace(lower(trim({_quote(column)})), '\\s+', ' ', 'g')"


def _lookup(column: str, mapping: dict[str, object], sql_type: str) -> str:
    whens = " ".join(
        f"WHEN {_literal(key)} THEN CAST({_literal(str(value))} AS {sql_type})"
        for key, value in mapping.items()
    )
    return f"CASE {_key(column)} {whens} END"


def _flag(column: str, mapping: dict[str, bool | None]) -> str:
    trues = ", ".join(_literal(k) for k, v in mapping.items() if v is True)
    falses = ", ".join(_literal(k) for k, v in mapping.items() if v is False)
    key = f"lower(trim({_quote(column)}))"
    return f"CASE WHEN {key} IN ({trues}) THEN true WHEN {key} IN ({falses}) THEN false END"


def _date(column: str) -> str:
    formats = ", ".join(_literal(f) for f in DATE_FORMATS)
    return f"CAST(try_strptime(trim({_quote(column)}), [{formats}]) AS DATE)"


def _age_on(dob: str, as_of: date) -> str:
    # Whole years, a birthday counting from the day itself (rules.needs.age_at); DuckDB's
    # datesub would make someone born on 29 February a year older on 28 February.
    return (
        f"({as_of.year} - year({dob}) - CASE WHEN month({dob}) > {as_of.month} OR "
        f"(month({dob}) = {as_of.month} AND day({dob}) > {as_of.day}) THEN 1 ELSE 0 END)"
    )


@dataclass(frozen=True)
class _Check:
    column: str  # the column the message names
    failing: str  # SQL: true on a row that is wrong
    message: str  # {value} is replaced by the value as written


def _typed_columns(present: set[str], as_of: date | None) -> dict[str, str]:
    """SQL for each typed column, from the raw text columns."""
    typed: dict[str, str] = {
        "crn": f"upper(trim({_quote('crn')}))",
        "setting": _lookup("setting", rules.SETTING_LOOKUP, "VARCHAR"),
        "sentence_type": _lookup("sentence_type", rules.SENTENCE_TYPE_LOOKUP, "VARCHAR"),
        "gender": _lookup("gender", rules.GENDER_LOOKUP, "VARCHAR"),
        "ethnicity": _lookup("ethnicity", rules.ETHNICITY_LOOKUP, "VARCHAR"),
        "date_of_birth": _date("date_of_birth") if "date_of_birth" in present else "NULL::DATE",
        "given_age": (
            f"CASE WHEN regexp_full_match(trim({_quote('age')}), '[0-9]{{1,3}}') "
            f"THEN CAST(trim({_quote('age')}) AS INTEGER) END"
            if "age" in present
            else "NULL::INTEGER"
        ),
        "assessment_date": _date("assessment_date"),
    }
    for column in NEED_COLUMNS:
        typed[column] = _flag(column, rules.NEED_VALUES)
    for column in REGISTRATION_COLUMNS:
        typed[column] = _flag(column, rules.REGISTRATION_VALUES)
    typed["tier"] = f"nullif(upper(trim({_quote('tier')})), '')"
    return typed


def _checks(present: set[str], as_of: date) -> list[_Check]:
    eight = ", ".join(rules.ETHNIC_GROUPS)
    checks = [
        _Check("crn", _blank("crn"), "is empty; every row needs the person's CRN."),
        _Check(
            "crn",
            f"NOT {_blank('crn')} AND NOT regexp_full_match(t_crn, '{rules.CRN_PATTERN[1:-1]}')",
            "'{value}' is not a CRN: a CRN is a letter and six digits, such as X123456.",
        ),
        _Check("setting", _blank("setting"), "is empty; give community, custody or omic."),
        _Check(
            "setting",
            f"NOT {_blank('setting')} AND t_setting IS NULL",
            "'{value}' is not a setting; use community, custody (8 months or less to serve) "
            "or omic (custody with more than 8 months to serve).",
        ),
        _Check("sentence_type", _blank("sentence_type"), "is empty; give the order or sentence."),
        _Check(
            "sentence_type",
            f"NOT {_blank('sentence_type')} AND t_sentence_type IS NULL",
            "'{value}' is not an order or sentence type; use one of: "
            + ", ".join(item.code for item in rules.SENTENCE_TYPES)
            + ".",
        ),
        _Check(
            "sentence_type",
            "t_setting = 'community' AND t_sentence_type IN ("
            + ", ".join(_literal(c) for c in sorted(rules.CUSTODIAL_SENTENCES))
            + ")",
            "'{value}' is served in custody, but the setting is community: someone released "
            "from a custodial sentence is on licence or post-sentence supervision.",
        ),
        _Check(
            "sentence_type",
            "t_setting IN ('custody', 'omic') AND t_sentence_type NOT IN ("
            + ", ".join(_literal(c) for c in sorted(rules.CUSTODIAL_SENTENCES))
            + ")",
            "'{value}' is not a custodial sentence, but the setting is custody.",
        ),
        _Check("gender", _blank("gender"), "is empty; write 'Not stated' when it is not known."),
        _Check(
            "gender",
            f"NOT {_blank('gender')} AND t_gender IS NULL",
            "'{value}' is not a gender code; use Male, Female, Other or Not stated "
            "(or M, F, X, U).",
        ),
        _Check("ethnicity", _blank("ethnicity"), "is empty; write 'No Data' when it is not recorded."),
        _Check(
            "ethnicity",
            f"NOT {_blank('ethnicity')} AND t_ethnicity IS NULL",
            f"'{{value}}' is not a recognised ethnicity; use one of the eight groups ({eight}) "
            "or an ONS 2021 category.",
        ),
        _Check(
            "assessment_date",
            f"NOT {_blank('assessment_date')} AND t_assessment_date IS NULL",
            "'{value}' is not a date; write dates as YYYY-MM-DD or DD/MM/YYYY.",
        ),
        _Check(
            "assessment_date",
            f"t_assessment_date > DATE '{as_of.isoformat()}'",
            f"'{{value}}' is after the as-of date, {as_of.isoformat()}.",
        ),
    ]
    age_source = "date_of_birth" if "date_of_birth" in present else "age"
    if "date_of_birth" in present:
        checks += [
            _Check(
                "date_of_birth",
                f"NOT {_blank('date_of_birth')} AND t_date_of_birth IS NULL",
                "'{value}' is not a date; write dates as YYYY-MM-DD or DD/MM/YYYY.",
            ),
            _Check(
                "date_of_birth",
                f"t_date_of_birth > DATE '{as_of.isoformat()}'",
                f"'{{value}}' is after the as-of date, {as_of.isoformat()}: "
                "a date of birth cannot be in the future.",
            ),
            _Check(
                "date_of_birth",
                f"t_date_of_birth <= DATE '{as_of.isoformat()}' AND t_age NOT BETWEEN "
                f"{rules.MIN_AGE} AND {rules.MAX_AGE}",
                f"'{{value}}' gives an age outside {rules.MIN_AGE} to {rules.MAX_AGE} on "
                f"{as_of.isoformat()}, which is not possible on a probation caseload.",
            ),
        ]
    if "age" in present:
        dob_blank = _blank("date_of_birth") if "date_of_birth" in present else "true"
        checks += [
            _Check(
                "age",
                f"NOT {_blank('age')} AND t_given_age IS NULL",
                "'{value}' is not a whole number of years.",
            ),
            _Check(
                "age",
                f"{dob_blank} AND t_given_age NOT BETWEEN {rules.MIN_AGE} AND {rules.MAX_AGE}",
                f"'{{value}}' is outside {rules.MIN_AGE} to {rules.MAX_AGE}, which is not "
                "possible on a probation caseload.",
            ),
        ]
    both_blank = " AND ".join(_blank(c) for c in AGE_COLUMNS if c in present)
    checks.append(
        _Check(age_source, both_blank, "is empty; every row needs a date of birth or an age.")
    )
    for column in NEED_COLUMNS:
        known = ", ".join(_literal(k) for k in rules.NEED_VALUES)
        checks += [
            _Check(
                column,
                f"NOT {_blank(column)} AND lower(trim({_quote(column)})) NOT IN ({known})",
                "'{value}' is not a need value; use yes, no or not assessed.",
            ),
            _Check(
                column,
                f"t_assessment_date IS NULL AND {_blank('assessment_date')} "
                f"AND t_{column} IS NOT NULL",
                "is '{value}' but the row has no assessment_date: needs come from an OASys "
                "assessment, so a person without one has every need 'not assessed'.",
            ),
            _Check(
                column,
                f"t_assessment_date IS NOT NULL AND t_{column} IS NULL "
                f"AND lower(trim(coalesce({_quote(column)}, ''))) IN ('', 'not assessed')",
                "is not assessed, but the row has an assessment_date: an assessment records "
                "every need as yes or no.",
            ),
        ]
    for column in REGISTRATION_COLUMNS:
        checks += [
            _Check(column, _blank(column), "is empty; give yes or no."),
            _Check(
                column,
                f"NOT {_blank(column)} AND t_{column} IS NULL",
                "'{value}' is not a registration value; use yes or no.",
            ),
        ]
    checks.append(
        _Check(
            "tier",
            f"t_tier IS NOT NULL AND NOT regexp_full_match(t_tier, '{rules.TIER_PATTERN[1:-1]}')",
            "'{value}' is not a tier; use A0 to D3, or leave it blank when the person has "
            "not been tiered.",
        )
    )
    return checks


def _present_columns(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute("SELECT name FROM pragma_table_info('raw')").fetchall()}


def _checked_view(con: duckdb.DuckDBPyConnection, present: set[str], as_of: date) -> None:
    typed = _typed_columns(present, as_of)
    typed_sql = ", ".join(f"{sql} AS t_{name}" for name, sql in typed.items())
    dob_age = (
        f"CASE WHEN t_date_of_birth IS NOT NULL THEN {_age_on('t_date_of_birth', as_of)} "
        "ELSE t_given_age END"
    )
    not_blank = " OR ".join(f"NOT {_blank(c)}" for c in sorted(present))
    con.execute(
        "CREATE OR REPLACE TEMP VIEW typed AS "
        f"SELECT rowid AS _index, *, {typed_sql} FROM raw WHERE {not_blank}"
    )
    con.execute(f"CREATE OR REPLACE TEMP VIEW checked AS SELECT *, {dob_age} AS t_age FROM typed")


def _validate(
    con: duckdb.DuckDBPyConnection,
    shown: str,
    as_of: date | None,
    line_of: Callable[[int], int],
) -> Caseload:
    present = _present_columns(con)
    _checked_view(con, present, as_of or date.max)
    people = con.execute("SELECT count(*) FROM checked").fetchone()[0]
    if people == 0:
        raise InputError(Problem(shown, None, None, "has a header row but no people."))
    as_of_given = as_of is not None
    if as_of is None:
        as_of = con.execute("SELECT max(t_assessment_date) FROM checked").fetchone()[0]
        if as_of is None:
            raise InputError(
                Problem(
                    shown,
                    None,
                    "assessment_date",
                    "has no assessment dates to take the as-of date from.",
                ),
                "Give the date the extract was taken (--as-of YYYY-MM-DD).",
            )
        _checked_view(con, present, as_of)

    problems = _find_problems(con, shown, present, as_of, line_of)
    if problems:
        raise InputError(problems)

    columns = ["crn", "setting", "sentence_type", "gender", "ethnicity", "date_of_birth"]
    selected = ", ".join(f"t_{c} AS {c}" for c in columns)
    flags = ", ".join(f"t_{c} AS {c}" for c in (*NEED_COLUMNS, *REGISTRATION_COLUMNS))
    con.execute(
        f"CREATE TABLE caseload AS SELECT {selected}, t_age AS age, "
        f"t_assessment_date AS assessment_date, {flags}, t_tier AS tier "
        "FROM checked ORDER BY _index"
    )
    con.execute("DROP VIEW checked")
    con.execute("DROP VIEW typed")
    con.execute("DROP TABLE raw")
    backend = ibis.duckdb.from_connection(con)
    return Caseload(
        table=backend.table("caseload"),
        backend=backend,
        source=shown,
        as_of=as_of,
        as_of_given=as_of_given,
        people=people,
    )


def _find_problems(
    con: duckdb.DuckDBPyConnection,
    shown: str,
    present: set[str],
    as_of: date,
    line_of: Callable[[int], int],
) -> list[Problem]:
    checks = _checks(present, as_of)
    counts = con.execute(
        "SELECT " + ", ".join(f"count_if({c.failing})" for c in checks) + " FROM checked"
    ).fetchone()
    duplicates = con.execute(
        "SELECT t_crn, list(_index ORDER BY _index) FROM checked WHERE NOT "
        f"{_blank('crn')} GROUP BY t_crn HAVING count(*) > 1 ORDER BY min(_index) "
        f"LIMIT {MAX_PROBLEMS}"
    ).fetchall()
    found: list[tuple[int, int, str, str]] = []  # (index, column order, column, message)
    order = {column: position for position, column in enumerate(ALL_COLUMNS)}
    for check, count in zip(checks, counts, strict=True):
        if not count:
            continue
        rows = con.execute(
            f"SELECT _index, {_quote(check.column)} FROM checked WHERE {check.failing} "
            f"ORDER BY _index LIMIT {MAX_PROBLEMS}"
        ).fetchall()
        for index, value in rows:
            message = check.message.replace("{value}", str(value or "").strip())
            found.append((index, order[check.column], check.column, message))
    for crn, indexes in duplicates:
        first = line_of(indexes[0])
        for index in indexes[1:]:
            found.append(
                (index, order["crn"], "crn", f"{crn} is also on row {first}; list each person once.")
            )
    found.sort()
    return [
        Problem(shown, line_of(index), column, message)
        for index, _, column, message in found[:MAX_PROBLEMS]
    ]

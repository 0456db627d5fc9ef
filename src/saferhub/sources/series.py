"""Partner-supplied monthly figures in a generic long format: `area, period, measure, value`.

Partners send figures the police files do not hold: knife crime with injury, gun crime,
domestic abuse violence with injury, ASB calls, CCTV incidents, Prevent referrals, ASB
tools and powers. Each row is one figure for one borough and one month. Measure names are
matched, ignoring letter case, against the names the measure catalogue knows, so a typo is
caught at import rather than silently dropped.

See docs/formats/measure-series.md for the format and every error a user can get.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from saferhub.errors import ConfigurationError, InputError, Problem, ProblemCollector, quoted
from saferhub.rules.periods import Month
from saferhub.sources.csvfile import check_columns, read_csv_file
from saferhub.sources.london import find_borough, suggestion
from saferhub.sources.mps import EARLIEST_MONTH

COLUMNS = ["area", "period", "measure", "value"]
# A partner's monthly figure for one borough (ASB calls, knife crime...) is at most a few
# thousand: more than this is a typing error.
MAX_VALUE = 100_000
_FORMAT_HINT = "A measure series file has the columns area, period, measure, value."

SCHEMA = pa.schema(
    [
        ("area_code", pa.string()),
        ("area_name", pa.string()),
        ("month", pa.date32()),
        ("measure", pa.string()),
        ("value", pa.float64()),
        ("source", pa.string()),
    ]
)


@dataclass(frozen=True)
class MeasureSeries:
    """Validated partner figures from one or more files."""

    files: tuple[str, ...]
    table: pa.Table  # SCHEMA

    @property
    def measures(self) -> frozenset[str]:
        return frozenset(self.table["measure"].to_pylist())


def read_series_file(
    path: str | Path,
    *,
    known_measures: Iterable[str] | None = None,
    not_after: Month | None = None,
    name: str | None = None,
) -> MeasureSeries:
    """Validate one series file. All or nothing: raises InputError listing every problem."""
    csv_file = read_csv_file(path, name)
    problems = ProblemCollector(csv_file.name)
    header, positions = exact_columns(problems, csv_file.header, COLUMNS, _FORMAT_HINT)

    measures = {m.casefold(): m for m in known_measures} if known_measures is not None else None
    seen: dict[tuple[str, Month, str], int] = {}
    rows: list[dict[str, object]] = []
    width = len(header)
    for line, values in csv_file.records:
        if len(values) != width:
            problems.add(line, None, f"has {len(values)} values but the header has {width}.")
            continue
        area_text = " ".join(values[positions["area"]].split())
        period_text = values[positions["period"]].strip()
        measure_text = " ".join(values[positions["measure"]].split())
        value_text = values[positions["value"]].strip().replace(",", "")

        borough = find_borough(area_text)
        if borough is None:
            problems.add(
                line,
                "area",
                f"'{area_text}' is not a London borough name or ONS code.{suggestion(area_text)}"
                if area_text
                else "is empty; give the borough, e.g. Barnet.",
            )
        month = read_month(problems, line, period_text, not_after)
        measure = measure_text
        if not measure_text:
            problems.add(line, "measure", "is empty; name the measure, e.g. ASB calls.")
        elif measures is not None:
            if measure_text.casefold() in measures:
                measure = measures[measure_text.casefold()]
            else:
                choices = sorted(measures.values())
                problems.add(
                    line,
                    "measure",
                    f"'{measure_text}' is not a measure the catalogue knows."
                    f"{suggestion(measure_text, choices)} Known: {', '.join(choices)}.",
                )
        value = _value(problems, line, value_text)
        if borough is None or month is None or not measure:
            continue
        key = (borough.code, month, measure.casefold())
        if key in seen:
            problems.add(
                line,
                None,
                f"repeats line {seen[key]}: {measure} for {borough.name} in {month.label} is "
                "given twice; keep one row.",
            )
            continue
        seen[key] = line
        if value is not None:
            rows.append(
                {
                    "area_code": borough.code,
                    "area_name": borough.name,
                    "month": month.first_day,
                    "measure": measure,
                    "value": value,
                    "source": csv_file.name,
                }
            )
    if not csv_file.records:
        problems.add(None, None, "has a header but no rows of data.")
    problems.raise_if_any()
    return MeasureSeries((csv_file.name,), pa.Table.from_pylist(rows, schema=SCHEMA))


def exact_columns(
    problems: ProblemCollector, given: list[str], columns: list[str], hint: str
) -> tuple[list[str], dict[str, int]]:
    """The header in lower case and the columns' positions, for a format of exactly
    `columns` in any order; raises InputError for a missing, repeated or extra column.
    `hint` is "A ... file has the columns ..." (partner breakdowns use it too)."""
    header = [column.casefold() for column in given]
    positions = check_columns(problems, header, columns, hint)
    for column in given:
        if column.casefold() not in columns:
            problems.add(1, column, f"'{column}' is not a column of this format; {hint[2:]}")
    problems.raise_if_any()
    return header, positions


def read_month(
    problems: ProblemCollector, line: int, text: str, not_after: Month | None
) -> Month | None:
    """The month in a `period` value, or None with the problem recorded (also used by the
    partner breakdowns, so both formats take and refuse months alike)."""
    try:
        month = Month.parse(text)
    except ConfigurationError:
        problems.add(
            line,
            "period",
            f"'{text}' is not a month; write months as YYYY-MM, e.g. 2023-09."
            if text
            else "is empty; give the month as YYYY-MM, e.g. 2023-09.",
        )
        return None
    if month < EARLIEST_MONTH or (not_after is not None and not_after < month):
        latest = f" or after {not_after.label}" if not_after else ""
        problems.add(
            line,
            "period",
            f"{month.label} is out of range: figures cannot be from before "
            f"{EARLIEST_MONTH.label}{latest}.",
        )
        return None
    return month


def _value(problems: ProblemCollector, line: int, text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        problems.add(
            line,
            "value",
            f"'{quoted(text)}' is not a number." if text else "is empty; write 0 for none.",
        )
        return None
    if not math.isfinite(value) or value < 0:
        problems.add(line, "value", f"{quoted(text)} is not a count: values must be 0 or more.")
        return None
    if value > MAX_VALUE:
        problems.add(
            line,
            "value",
            f"{quoted(text)} is more than any borough records in a month (at most "
            f"{MAX_VALUE:,}); check the figure.",
        )
        return None
    return value


def read_series_files(
    paths: Iterable[str | Path],
    *,
    known_measures: Iterable[str] | None = None,
    not_after: Month | None = None,
) -> MeasureSeries:
    """Read several series files as one. A figure given in two files is an error."""
    known = list(known_measures) if known_measures is not None else None
    parts: list[MeasureSeries] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            parts.append(read_series_file(path, known_measures=known, not_after=not_after))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    table = pa.concat_tables([p.table for p in parts]) if parts else SCHEMA.empty_table()
    files = tuple(f for p in parts for f in p.files)
    problems = in_two_files(table, ["measure"], "measure")
    if problems:
        raise InputError(problems)
    return MeasureSeries(files, table)


def in_two_files(table: pa.Table, keys: list[str], field: str) -> list[Problem]:
    """A problem for each figure (area, month and `keys`) that one file gives and another
    file gave already."""
    seen: dict[tuple, str] = {}
    problems: list[Problem] = []
    for row in table.select(["area_name", "month", *keys, "source"]).to_pylist():
        key = (row["area_name"], row["month"], *(row[k] for k in keys))
        if key in seen and seen[key] != row["source"]:
            what = ", ".join(str(row[k]) for k in keys)
            problems.append(
                Problem(
                    row["source"],
                    None,
                    field,
                    f"{what} for {row['area_name']} in {Month.of(row['month']).label} is also "
                    f"in {seen[key]}; give each figure in one file only.",
                )
            )
        seen.setdefault(key, row["source"])
    return problems

"""Interpreting a caseload extract's values: each column's codes, read once per distinct
value and spread back over the rows, and the problems found, by row."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from saferhub.errors import InputError, Problem, quoted
from saferhub.rules import needs as rules
from saferhub.sources.caseload.columns import (
    ALL_COLUMNS,
    MAX_PROBLEMS,
    NEED_COLUMNS,
    REGISTRATION_COLUMNS,
)
from saferhub.sources.dates import DATE_HINT, parse_date


class Bad:
    """Marks a value that is not one of the codes a column accepts."""


BAD = Bad()


def _parse_date(text: str) -> date | Bad | None:
    if not text.strip():
        return None
    parsed = parse_date(text)
    return BAD if parsed is None else parsed


def _parse_age(text: str) -> int | Bad | None:
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


def _pattern(pattern: str) -> Callable[[str], str | Bad | None]:
    compiled = re.compile(pattern)

    def parse(text: str) -> str | Bad | None:
        code = text.strip().upper()
        if not code:
            return None
        return code if compiled.match(code) else BAD

    return parse


def _need(text: str) -> bool | Bad | None:
    return rules.NEED_VALUES.get(rules.code_key(text), BAD)


@dataclass
class Column:
    """One column of the extract: its distinct values, and each row's position among them."""

    name: str
    distinct: list[str]
    positions: list[pa.Array]  # per chunk of the column, indices into `distinct`

    @classmethod
    def of(cls, table: pa.Table, name: str) -> Column:
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
class Problems:
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


def value_of(raw: pa.Table, column: str) -> Callable[[int], str]:
    return lambda index: quoted(str(raw[column][index].as_py()).strip())


@dataclass(frozen=True)
class Code:
    """How one column's values are read, and what to say when one is wrong or blank."""

    parse: Callable[[str], Any]  # text -> value, None for blank, BAD for unknown
    type_: pa.DataType
    unknown: str  # {value} is replaced by the value as written
    empty: str | None = None  # None: a blank is allowed


_NEED = Code(_need, pa.bool_(), "'{value}' is not a need value; use yes, no or not assessed.")
_REGISTRATION = Code(
    _lookup(rules.REGISTRATION_VALUES),
    pa.bool_(),
    "'{value}' is not a registration value; use yes or no.",
    "is empty; give yes or no.",
)
_DATE = Code(_parse_date, pa.date32(), "'{value}' is not a date. " + DATE_HINT)
CODES: dict[str, Code] = {
    "setting": Code(
        _lookup(rules.SETTING_LOOKUP),
        pa.string(),
        "'{value}' is not a setting; use community, custody (8 months or less to serve) "
        "or omic (custody with more than 8 months to serve).",
        "is empty; give community, custody or omic.",
    ),
    "sentence_type": Code(
        _lookup(rules.SENTENCE_TYPE_LOOKUP),
        pa.string(),
        "'{value}' is not an order or sentence type; use one of: "
        + ", ".join(item.code for item in rules.SENTENCE_TYPES)
        + ".",
        "is empty; give the order or sentence the person is serving.",
    ),
    "gender": Code(
        _lookup(rules.GENDER_LOOKUP),
        pa.string(),
        "'{value}' is not a gender; use Male, Female, Other or Not stated (or M, F, X, U).",
        "is empty; write 'Not stated' when it is not recorded.",
    ),
    "ethnicity": Code(
        _lookup(rules.ETHNICITY_LOOKUP),
        pa.string(),
        "'{value}' is not a recognised ethnicity; use one of the eight groups ("
        + ", ".join(rules.ETHNIC_GROUPS)
        + ") or an ONS 2021 category.",
        "is empty; write 'No Data' when it is not recorded.",
    ),
    "date_of_birth": _DATE,
    "age": Code(_parse_age, pa.int16(), "'{value}' is not a whole number of years."),
    "assessment_date": _DATE,
    **dict.fromkeys(NEED_COLUMNS, _NEED),
    **dict.fromkeys(REGISTRATION_COLUMNS, _REGISTRATION),
    "tier": Code(
        _pattern(rules.TIER_PATTERN),
        pa.string(),
        "'{value}' is not a tier; use A0 to D3, or leave it blank when the person has not "
        "been tiered.",
    ),
}


@dataclass(frozen=True)
class Read:
    """A column read through its code: a value per row, and the value of each distinct text."""

    column: Column
    values: pa.ChunkedArray
    parsed: list[Any]

    def where(self, test: Callable[[Any], bool]) -> pa.ChunkedArray:
        """Rows whose parsed value passes `test`."""
        return self.column.spread([bool(test(p)) for p in self.parsed], pa.bool_())


def read_column(raw: pa.Table, column: Column, problems: Problems) -> Read:
    """Interpret a coded column; report unknown codes, and blanks where they are not allowed."""
    code = CODES[column.name]
    parsed = [code.parse(v) for v in column.distinct]
    if any(p is BAD for p in parsed):
        bad = column.spread([p is BAD for p in parsed], pa.bool_())
        value = value_of(raw, column.name)
        problems.add(bad, column.name, lambda i: code.unknown.replace("{value}", value(i)))
    if code.empty is not None and any(p is None for p in parsed):
        empty = code.empty
        blank = column.spread([p is None for p in parsed], pa.bool_())
        problems.add(blank, column.name, lambda i: empty)
    values = column.spread([None if p is BAD else p for p in parsed], code.type_)
    return Read(column, values, parsed)


def index_columns(raw: pa.Table) -> dict[str, Column]:
    # The CRN is nearly unique per row, so it is checked row by row instead. Arrow
    # releases the GIL, so the columns are indexed in parallel.
    names = [name for name in raw.column_names if name != "crn"]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return dict(zip(names, pool.map(lambda name: Column.of(raw, name), names), strict=True))

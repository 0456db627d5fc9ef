"""Reading a caseload extract, or rows already validated, into a `Caseload`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa

from saferhub.errors import InputError, Problem
from saferhub.sources.caseload.checks import validate
from saferhub.sources.caseload.columns import SCHEMA
from saferhub.sources.caseload.files import read_csv, read_xlsx


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
        raw, line_of = read_csv(path, shown)
    elif suffix == ".xlsx":
        raw, line_of = read_xlsx(path, shown)
    else:
        raise InputError(
            Problem(shown, None, None, f"is a '{suffix or 'no extension'}' file."),
            "Give the caseload extract as a .csv or .xlsx file.",
        )
    table, as_of, as_of_given = validate(raw, shown, as_of, line_of)
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

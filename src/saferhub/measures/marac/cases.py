"""The canonical table of MARAC cases heard, which every figure is counted over."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from saferhub.errors import ConfigurationError

# column -> (what it holds, Ibis type check)
CASE_COLUMNS: dict[str, tuple[str, str]] = {
    "case_id": ("the case's identifier", "string"),
    "date_heard": ("the date of the meeting that heard the case", "date"),
    "victim_gender": ("M, F, X (other) or U (not stated)", "string"),
    "victim_lgbt": ("the victim identifies as LGBT+ (empty: not known)", "boolean"),
    "victim_disabled": ("the victim has a disability (empty: not known)", "boolean"),
    "victim_ethnicity": ("ONS 2021 ethnicity code, e.g. B1, or NS", "string"),
    "victim_age": ("the victim's age in whole years on the referral date", "integer"),
    "youngest_perpetrator_age": ("age of the youngest perpetrator on the referral date", "integer"),
    "children_in_household": ("number of children in the victim's household", "integer"),
    "referring_agency_type": ("'police' or 'partner'", "string"),
    "is_repeat": ("the referral is a repeat under rules.marac.RepeatRule", "boolean"),
}

_ARROW_TYPES = {
    "string": pa.string(),
    "date": pa.date32(),
    "boolean": pa.bool_(),
    "integer": pa.int64(),
}
CASE_SCHEMA = pa.schema(
    [(column, _ARROW_TYPES[kind]) for column, (_, kind) in CASE_COLUMNS.items()]
)


def case_table(rows: Iterable[Mapping[str, Any]]) -> ir.Table:
    """An in-memory canonical table from Python rows (dicts keyed by `CASE_COLUMNS`).

    The web app and the synthetic data feed the measures through this; None is "not known".
    """
    return ibis.memtable(pa.Table.from_pylist(list(rows), schema=CASE_SCHEMA))


def check_case_table(cases: ir.Table) -> None:
    """Refuse a table that lacks a canonical column or holds the wrong type in one."""
    schema = cases.schema()
    problems = []
    for column, (meaning, kind) in CASE_COLUMNS.items():
        if column not in schema:
            problems.append(f"missing column '{column}' ({meaning})")
            continue
        dtype = schema[column]
        ok = {
            "string": dtype.is_string(),
            "date": dtype.is_date() or dtype.is_timestamp(),
            "boolean": dtype.is_boolean(),
            # Whole numbers arrive as floats from pandas when a value is missing.
            "integer": dtype.is_integer() or dtype.is_floating(),
        }[kind]
        if not ok:
            problems.append(f"column '{column}' is {dtype}; it must be {kind} ({meaning})")
    if problems:
        raise ConfigurationError(
            "The MARAC case table is not in the canonical shape: " + "; ".join(problems) + "."
        )

"""The stored caseload extract as the canonical caseload table, read by Ibis."""

from __future__ import annotations

import json

import pyarrow as pa

from saferhub.app.database import arrow, table
from saferhub.rules import needs as rules
from saferhub.sources.caseload import SCHEMA, Caseload, caseload_from_table

NEED_CODES = tuple(n.code for n in rules.NEEDS)
REGISTRATION_CODES = tuple(r.code for r in rules.REGISTRATIONS)
COPIED = (
    "crn",
    "setting",
    "sentence_type",
    "gender",
    "ethnicity",
    "date_of_birth",
    "age",
    "assessment_date",
)
_STORED = pa.schema(
    [
        *(SCHEMA.field(name) for name in COPIED),
        ("needs", pa.string()),
        ("registrations", pa.string()),
        ("tier", pa.string()),
    ]
)


def _answers(value: object) -> dict:
    # SQLite gives the JSON column as text; PostgreSQL may give it already parsed.
    if value is None:
        return {}
    return value if isinstance(value, dict) else json.loads(value)  # type: ignore[arg-type]


def read_caseload(extract) -> Caseload:
    """The stored extract as a caseload the measures can run on."""
    from saferhub.web.needs.models import CaseloadEntry

    entries = table(CaseloadEntry)
    expr = entries.filter(entries.extract_id == extract.pk).order_by(entries.id)
    # The JSON columns come back as they are stored; they are not strings to Arrow yet.
    stored = arrow(expr, _STORED, raw=("needs", "registrations"))
    columns = {name: stored.column(name) for name in COPIED}
    needs = [_answers(v) for v in stored.column("needs").to_pylist()]
    registrations = [_answers(v) for v in stored.column("registrations").to_pylist()]
    for code in NEED_CODES:
        columns[rules.need_column(code)] = pa.array([n.get(code) for n in needs], pa.bool_())
    for code in REGISTRATION_CODES:
        columns[rules.registration_column(code)] = pa.array(
            [bool(r.get(code)) for r in registrations], pa.bool_()
        )
    tiers = stored.column("tier").to_pylist()
    columns["tier"] = pa.array([t or None for t in tiers], pa.string())
    built = pa.table({f.name: columns[f.name] for f in SCHEMA}).cast(SCHEMA)
    return caseload_from_table(
        built, source=extract.file_name, as_of=extract.as_of, as_of_given=extract.as_of_given
    )

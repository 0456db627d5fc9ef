"""The columns of the caseload extract and the shape of a validated caseload."""

from __future__ import annotations

import pyarrow as pa

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
ALL_COLUMNS: tuple[str, ...] = (
    *IDENTITY_COLUMNS,
    *AGE_COLUMNS,
    "assessment_date",
    *NEED_COLUMNS,
    *REGISTRATION_COLUMNS,
    "tier",
)

MAX_PROBLEMS = 200
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

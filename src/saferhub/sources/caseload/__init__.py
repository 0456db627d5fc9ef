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

The parts: `columns` (what the extract holds), `files` (reading CSV and XLSX), `values`
(interpreting each column), `checks` (validating the whole) and `reader` (the entry points).
"""

from saferhub.sources.caseload.columns import (
    AGE_COLUMNS,
    ALL_COLUMNS,
    IDENTITY_COLUMNS,
    NEED_COLUMNS,
    REGISTRATION_COLUMNS,
    REQUIRED_COLUMNS,
    SCHEMA,
)
from saferhub.sources.caseload.reader import Caseload, caseload_from_table, read_caseload

__all__ = [
    "AGE_COLUMNS",
    "ALL_COLUMNS",
    "IDENTITY_COLUMNS",
    "NEED_COLUMNS",
    "REGISTRATION_COLUMNS",
    "REQUIRED_COLUMNS",
    "SCHEMA",
    "Caseload",
    "caseload_from_table",
    "read_caseload",
]

"""Disposals (cautions, convictions, releases from custody) → canonical disposals table.

Used for proven reoffending: cautions, non-custodial convictions and releases start a
person's follow-up (index events); cautions and convictions prove the offence they
dispose of. See docs/formats/disposals.md and `saferhub.rules.reoffending`.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from saferhub.rules.reoffending import DISPOSAL_TYPES, PROVING_TYPES
from saferhub.sources.offender_extract import (
    choice,
    read_extract,
    required_date,
    required_text,
    spellings,
)

DISPOSALS_FILE = "disposals.csv"

DISPOSALS_SCHEMA = pa.schema(
    [
        ("disposal_id", pa.string()),
        ("pnc_id", pa.string()),
        ("disposal_date", pa.date32()),
        ("disposal_type", pa.string()),
        ("offence_id", pa.string()),
    ]
)

_TYPES = spellings(*DISPOSAL_TYPES)


def read_disposals(
    path: str | Path, offences: pa.Table | None = None, name: str | None = None
) -> pa.Table:
    """Read and validate disposals; raise InputError naming every bad row.

    Given the offences extract, every offence a disposal names must be in it, for the
    same person: otherwise a reoffence would silently go unproven.
    """
    owner: dict[str, str] = {}
    if offences is not None:
        owner = dict(
            zip(
                offences.column("offence_id").to_pylist(),
                offences.column("pnc_id").to_pylist(),
                strict=True,
            )
        )
    extract = read_extract(
        path,
        ["disposal_id", "pnc_id", "disposal_date", "disposal_type"],
        ["offence_id"],
        "A disposals file has one row per caution, conviction or release with the columns "
        "disposal_id, pnc_id, disposal_date, disposal_type and offence_id.",
        name,
    )
    seen: dict[str, int] = {}
    columns: dict[str, list] = {field.name: [] for field in DISPOSALS_SCHEMA}
    for record in extract:
        disposal_id = required_text(extract, record, "disposal_id")
        pnc_id = required_text(extract, record, "pnc_id")
        disposal_date = required_date(extract, record, "disposal_date")
        disposal_type = choice(extract, record, "disposal_type", _TYPES)
        offence_id = record["offence_id"] or None
        if disposal_type in PROVING_TYPES and offence_id is None:
            extract.add(
                record,
                "offence_id",
                f"a {disposal_type.replace('_', ' ')} needs the offence_id of the offence it "
                "disposes of.",
            )
        if offences is not None and offence_id is not None:
            if offence_id not in owner:
                extract.add(
                    record, "offence_id", f"offence '{offence_id}' is not in the offences extract."
                )
            elif pnc_id and owner[offence_id] != pnc_id:
                extract.add(
                    record,
                    "offence_id",
                    f"offence '{offence_id}' belongs to {owner[offence_id]} in the offences "
                    f"extract, not {pnc_id}.",
                )
        if disposal_id is not None:
            if disposal_id in seen:
                extract.add(
                    record,
                    "disposal_id",
                    f"'{disposal_id}' is already used on row {seen[disposal_id]}.",
                )
            seen.setdefault(disposal_id, record.line)
        columns["disposal_id"].append(disposal_id)
        columns["pnc_id"].append(pnc_id)
        columns["disposal_date"].append(disposal_date)
        columns["disposal_type"].append(disposal_type)
        columns["offence_id"].append(offence_id)
    extract.problems.raise_if_any()
    return pa.table(columns, schema=DISPOSALS_SCHEMA)

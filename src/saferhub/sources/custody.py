"""Custody spells (prison or remand) → canonical custody table.

One row per spell: reception into custody and release (blank while still in custody).
A spell covers the reception date up to the day before release: the release day is a
day at liberty. Spells of one person must not overlap. See docs/formats/custody.md.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path

import pyarrow as pa

from saferhub.sources.offender_extract import (
    choice,
    optional_date,
    read_extract,
    required_date,
    required_text,
    spellings,
)

CUSTODY_FILE = "custody.csv"
REMAND, SENTENCE = "remand", "sentence"

CUSTODY_SCHEMA = pa.schema(
    [
        ("pnc_id", pa.string()),
        ("reception_date", pa.date32()),
        ("release_date", pa.date32()),
        ("custody_type", pa.string()),
    ]
)

_TYPES = spellings(REMAND, SENTENCE) | {"recall": SENTENCE}


def read_custody(path: str | Path, name: str | None = None) -> pa.Table:
    """Read and validate custody spells; raise InputError naming every bad row."""
    extract = read_extract(
        path,
        ["pnc_id", "reception_date"],
        ["release_date", "custody_type"],
        "A custody file has one row per spell with at least the columns pnc_id and "
        "reception_date (and release_date once released).",
        name,
    )
    columns: dict[str, list] = {field.name: [] for field in CUSTODY_SCHEMA}
    spells: dict[str, list[tuple]] = defaultdict(list)
    for record in extract:
        pnc_id = required_text(extract, record, "pnc_id")
        reception = required_date(extract, record, "reception_date")
        release = optional_date(extract, record, "release_date")
        custody_type = choice(extract, record, "custody_type", _TYPES, blank=SENTENCE)
        if reception and release and release < reception:
            extract.add(
                record,
                "release_date",
                f"the release date {release:%d/%m/%Y} is before the reception date "
                f"{reception:%d/%m/%Y}.",
            )
        elif pnc_id and reception:
            spells[pnc_id].append((reception, release, record.line))
        columns["pnc_id"].append(pnc_id)
        columns["reception_date"].append(reception)
        columns["release_date"].append(release)
        columns["custody_type"].append(custody_type)
    for pnc_id, person_spells in spells.items():
        person_spells.sort(key=lambda spell: (spell[0], spell[2]))
        for earlier, later in itertools.pairwise(person_spells):
            (_, earlier_release, earlier_line), (later_reception, _, later_line) = earlier, later
            # The release day is at liberty, so a new reception that day does not overlap.
            if earlier_release is None or later_reception < earlier_release:
                extract.add(
                    later_line,
                    "reception_date",
                    f"{pnc_id} is received into custody on {later_reception:%d/%m/%Y} while "
                    f"still in the spell on row {earlier_line}; spells must not overlap.",
                )
    extract.problems.raise_if_any()
    return pa.table(columns, schema=CUSTODY_SCHEMA)

"""IOM cohort extracts → canonical tables: memberships, tier history, pathway referrals.

- `iom_cohort.csv`: one row per spell on the programme (docs/formats/cohort.md).
- `iom_tiers.csv` (optional): one row per tier change (docs/formats/cohort.md).
- `iom_pathways.csv` (optional): one row per pathway referral (docs/formats/pathways.md).

A person may have several spells, but spells of one person must not overlap, and a
spell cannot end before it starts. Any problem stops the whole import.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path

import pyarrow as pa

from saferhub.errors import InputError, Problem
from saferhub.rules.iom_pathways import OUTCOMES, PATHWAYS
from saferhub.rules.iom_tiers import CONTACT_OUTCOMES, TIER_ORDER
from saferhub.sources.offender_extract import (
    choice,
    optional_date,
    read_extract,
    required_date,
    required_text,
    spellings,
)

COHORT_FILE = "iom_cohort.csv"
TIERS_FILE = "iom_tiers.csv"
PATHWAYS_FILE = "iom_pathways.csv"
CONTACTS_FILE = "iom_contacts.csv"

STATUTORY, NON_STATUTORY = "Statutory", "Non-statutory"
NOT_STATED = "Not stated"

COHORT_SCHEMA = pa.schema(
    [
        ("pnc_id", pa.string()),
        ("join_date", pa.date32()),
        ("leave_date", pa.date32()),
        ("management", pa.string()),
        ("tier", pa.string()),
        ("gender", pa.string()),
        ("ethnicity", pa.string()),
        ("date_of_birth", pa.date32()),
        ("join_reason", pa.string()),
        ("leave_reason", pa.string()),
    ]
)
TIERS_SCHEMA = pa.schema(
    [
        ("pnc_id", pa.string()),
        ("tier", pa.string()),
        ("from_date", pa.date32()),
        ("reason", pa.string()),
    ]
)
PATHWAYS_SCHEMA = pa.schema(
    [
        ("pnc_id", pa.string()),
        ("pathway", pa.string()),
        ("provider", pa.string()),
        ("referral_date", pa.date32()),
        ("outcome", pa.string()),
        ("outcome_date", pa.date32()),
    ]
)

COHORT_REQUIRED = ["pnc_id", "join_date", "management"]
COHORT_OPTIONAL = [
    "leave_date",
    "tier",
    "gender",
    "ethnicity",
    "date_of_birth",
    "join_reason",
    "leave_reason",
]
COHORT_DESCRIPTION = (
    "An IOM cohort file has one row per spell on the programme with at least the columns "
    "pnc_id, join_date and management."
)

_MANAGEMENT = spellings(STATUTORY, NON_STATUTORY) | {
    "non statutory": NON_STATUTORY,
    "nonstatutory": NON_STATUTORY,
    "licence": STATUTORY,
}
_TIERS = spellings(*(tier.value for tier in TIER_ORDER))
_GENDERS = {"m": "Male", "male": "Male", "f": "Female", "female": "Female"}


def read_cohort(path: str | Path, name: str | None = None) -> pa.Table:
    """Read and validate an IOM cohort file; raise InputError naming every bad row."""
    extract = read_extract(path, COHORT_REQUIRED, COHORT_OPTIONAL, COHORT_DESCRIPTION, name)
    columns: dict[str, list] = {field.name: [] for field in COHORT_SCHEMA}
    spells: dict[str, list[tuple]] = defaultdict(list)
    for record in extract:
        pnc_id = required_text(extract, record, "pnc_id")
        join = required_date(extract, record, "join_date")
        leave = optional_date(extract, record, "leave_date")
        management = choice(extract, record, "management", _MANAGEMENT)
        tier = choice(extract, record, "tier", _TIERS, blank="") or None
        dob = optional_date(extract, record, "date_of_birth")
        if join and leave and leave < join:
            extract.add(
                record,
                "leave_date",
                f"the leave date {leave:%d/%m/%Y} is before the join date {join:%d/%m/%Y}.",
            )
        elif pnc_id and join:
            spells[pnc_id].append((join, leave, record.line))
        gender = record["gender"]
        columns["pnc_id"].append(pnc_id)
        columns["join_date"].append(join)
        columns["leave_date"].append(leave)
        columns["management"].append(management)
        columns["tier"].append(tier)
        columns["gender"].append(_GENDERS.get(gender.casefold(), gender) or NOT_STATED)
        columns["ethnicity"].append(record["ethnicity"] or NOT_STATED)
        columns["date_of_birth"].append(dob)
        columns["join_reason"].append(record["join_reason"] or None)
        columns["leave_reason"].append(record["leave_reason"] or None)
    for pnc_id, person_spells in spells.items():
        person_spells.sort(key=lambda spell: (spell[0], spell[2]))
        for earlier, later in itertools.pairwise(person_spells):
            (_, earlier_leave, earlier_line), (later_join, _, later_line) = earlier, later
            if earlier_leave is None or later_join <= earlier_leave:
                ends = (
                    "has no leave date"
                    if earlier_leave is None
                    else f"ends {earlier_leave:%d/%m/%Y}"
                )
                extract.add(
                    later_line,
                    "join_date",
                    f"{pnc_id} joins again on {later_join:%d/%m/%Y} but their spell on row "
                    f"{earlier_line} {ends}; spells of one person must not overlap.",
                )
    extract.problems.raise_if_any()
    return pa.table(columns, schema=COHORT_SCHEMA)


def read_tiers(path: str | Path, cohort: pa.Table, name: str | None = None) -> pa.Table:
    """Read a tier history; every person must be in the cohort and every change needs a reason."""
    extract = read_extract(
        path,
        ["pnc_id", "tier", "from_date", "reason"],
        [],
        "A tier history has one row per tier change with the columns pnc_id, tier, "
        "from_date and reason.",
        name,
    )
    members = set(cohort.column("pnc_id").to_pylist())
    seen: dict[tuple[str, object], int] = {}
    columns: dict[str, list] = {field.name: [] for field in TIERS_SCHEMA}
    for record in extract:
        pnc_id = required_text(extract, record, "pnc_id")
        tier = choice(extract, record, "tier", _TIERS)
        from_date = required_date(extract, record, "from_date")
        reason = required_text(extract, record, "reason")
        if pnc_id and pnc_id not in members:
            extract.add(record, "pnc_id", f"{pnc_id} is not in the IOM cohort file.")
        if pnc_id and from_date:
            if (pnc_id, from_date) in seen:
                extract.add(
                    record,
                    "from_date",
                    f"{pnc_id} already has a tier change on {from_date:%d/%m/%Y} "
                    f"(row {seen[(pnc_id, from_date)]}); keep one.",
                )
            seen.setdefault((pnc_id, from_date), record.line)
        columns["pnc_id"].append(pnc_id)
        columns["tier"].append(tier)
        columns["from_date"].append(from_date)
        columns["reason"].append(reason)
    extract.problems.raise_if_any()
    return pa.table(columns, schema=TIERS_SCHEMA)


def tiers_from_cohort(cohort: pa.Table) -> pa.Table:
    """Without a tier history, each spell's recorded tier is taken to apply from its join date."""
    rows = [
        row
        for row in cohort.select(["pnc_id", "tier", "join_date"]).to_pylist()
        if row["tier"] is not None
    ]
    return pa.table(
        {
            "pnc_id": [row["pnc_id"] for row in rows],
            "tier": [row["tier"] for row in rows],
            "from_date": [row["join_date"] for row in rows],
            "reason": ["Tier recorded in the cohort file"] * len(rows),
        },
        schema=TIERS_SCHEMA,
    )


_PATHWAYS = spellings(*PATHWAYS.values()) | {
    key.replace("_", " "): label for key, label in PATHWAYS.items()
}
_OUTCOMES = spellings(*OUTCOMES)


def read_pathways(path: str | Path, cohort: pa.Table, name: str | None = None) -> pa.Table:
    """Read pathway referrals; outcome blank means the referral is still open."""
    extract = read_extract(
        path,
        ["pnc_id", "pathway", "referral_date"],
        ["provider", "outcome", "outcome_date"],
        "A pathways file has one row per referral with at least the columns pnc_id, "
        "pathway and referral_date.",
        name,
    )
    members = set(cohort.column("pnc_id").to_pylist())
    columns: dict[str, list] = {field.name: [] for field in PATHWAYS_SCHEMA}
    for record in extract:
        pnc_id = required_text(extract, record, "pnc_id")
        pathway = choice(extract, record, "pathway", _PATHWAYS)
        referred = required_date(extract, record, "referral_date")
        outcome = choice(extract, record, "outcome", _OUTCOMES, blank="") or None
        outcome_date = optional_date(extract, record, "outcome_date")
        if pnc_id and pnc_id not in members:
            extract.add(record, "pnc_id", f"{pnc_id} is not in the IOM cohort file.")
        if outcome and not outcome_date and record["outcome_date"] == "":
            extract.add(
                record, "outcome_date", f"the outcome '{outcome}' needs the date it was recorded."
            )
        if outcome_date and not outcome:
            extract.add(record, "outcome", "there is an outcome date but no outcome.")
        if referred and outcome_date and outcome_date < referred:
            extract.add(
                record,
                "outcome_date",
                f"the outcome date {outcome_date:%d/%m/%Y} is before the referral date "
                f"{referred:%d/%m/%Y}.",
            )
        columns["pnc_id"].append(pnc_id)
        columns["pathway"].append(pathway)
        columns["provider"].append(record["provider"] or None)
        columns["referral_date"].append(referred)
        columns["outcome"].append(outcome)
        columns["outcome_date"].append(outcome_date)
    extract.problems.raise_if_any()
    return pa.table(columns, schema=PATHWAYS_SCHEMA)


CONTACTS_SCHEMA = pa.schema(
    [
        ("pnc_id", pa.string()),
        ("contact_date", pa.date32()),
        ("outcome", pa.string()),
        ("method", pa.string()),
    ]
)
CONTACT_METHODS = ("face to face", "home visit", "phone", "video")


def read_contacts(path: str | Path, cohort: pa.Table, name: str | None = None) -> pa.Table:
    """Read logged contacts; each must fall in one of the person's spells on the programme."""
    extract = read_extract(
        path,
        ["pnc_id", "contact_date", "outcome"],
        ["method"],
        "A contacts file has one row per contact with at least the columns pnc_id, "
        "contact_date and outcome.",
        name,
    )
    spells: dict[str, list[tuple]] = defaultdict(list)
    for row in cohort.select(["pnc_id", "join_date", "leave_date"]).to_pylist():
        spells[row["pnc_id"]].append((row["join_date"], row["leave_date"]))
    columns: dict[str, list] = {field.name: [] for field in CONTACTS_SCHEMA}
    for record in extract:
        pnc_id = required_text(extract, record, "pnc_id")
        day = required_date(extract, record, "contact_date")
        outcome = choice(extract, record, "outcome", spellings(*CONTACT_OUTCOMES))
        method = choice(
            extract, record, "method", spellings(*CONTACT_METHODS), blank="face to face"
        )
        if (
            pnc_id
            and day
            and not any(
                join <= day and (leave is None or day <= leave)
                for join, leave in spells.get(pnc_id, [])
            )
        ):
            extract.add(
                record, "contact_date", f"{pnc_id} was not on the IOM programme on {day:%d/%m/%Y}."
            )
        columns["pnc_id"].append(pnc_id)
        columns["contact_date"].append(day)
        columns["outcome"].append(outcome)
        columns["method"].append(method)
    extract.problems.raise_if_any()
    return pa.table(columns, schema=CONTACTS_SCHEMA)


def check_people_known(table: pa.Table, file: str, people: set[str], what: str) -> None:
    """Raise if a table names people missing from another file (e.g. cohort vs offences)."""
    problems = [
        Problem(file, None, "pnc_id", f"{pnc_id} is not in {what}.")
        for pnc_id in sorted(set(table.column("pnc_id").to_pylist()) - people)
    ]
    if problems:
        raise InputError(problems)

"""Police offence extract (one row per offence attributed to a person) → canonical offences.

Each offence carries a Home Office offence classification code; the shipped catalogue
(`saferhub/data/offence_codes.csv`) maps it to an offence group, and each group to a
family (Violence, Burglary ...) and whether it is neighbourhood crime. See
docs/formats/offences.md for the columns, an example and every error a user can get.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import pyarrow as pa

from saferhub.sources.csvfile import read_csv_file
from saferhub.sources.offender_extract import read_extract, required_date, required_text

OFFENCES_FILE = "offences.csv"

OFFENCES_SCHEMA = pa.schema(
    [
        ("offence_id", pa.string()),
        ("pnc_id", pa.string()),
        ("offence_date", pa.date32()),
        ("offence_code", pa.string()),
        ("offence_group", pa.string()),
    ]
)

REQUIRED = ["offence_id", "pnc_id", "offence_date", "offence_code"]
DESCRIPTION = (
    "An offences extract has one row per offence with the columns "
    "offence_id, pnc_id, offence_date and offence_code."
)


@dataclass(frozen=True, slots=True)
class OffenceGroup:
    key: str
    label: str
    family: str
    neighbourhood_crime: bool


@dataclass(frozen=True)
class OffenceCatalogue:
    """Home Office offence codes → offence groups → families."""

    codes: dict[str, tuple[str, str]]  # code -> (description, offence group)
    groups: dict[str, OffenceGroup]

    def group_of(self, code: str) -> str | None:
        entry = self.codes.get(code.strip().upper())
        return None if entry is None else entry[1]

    @property
    def labels(self) -> dict[str, str]:
        return {key: group.label for key, group in self.groups.items()}

    @property
    def families(self) -> dict[str, str]:
        return {key: group.family for key, group in self.groups.items()}

    def family_order(self) -> list[str]:
        return list(dict.fromkeys(group.family for group in self.groups.values()))


def _data_file(name: str) -> Path:
    return Path(str(resources.files("saferhub.data").joinpath(name)))


@cache
def offence_catalogue() -> OffenceCatalogue:
    """The shipped catalogue of offence codes and groups."""
    groups_file = read_csv_file(_data_file("offence_groups.csv"))
    groups = {}
    for _, (key, label, family, neighbourhood) in groups_file.records:
        groups[key] = OffenceGroup(key, label, family, neighbourhood == "yes")
    codes_file = read_csv_file(_data_file("offence_codes.csv"))
    codes = {
        code.upper(): (description, group) for _, (code, description, group) in codes_file.records
    }
    return OffenceCatalogue(codes, groups)


def read_offences(path: str | Path, name: str | None = None) -> pa.Table:
    """Read and validate an offences extract; raise InputError naming every bad row."""
    catalogue = offence_catalogue()
    extract = read_extract(path, REQUIRED, [], DESCRIPTION, name)
    seen: dict[str, int] = {}
    columns: dict[str, list] = {field.name: [] for field in OFFENCES_SCHEMA}
    for record in extract:
        offence_id = required_text(extract, record, "offence_id")
        pnc_id = required_text(extract, record, "pnc_id")
        offence_date = required_date(extract, record, "offence_date")
        code = required_text(extract, record, "offence_code")
        group = None
        if code is not None:
            group = catalogue.group_of(code)
            if group is None:
                extract.add(
                    record,
                    "offence_code",
                    f"'{code}' is not a Home Office offence code SaferHub knows. "
                    "The codes are listed in docs/formats/offences.md.",
                )
        if offence_id is not None:
            if offence_id in seen:
                extract.add(
                    record,
                    "offence_id",
                    f"'{offence_id}' is already used on row {seen[offence_id]}; "
                    "each offence needs its own id.",
                )
            else:
                seen[offence_id] = record.line
        columns["offence_id"].append(offence_id)
        columns["pnc_id"].append(pnc_id)
        columns["offence_date"].append(offence_date)
        columns["offence_code"].append(code.strip().upper() if code else None)
        columns["offence_group"].append(group)
    extract.problems.raise_if_any()
    return pa.table(columns, schema=OFFENCES_SCHEMA)

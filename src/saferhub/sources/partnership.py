"""Reading a partnership's own record extracts: agencies, users, people and MARAC cases
and actions (the files `saferhub synth` writes, and a partnership exports from its old
system to load).

Each file goes through the one CSV reader (`csvfile.py`): any encoding Excel saves in, a
line number for every row, and every missing column named at once. Values stay text here;
the loader that stores them checks each value and names the row and field it rejects.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from saferhub.errors import ProblemCollector
from saferhub.sources.csvfile import check_columns, read_csv_file

AGENCIES_FILE = "agencies.csv"
USERS_FILE = "users.csv"
PEOPLE_FILE = "people.csv"
MARAC_CASES_FILE = "marac_cases.csv"
MARAC_ACTIONS_FILE = "marac_actions.csv"

COLUMNS = {
    AGENCIES_FILE: ["name", "kind", "programmes"],
    USERS_FILE: ["username", "first_name", "last_name", "agency", "role"],
    PEOPLE_FILE: [
        "person_id",
        "first_name",
        "last_name",
        "aliases",
        "date_of_birth",
        "gender",
        "ethnicity",
        "address",
        "postcode",
        "ward",
        "pnc_id",
        "crn",
    ],
    MARAC_CASES_FILE: [
        "case_id",
        "victim_id",
        "perpetrator_ids",
        "relationships",
        "referral_date",
        "referring_agency",
        "criteria",
        "checklist_score",
        "professional_judgement_reason",
        "incidents_12m",
        "children_ages",
        "victim_lgbt",
        "victim_disabled",
        "safe_to_contact",
        "contact_method",
        "idva_allocated",
        "meeting_date",
        "status",
        "is_repeat",
        "previous_case_id",
    ],
    MARAC_ACTIONS_FILE: [
        "case_id",
        "description",
        "owner_agency",
        "risk_addressed",
        "agreed_date",
        "due_date",
        "status",
        "completed_date",
        "outcome",
    ],
}


@dataclass(frozen=True)
class Row:
    """One record: the line a spreadsheet shows it on, and its values by column."""

    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column]

    def get(self, column: str, default: str = "") -> str:
        return self.values.get(column, default)


def read_rows(path: str | Path, columns: list[str] | None = None) -> list[Row]:
    """Every record of one of the files above, by column; InputError names what is wrong.

    `columns` defaults to the file's own list (by its name); other columns are kept.
    """
    path = Path(path)
    table = read_csv_file(path)
    required = columns if columns is not None else COLUMNS.get(path.name, [])
    problems = ProblemCollector(table.name)
    check_columns(problems, table.header, required, f"See docs/formats for {path.name}.")
    problems.raise_if_any()
    rows = []
    for line, values in table.records:
        if len(values) > len(table.header):
            problems.add(
                line,
                None,
                f"has {len(values)} values but the header names only {len(table.header)} columns.",
            )
            continue
        padded = [*values, *[""] * (len(table.header) - len(values))]
        rows.append(Row(line, dict(zip(table.header, padded, strict=True))))
    problems.raise_if_any()
    return rows

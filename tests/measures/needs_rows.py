"""Hand-built caseload extracts for the needs tests: one `person(...)` per row."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

from saferhub.rules import needs as rules
from saferhub.sources.caseload import ALL_COLUMNS

COLUMNS = [c for c in ALL_COLUMNS if c != "age"]  # dates of birth, unless a test says


def person(
    crn: str,
    *,
    setting: str = "community",
    sentence_type: str | None = None,
    gender: str = "Male",
    ethnicity: str = "White",
    date_of_birth: str = "1990-06-15",
    assessment_date: str | None = "2021-09-01",
    needs: tuple[str, ...] = (),
    registrations: tuple[str, ...] = (),
    tier: str = "B2",
) -> dict[str, str]:
    """One row: assessed (with the given needs yes, the rest no) unless assessment_date is None."""
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        crn=crn,
        setting=setting,
        sentence_type=sentence_type
        or ("community_order" if setting == rules.COMMUNITY else "determinate_custody"),
        gender=gender,
        ethnicity=ethnicity,
        date_of_birth=date_of_birth,
        assessment_date=assessment_date or "",
        tier=tier,
    )
    unknown = set(needs) - {n.code for n in rules.NEEDS}
    unknown |= set(registrations) - {r.code for r in rules.REGISTRATIONS}
    assert not unknown, f"unknown codes in a test: {unknown}"
    for need in rules.NEEDS:
        answer = "yes" if need.code in needs else "no"
        row[rules.need_column(need.code)] = "not assessed" if assessment_date is None else answer
    for registration in rules.REGISTRATIONS:
        row[rules.registration_column(registration.code)] = (
            "yes" if registration.code in registrations else "no"
        )
    return row


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    columns = columns or (list(rows[0]) if rows else list(COLUMNS))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[dict[str, object]], columns: list[str] | None = None) -> Path:
    columns = columns or list(rows[0])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c) for c in columns])
    workbook.save(path)
    return path

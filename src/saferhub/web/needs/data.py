"""Storing a validated caseload, and turning the stored one back into a `Caseload`.

The reader (`saferhub.sources.caseload`) validates a file; `store` keeps what it read,
in one transaction, with one audit event for the import. `stored_caseload` rebuilds the
canonical table, so the page runs the same measures as `saferhub report needs`.
"""

from __future__ import annotations

import pyarrow as pa
from django.db import transaction

from saferhub.rules import needs as rules
from saferhub.sources.caseload import SCHEMA, Caseload, caseload_from_table
from saferhub.web.audit.log import record
from saferhub.web.needs.models import CaseloadEntry, CaseloadExtract
from saferhub.web.people.models import Identifier, IdentifierKind

NEED_CODES = tuple(n.code for n in rules.NEEDS)
REGISTRATION_CODES = tuple(r.code for r in rules.REGISTRATIONS)


@transaction.atomic
def store(caseload: Caseload, *, area: str, loaded_by: str, request=None) -> CaseloadExtract:
    """Keep a validated caseload as the latest extract; earlier extracts are removed."""
    rows = caseload.table.to_pyarrow().to_pylist()
    people = dict(
        Identifier.objects.filter(
            kind=IdentifierKind.CRN, value__in=[r["crn"] for r in rows]
        ).values_list("value", "person_id")
    )
    # Only the latest extract is kept: an older caseload is out of date personal data.
    CaseloadExtract.objects.all().delete()
    extract = CaseloadExtract.objects.create(
        file_name=caseload.source,
        area=area,
        as_of=caseload.as_of,
        as_of_given=caseload.as_of_given,
        people=caseload.people,
        loaded_by=loaded_by,
    )
    CaseloadEntry.objects.bulk_create(
        [
            CaseloadEntry(
                extract=extract,
                person_id=people.get(r["crn"]),
                crn=r["crn"],
                setting=r["setting"],
                sentence_type=r["sentence_type"],
                gender=r["gender"],
                ethnicity=r["ethnicity"],
                date_of_birth=r["date_of_birth"],
                age=r["age"],
                assessment_date=r["assessment_date"],
                needs={c: r[rules.need_column(c)] for c in NEED_CODES},
                registrations={c: r[rules.registration_column(c)] for c in REGISTRATION_CODES},
                tier=r["tier"] or "",
            )
            for r in rows
        ],
        batch_size=2000,
    )
    # bulk_create skips the per-row audit, so the import is one event.
    record(
        request,
        "import",
        extract,
        summary=f"Loaded the caseload extract {caseload.source}: {caseload.people} people",
        detail={"people": caseload.people, "as_of": caseload.as_of.isoformat()},
    )
    return extract


def latest_extract() -> CaseloadExtract | None:
    return CaseloadExtract.objects.order_by("-pk").first()


def stored_caseload(extract: CaseloadExtract) -> Caseload:
    """The stored extract as a caseload the measures can run on."""
    columns: dict[str, list] = {field.name: [] for field in SCHEMA}
    for entry in extract.entries.order_by("pk"):
        columns["crn"].append(entry.crn)
        columns["setting"].append(entry.setting)
        columns["sentence_type"].append(entry.sentence_type)
        columns["gender"].append(entry.gender)
        columns["ethnicity"].append(entry.ethnicity)
        columns["date_of_birth"].append(entry.date_of_birth)
        columns["age"].append(entry.age)
        columns["assessment_date"].append(entry.assessment_date)
        for code in NEED_CODES:
            columns[rules.need_column(code)].append(entry.needs.get(code))
        for code in REGISTRATION_CODES:
            columns[rules.registration_column(code)].append(bool(entry.registrations.get(code)))
        columns["tier"].append(entry.tier or None)
    table = pa.table(columns, schema=SCHEMA)
    return caseload_from_table(
        table, source=extract.file_name, as_of=extract.as_of, as_of_given=extract.as_of_given
    )

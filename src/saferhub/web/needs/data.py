"""Storing a validated caseload, and turning the stored one back into a `Caseload`.

The reader (`saferhub.sources.caseload`) validates a file; `store` keeps what it read,
in one short transaction, with one audit event for the import; `saferhub.app.needs` reads
the stored rows back through Ibis, so the page runs the same measures as `saferhub report
needs`.
"""

from __future__ import annotations

from django.db import connection, transaction

from saferhub.rules import needs as rules
from saferhub.sources.caseload import Caseload
from saferhub.web import bulk_insert
from saferhub.web.audit.log import record, record_delete
from saferhub.web.needs.models import CaseloadEntry, CaseloadExtract
from saferhub.web.people.models import Identifier, IdentifierKind

NEED_CODES = tuple(n.code for n in rules.NEEDS)
REGISTRATION_CODES = tuple(r.code for r in rules.REGISTRATIONS)
# Columns stored as the reader gave them.
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
ENTRY_FIELDS = (*COPIED, "person_id", "needs", "registrations", "tier")


# Rows per query: under SQLite's oldest limit of 999 bound variables, so a lookup or a delete
# for any number of people works on every build, and on PostgreSQL too.
CHUNK = 900


def store(caseload: Caseload, *, area: str, loaded_by: str, request=None) -> CaseloadExtract:
    """Keep a validated caseload as the latest extract; earlier extracts are removed.

    All or nothing: the swap is one transaction. Everything that can be done before it
    (reading the rows, finding each CRN's person, building the entries) is, because on
    SQLite a transaction that writes blocks every other writer, and each page view writes
    its audit event.
    """
    rows = caseload.table.to_pyarrow().to_pylist()
    people = _people_by_crn([r["crn"] for r in rows])
    entries = bulk_insert.prepare(
        CaseloadEntry,
        ENTRY_FIELDS,
        (
            {
                **{name: r[name] for name in COPIED},
                "person_id": people.get(r["crn"]),
                "needs": {c: r[rules.need_column(c)] for c in NEED_CODES},
                "registrations": {c: r[rules.registration_column(c)] for c in REGISTRATION_CODES},
                "tier": r["tier"] or "",
            }
            for r in rows
        ),
    )
    with transaction.atomic():
        # Only the latest extract is kept: an older caseload is out of date personal data.
        _remove_extracts(request)
        extract = CaseloadExtract.objects.create(
            file_name=caseload.source,
            area=area,
            as_of=caseload.as_of,
            as_of_given=caseload.as_of_given,
            people=caseload.people,
            loaded_by=loaded_by,
        )
        bulk_insert.insert(entries, extract_id=extract.pk)
        # The entries skip the per-row audit, so the import is one event.
        record(
            request,
            "import",
            extract,
            summary=f"Loaded the caseload extract {caseload.source}: {caseload.people} people",
            detail={"people": caseload.people, "as_of": caseload.as_of.isoformat()},
        )
    return extract


def _people_by_crn(crns: list[str]) -> dict[str, int]:
    """The person each known CRN belongs to, looked up a chunk at a time."""
    found: dict[str, int] = {}
    for start in range(0, len(crns), CHUNK):
        found.update(
            Identifier.objects.filter(
                kind=IdentifierKind.CRN, value__in=crns[start : start + CHUNK]
            ).values_list("value", "person_id")
        )
    return found


def _remove_extracts(request) -> None:
    """Delete every stored extract and its entries, with one audit event per extract.

    Deleting through the ORM would load every entry and write an audit event for each,
    hundreds of thousands of writes inside the import's transaction; the entries go with
    one statement and the event names how many people were removed.
    """
    for extract in CaseloadExtract.objects.order_by("pk"):
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {CaseloadEntry._meta.db_table} WHERE extract_id = %s",  # noqa: S608
                [extract.pk],
            )
            removed = cursor.rowcount
        record_delete(
            request,
            extract,
            summary=f"Removed the earlier caseload extract {extract}: {removed} people",
            detail={"people": removed},
        )
        extract.delete()


def latest_extract() -> CaseloadExtract | None:
    return CaseloadExtract.objects.order_by("-pk").first()

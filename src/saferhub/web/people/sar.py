"""Subject access: everything held about one person, and who has viewed or changed it.

The export is a ZIP for the data protection officer to review before release: one
readable HTML document per area, `data.json` with the same records in full, and the
audit entries naming the person. Records are found from the model metadata (every row
pointing at the person, and the rows that belong to those, such as an IOM spell's
contacts or a MARAC case's actions), so a new model is included without changing this
module. Other people's details inside a record (a case's other parties) are included as
held; redacting them is the officer's decision, not the software's.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from saferhub.errors import SaferHubError
from saferhub.web.audit.log import record
from saferhub.web.audit.models import AuditEvent, AuditSubject
from saferhub.web.people.linkage_models import DuplicateCandidate, PersonMerge
from saferhub.web.people.merge import person_links
from saferhub.web.people.models import Person
from saferhub.web.versioning import shown

# Which document each app's records go in.
AREAS = {
    "people": ("person", "Person record: details, identifiers, aliases, flags, involvements"),
    "iom": ("iom", "Integrated Offender Management: spells, tiers, contacts and pathways"),
    "panels": ("marac", "MARAC cases where they are the victim or a perpetrator"),
}
OTHER = ("other", "Other records")
_DEPTH = 3


class PersonNotFound(SaferHubError):
    exit_code = 3


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _owned_rows(instance: models.Model, depth: int, seen: set) -> Iterator[models.Model]:
    """Rows that belong to `instance`: removed with it (CASCADE), so part of its record."""
    if depth <= 0:
        return
    for rel in instance._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and rel.one_to_many):
            continue
        if rel.on_delete is not models.CASCADE or rel.related_model is DuplicateCandidate:
            continue
        for child in rel.related_model._base_manager.filter(**{rel.field.name: instance.pk}):
            key = (child._meta.label, child.pk)
            if key not in seen:
                seen.add(key)
                yield child
                yield from _owned_rows(child, depth - 1, seen)


def records_about(person: Person) -> list[models.Model]:
    """The person's own row, every row pointing at them, and the rows those own."""
    found: list[models.Model] = [person]
    seen = {(Person._meta.label, person.pk)}
    for link in person_links():
        for row in link.model._base_manager.filter(**{link.attname: person.pk}):
            key = (row._meta.label, row.pk)
            if key in seen:
                continue
            seen.add(key)
            found.append(row)
            found.extend(_owned_rows(row, _DEPTH, seen))
    found.extend(
        PersonMerge.objects.filter(Q(kept_id=person.pk) | Q(merged_id=person.pk)).order_by("pk")
    )
    return found


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields]


def _as_json(row: models.Model) -> dict:
    return {
        f.name: None if f.value_from_object(row) is None else f.value_to_string(row)
        for f in _fields(type(row))
    }


def audit_trail(person_id: int):
    """Every audit entry naming the person, as its own subject or among a listing's."""
    listed = AuditSubject.objects.filter(person_id=person_id).values("event_id")
    return AuditEvent.objects.filter(Q(person_id=person_id) | Q(pk__in=listed)).order_by("pk")


def _sections(rows: list[models.Model]) -> dict[str, list[Section]]:
    by_model: dict[type, list[models.Model]] = {}
    for row in rows:
        by_model.setdefault(type(row), []).append(row)
    areas: dict[tuple[str, str], list[Section]] = {}
    for model, items in by_model.items():
        names = [f.name for f in _fields(model) if f.name not in ("version",)]
        section = Section(
            title=str(model._meta.verbose_name_plural).capitalize(),
            columns=[str(model._meta.get_field(n).verbose_name).capitalize() for n in names],
            rows=[[shown(item, n) for n in names] for item in items],
        )
        area = AREAS.get(model._meta.app_label, OTHER)
        areas.setdefault(area, []).append(section)
    return areas


def write_sar(person_id: int, *, now: datetime | None = None, request=None) -> bytes:
    """The ZIP for one person; writing it is audited."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        merged = PersonMerge.objects.filter(merged_id=person_id, undone_at__isnull=True).first()
        hint = (
            f"That record was merged into person {merged.kept_id}; ask for that person."
            if merged
            else "Check the person's number on their record page."
        )
        raise PersonNotFound(f"No person with number {person_id} is recorded.", hint)
    now = now or timezone.now()
    rows = records_about(person)
    trail = list(audit_trail(person.pk))
    areas = _sections(rows)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        index = []
        for number, ((slug, area), sections) in enumerate(areas.items(), start=1):
            name = f"{number:02d}-{slug}.html"
            index.append((name, area))
            archive.writestr(
                name,
                render_to_string(
                    "people/sar/area.html",
                    {"title": area, "person": person, "sections": sections, "now": now},
                ),
            )
        audit_rows = [
            [f"{e.at:%d %B %Y %H:%M}", e.username, e.agency, e.get_action_display(), e.summary]
            for e in trail
        ]
        archive.writestr(
            "audit.html",
            render_to_string(
                "people/sar/area.html",
                {
                    "title": "Who viewed or changed this record",
                    "person": person,
                    "now": now,
                    "sections": [
                        Section(
                            "Audit log entries naming this person",
                            ["When", "Who", "Agency", "What", "Summary"],
                            audit_rows,
                        )
                    ],
                },
            ),
        )
        index.append(("audit.html", "Who viewed or changed this record"))
        data = {
            "person_id": person.pk,
            "written_at": now.isoformat(),
            "records": [
                {"type": row._meta.label, "id": row.pk, "fields": _as_json(row)} for row in rows
            ],
            "audit": [
                {
                    "at": e.at.isoformat(),
                    "user": e.username,
                    "agency": e.agency,
                    "action": e.action,
                    "object_type": e.object_type,
                    "object_id": e.object_id,
                    "summary": e.summary,
                }
                for e in trail
            ],
        }
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr(
            "index.html",
            render_to_string(
                "people/sar/index.html", {"person": person, "documents": index, "now": now}
            ),
        )
    record(
        request,
        "export",
        person,
        summary="Wrote a subject access export",
        detail={"records": len(rows), "audit_entries": len(trail)},
    )
    return buffer.getvalue()

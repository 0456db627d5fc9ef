"""A listing's audit subjects go in with one INSERT (a 50-case agenda no longer makes 50
round trips), and that faster path still cannot change or replace a subject row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saferhub.web.audit.log import record
from saferhub.web.audit.models import AppendOnlyError, AuditSubject

pytestmark = pytest.mark.django_db


def test_a_listing_of_50_people_writes_its_subjects_in_one_statement():
    with CaptureQueriesContext(connection) as queries:
        event = record(None, "view", summary="Viewed an agenda", person_ids=range(1, 51))
    inserts = [
        q for q in queries.captured_queries if 'INSERT INTO "audit_auditsubject"' in q["sql"]
    ]
    assert len(inserts) == 1
    assert event.subjects.count() == 50


def test_the_bulk_path_refuses_an_upsert_and_rows_already_saved():
    event = record(None, "view", summary="Viewed a list", person_ids=[1, 2])
    with pytest.raises(AppendOnlyError):
        AuditSubject.objects.bulk_create(
            [AuditSubject(event=event, person_id=1)],
            update_conflicts=True,
            unique_fields=["event", "person_id"],
            update_fields=["person_id"],
        )
    saved = list(event.subjects.all())
    with pytest.raises(AppendOnlyError):
        AuditSubject.objects.bulk_create(saved)
    assert sorted(event.subjects.values_list("person_id", flat=True)) == [1, 2]

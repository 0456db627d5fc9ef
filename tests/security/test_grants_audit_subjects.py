"""The people a listing named are kept as audit subjects, one row each, and those rows are
as append-only as the events themselves."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from saferhub.web.audit.log import record
from saferhub.web.audit.models import AppendOnlyError, AuditSubject

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed():
    event = record(None, "view", summary="Viewed a list", person_ids=[3, 1, 2, 3])
    return event


def test_a_listing_event_names_each_person_once_in_detail_and_as_subjects(listed):
    assert listed.detail["person_ids"] == [1, 2, 3]
    assert sorted(listed.subjects.values_list("person_id", flat=True)) == [1, 2, 3]


def test_subjects_cannot_be_changed_or_removed_by_the_application(listed):
    subject = listed.subjects.first()
    subject.person_id = 99
    with pytest.raises(AppendOnlyError):
        subject.save()
    with pytest.raises(AppendOnlyError):
        subject.delete()
    with pytest.raises(AppendOnlyError):
        AuditSubject.objects.filter(event=listed).update(person_id=99)
    with pytest.raises(AppendOnlyError):
        AuditSubject.objects.filter(event=listed).delete()


def test_the_database_refuses_to_rewrite_a_subject(listed):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditsubject SET person_id = 99")
    assert sorted(listed.subjects.values_list("person_id", flat=True)) == [1, 2, 3]

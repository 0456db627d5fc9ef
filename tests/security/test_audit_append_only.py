"""Finding: the audit log could be wiped through Django's internals or raw SQL.

Every manager, queryset path and Django's deletion collector now refuse, and the database
itself refuses a raw UPDATE or DELETE on both engines.
"""

from __future__ import annotations

import pytest
from django.contrib.admin.utils import NestedObjects
from django.db import DatabaseError, connection, models, transaction
from django.db.models.deletion import Collector

from saferhub.web.audit.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return AuditEvent.objects.create(username="someone", action="view", summary="Viewed a record")


@pytest.mark.parametrize(
    "wipe",
    [
        lambda: AuditEvent._base_manager.all().delete(),
        lambda: AuditEvent._default_manager.all().delete(),
        lambda: AuditEvent._base_manager.all()._raw_delete(AuditEvent._base_manager.db),
        lambda: AuditEvent.objects.filter(username="someone")._raw_delete("default"),
        lambda: AuditEvent._base_manager.update(summary="tampered"),
        lambda: AuditEvent._base_manager.all()._update({"summary": "tampered"}),
        lambda: AuditEvent.objects.bulk_update(list(AuditEvent.objects.all()), ["summary"]),
    ],
    ids=[
        "base-manager-delete",
        "default-manager-delete",
        "base-manager-raw-delete",
        "queryset-raw-delete",
        "base-manager-update",
        "queryset-private-update",
        "bulk-update",
    ],
)
def test_no_manager_or_queryset_can_change_or_delete_entries(event, wipe):
    with pytest.raises(AppendOnlyError):
        wipe()
    assert AuditEvent.objects.get(pk=event.pk).summary == "Viewed a record"


def test_djangos_deletion_collector_refuses(event):
    # Each attempt in its own savepoint: the collector's refusal breaks the transaction it is in.
    collector = Collector(using="default")
    with pytest.raises(AppendOnlyError), transaction.atomic():
        collector.collect([event])
        collector.delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        models.Model.delete(event)
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    # The admin's "what would be deleted" walk must not be a way round either.
    NestedObjects(using="default").collect([event])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_saving_past_the_model_is_refused(event):
    event.summary = "tampered"
    with pytest.raises(AppendOnlyError):
        models.Model.save(event)
    unsealed = AuditEvent(username="someone", action="view")
    with pytest.raises(AppendOnlyError):
        models.Model.save(unsealed)


def test_the_base_querysets_raw_delete_is_refused_by_the_database(event):
    # Called on Django's own QuerySet class, past our queryset: only the database can stop it.
    with pytest.raises(DatabaseError), transaction.atomic():
        models.QuerySet._raw_delete(AuditEvent._base_manager.all(), "default")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM audit_auditevent",
        "DELETE FROM audit_auditevent WHERE id = %s",
        "UPDATE audit_auditevent SET summary = 'tampered' WHERE id = %s",
        "UPDATE audit_auditevent SET at = at",
    ],
)
def test_the_database_refuses_raw_delete_and_update(event, statement):
    params = [event.pk] if "%s" in statement else []
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
    assert AuditEvent.objects.get(pk=event.pk).summary == "Viewed a record"

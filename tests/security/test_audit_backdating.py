"""Finding: an entry could be inserted with any date, so a forged entry could be backdated.

The time of an entry is now set from the database clock when it is written; the model
refuses a caller's time, and the database refuses an insert dated before the latest
entry or away from its own clock.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from saferhub.web.audit.chain import entry_hash
from saferhub.web.audit.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db


def _raw_insert(at: dt.datetime, prev_hash: str) -> None:
    fields = {
        "at": at,
        "user_id": None,
        "username": "forger",
        "agency": "",
        "ip_address": None,
        "action": "view",
        "object_type": "",
        "object_id": "",
        "person_id": None,
        "summary": "Forged",
        "detail": {},
    }
    digest = entry_hash(fields, prev_hash)
    stored_at = at if connection.vendor == "postgresql" else at.replace(tzinfo=None)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (at, username, agency, action, object_type, object_id,"
            " summary, detail, prev_hash, hash) VALUES (%s, 'forger', '', 'view', '', '',"
            " 'Forged', '{}', %s, %s)",
            [stored_at, prev_hash, digest],
        )


def test_the_time_of_an_entry_is_set_when_it_is_written():
    before = timezone.now()
    event = AuditEvent.objects.create(username="someone", action="view")
    assert before - dt.timedelta(seconds=5) <= event.at <= timezone.now() + dt.timedelta(seconds=5)


def test_the_model_refuses_a_backdated_entry():
    with pytest.raises(AppendOnlyError, match="set by the database"):
        AuditEvent.objects.create(
            username="forger", action="view", at=timezone.now() - dt.timedelta(days=30)
        )
    assert not AuditEvent.objects.filter(username="forger").exists()


def test_the_database_refuses_a_raw_insert_dated_before_the_latest_entry():
    latest = AuditEvent.objects.create(username="someone", action="view")
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw_insert(latest.at - dt.timedelta(milliseconds=1), latest.hash)
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw_insert(timezone.now() - dt.timedelta(days=30), latest.hash)
    assert not AuditEvent.objects.filter(username="forger").exists()


def test_the_database_refuses_a_raw_insert_that_skips_the_chain():
    latest = AuditEvent.objects.create(username="someone", action="view")
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw_insert(timezone.now(), "f" * 64)
    # A correctly linked, correctly dated insert is an ordinary append, and is accepted.
    _raw_insert(timezone.now(), latest.hash)
    assert AuditEvent.objects.filter(username="forger").count() == 1

"""The audit log is append-only, and administrators can read and filter it."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction

from saferhub.web.accounts.models import Role
from saferhub.web.audit.models import AppendOnlyError, AuditEvent
from saferhub.web.people import edits
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return AuditEvent.objects.create(username="someone", action="view", summary="Viewed a record")


def test_an_entry_cannot_be_changed_through_the_model(event):
    event.summary = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_an_entry_cannot_be_deleted_through_the_model_or_a_queryset(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="tampered")


def test_the_database_refuses_an_update_even_in_raw_sql(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET summary = 'tampered' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == "Viewed a record"


def test_every_write_a_service_makes_is_audited():
    agency = AgencyFactory()
    person = edits.record_person(
        agency=agency,
        today=date(2024, 5, 1),
        first_name="Ada",
        last_name="Okoro",
        date_of_birth=None,
        gender="F",
        ethnicity="NS",
        address="",
        postcode="",
        ward="",
    )
    edits.change_person(
        person=person,
        version=person.version,
        **{**_details(person), "ward": "Hendon"},
    )
    actions = list(
        AuditEvent.objects.filter(person_id=person.pk)
        .order_by("id")
        .values_list("object_type", "action")
    )
    assert actions == [
        ("people.Person", "create"),
        ("people.Involvement", "create"),
        ("people.Person", "update"),
    ]


def _details(person) -> dict:
    names = ["first_name", "last_name", "date_of_birth", "gender", "ethnicity", "address"]
    return {name: getattr(person, name) for name in [*names, "postcode", "ward"]}


def test_administrator_filters_the_log_by_user_and_action(client):
    AuditEvent.objects.create(username="alice", action="view", summary="Viewed A")
    AuditEvent.objects.create(username="bob", action="view", summary="Viewed B")
    AuditEvent.objects.create(username="alice", action="search", summary="Searched C")
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = client.get("/audit/", {"username": "alice", "action": "view"}).content.decode()
    assert "Viewed A" in page and "Viewed B" not in page and "Searched C" not in page


def test_no_route_offers_to_change_the_log():
    from django.urls import get_resolver

    audit_routes = [p for p in get_resolver().url_patterns if "audit" in str(p.pattern)]
    names = [p.name for r in audit_routes for p in getattr(r, "url_patterns", [r])]
    assert names == ["log"]


def test_signing_in_and_failing_to_are_audited(client):
    UserFactory(username="casey")
    client.post("/accounts/sign-in/", {"username": "casey", "password": "wrong"})
    client.post(
        "/accounts/sign-in/", {"username": "casey", "password": "correct horse battery staple"}
    )
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["sign-in-failed", "sign-in"]

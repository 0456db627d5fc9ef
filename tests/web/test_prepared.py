"""Prepared reads return what their queryset would, bind each call's values, and refuse
querysets whose SQL could not be kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saferhub.web.accounts.sessions import SessionStore
from saferhub.web.audit.models import AuditEvent
from saferhub.web.audit.verification import verify_log
from saferhub.web.people.models import Flag, Person
from saferhub.web.prepared import Prepared, PreparedReadError, fill_related
from tests.factories import AgencyFactory, FlagFactory, PersonFactory

pytestmark = pytest.mark.django_db

FLAGS = Prepared(
    lambda person_id: Flag.objects.select_related("recorded_by").filter(person_id=person_id),
    [("person_id", int)],
)
NAMES = Prepared(
    lambda surname: Person.objects.filter(last_name=surname).values("first_name", "last_name"),
    [("surname", str)],
)


def test_a_prepared_read_returns_what_its_queryset_returns_for_each_value():
    recorder = AgencyFactory()
    first, second = PersonFactory(), PersonFactory()
    FlagFactory.create_batch(2, person=first, recorded_by=recorder)
    FlagFactory(person=second, recorded_by=recorder)

    for person in (first, second, first):
        expected = list(Flag.objects.select_related("recorded_by").filter(person=person))
        found = FLAGS(person_id=person.pk)
        assert [f.pk for f in found] == [f.pk for f in expected]
        assert [f.kind for f in found] == [f.kind for f in expected]
    assert FLAGS(person_id=10**9) == []


def test_select_related_rows_come_with_their_related_object_without_a_query():
    recorder = AgencyFactory()
    person = PersonFactory()
    FlagFactory(person=person, recorded_by=recorder)
    [flag] = FLAGS(person_id=person.pk)
    with CaptureQueriesContext(connection) as queries:
        assert flag.recorded_by.pk == recorder.pk
    assert len(queries) == 0


def test_a_values_read_with_a_text_slot_binds_the_text():
    PersonFactory(first_name="Ada", last_name="Okafor")
    PersonFactory(first_name="Ben", last_name="Okafor")
    PersonFactory(first_name="Cal", last_name="Smith")
    assert sorted(row["first_name"] for row in NAMES(surname="Okafor")) == ["Ada", "Ben"]
    assert [row["first_name"] for row in NAMES(surname="Smith")] == ["Cal"]
    assert NAMES.first(surname="Nobody") is None


def test_a_slot_must_reach_the_sql_as_a_parameter():
    wrapped = Prepared(
        lambda surname: Person.objects.filter(last_name__icontains=surname), [("surname", str)]
    )
    with pytest.raises(PreparedReadError, match="surname"):
        wrapped(surname="Okafor")


def test_values_of_the_wrong_kind_or_name_are_refused():
    with pytest.raises(TypeError):
        FLAGS(person_id="1")
    with pytest.raises(TypeError):
        FLAGS(person_id=True)
    with pytest.raises(TypeError):
        FLAGS(person=1)
    with pytest.raises(PreparedReadError):
        Prepared(lambda on: Flag.objects.filter(start=on), [("on", object)])


def test_fill_related_answers_the_relation_and_the_way_back_without_a_query():
    person = PersonFactory()
    FlagFactory.create_batch(2, person=person)
    loaded = Person.objects.get(pk=person.pk)
    fill_related(loaded, "flags", FLAGS(person_id=person.pk))
    with CaptureQueriesContext(connection) as queries:
        flags = list(loaded.flags.all())
        assert all(flag.person is loaded for flag in flags)
    assert len(flags) == 2
    assert len(queries) == 0


def test_the_session_store_finds_a_live_session_and_not_an_expired_one():
    live = SessionStore()
    live["colour"] = "green"
    live.create()
    assert SessionStore(session_key=live.session_key)["colour"] == "green"

    Session.objects.filter(session_key=live.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(session_key=live.session_key)
    assert expired.get("colour") is None
    assert expired.session_key is None


def test_audit_entries_written_through_the_prepared_insert_keep_every_field_and_the_chain():
    first = AuditEvent.objects.create(
        username="a", action="view", person_id=5, summary="one", detail={"n": 1}
    )
    second = AuditEvent.objects.create(
        username="b", action="view", ip_address="127.0.0.1", summary="two", detail={"n": 2}
    )
    assert first.pk is not None and second.pk > first.pk
    stored = AuditEvent.objects.get(pk=second.pk)
    assert (stored.username, stored.ip_address, stored.summary, stored.detail) == (
        "b",
        "127.0.0.1",
        "two",
        {"n": 2},
    )
    assert stored.prev_hash == AuditEvent.objects.get(pk=first.pk).hash
    verdict = verify_log()
    assert verdict.intact and verdict.checked >= 2

"""The compare-and-swap under every versioned write: versions start at 1 and go up by one,
a stale write changes nothing, raises StaleRecord naming each differing field, and a
versioned write is still audited (it goes through save(), not a bare queryset update).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from saferhub.web.audit.models import AuditEvent
from saferhub.web.iom.models import IomSettings, Membership, PathwayReferral
from saferhub.web.panels.models import Action, Attendance, Case, Meeting, Research
from saferhub.web.people.models import Flag, Person
from saferhub.web.versioning import StaleRecord, Versioned, compare_and_swap
from tests.factories import PersonFactory
from tests.factories_panels import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        Person,
        Flag,
        Membership,
        PathwayReferral,
        IomSettings,
        Case,
        Meeting,
        Action,
        Research,
        Attendance,
    ],
)
def test_every_editable_record_carries_a_version(model):
    assert issubclass(model, Versioned)
    assert model._meta.get_field("version").default == 1


def test_a_new_record_is_version_1_and_each_save_adds_one():
    person = PersonFactory()
    assert Person.objects.get(pk=person.pk).version == 1
    compare_and_swap(person, version=1, ward="Burnt Oak")
    compare_and_swap(person, version=2, ward="Hendon")
    stored = Person.objects.get(pk=person.pk)
    assert (stored.version, stored.ward) == (3, "Hendon")


def test_a_stale_swap_changes_nothing_and_names_what_differs():
    person = PersonFactory(ward="Colindale South", address="1 High Street")
    compare_and_swap(person, version=1, ward="Burnt Oak")
    stale = Person.objects.get(pk=person.pk)
    with pytest.raises(StaleRecord) as refused:
        compare_and_swap(stale, version=1, ward="Hendon", address="1 High Street")
    changes = {c.field: (c.label, c.yours, c.current) for c in refused.value.changes}
    assert changes == {"ward": ("Ward", "Hendon", "Burnt Oak")}
    assert refused.value.current_version == 2
    stored = Person.objects.get(pk=person.pk)
    assert (stored.version, stored.ward) == (2, "Burnt Oak")


def test_a_plain_save_of_a_stale_copy_is_refused_too():
    """No write path skips the check: save() itself swaps on the version it was loaded at."""
    meeting = MeetingFactory(date=date(2024, 5, 1))
    first, second = Meeting.objects.get(pk=meeting.pk), Meeting.objects.get(pk=meeting.pk)
    first.minutes = "First"
    first.save()
    second.minutes = "Second"
    with pytest.raises(StaleRecord), transaction.atomic():
        second.save()
    assert Meeting.objects.get(pk=meeting.pk).minutes == "First"


def test_a_versioned_write_is_audited_and_a_refused_one_is_not():
    person = PersonFactory()
    audited = AuditEvent.objects.filter(
        action="update", object_type="people.Person", object_id=str(person.pk)
    )
    compare_and_swap(person, version=1, ward="Burnt Oak")
    assert audited.count() == 1
    assert audited.get().detail["changes"]["ward"][1] == "Burnt Oak"
    with pytest.raises(StaleRecord):
        compare_and_swap(Person.objects.get(pk=person.pk), version=1, ward="Hendon")
    assert audited.count() == 1

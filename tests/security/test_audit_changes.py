"""Finding: an update recorded only which fields changed, not what they were before.

An update of personal data records each changed field's old and new value, as JSON
(dates as ISO strings), so a wrongful change can be seen and put right. The services
record it through `saferhub.web.audit.log` (no signals any more).
"""

from __future__ import annotations

import datetime as dt

import pytest

from saferhub.web.audit.log import recording_change
from saferhub.web.audit.models import AuditEvent
from saferhub.web.people import edits
from tests.factories import AgencyFactory, InvolvementFactory, PersonFactory

pytestmark = pytest.mark.django_db

DETAILS = [
    "first_name",
    "last_name",
    "date_of_birth",
    "gender",
    "ethnicity",
    "address",
    "postcode",
    "ward",
]


def _last_update(obj) -> dict:
    event = AuditEvent.objects.filter(
        action="update", object_type=obj._meta.label, object_id=str(obj.pk)
    ).latest("id")
    return event.detail


def _change(person, **changes):
    values = {name: getattr(person, name) for name in DETAILS}
    return edits.change_person(person=person, version=person.version, **{**values, **changes})


def test_an_update_records_old_and_new_values_of_changed_fields_only():
    person = PersonFactory(last_name="Okoro", ward="Hendon", date_of_birth=dt.date(1990, 5, 1))
    _change(person, ward="Colindale South", date_of_birth=dt.date(1991, 5, 1))
    assert _last_update(person) == {
        "changes": {
            "ward": ["Hendon", "Colindale South"],
            "date_of_birth": ["1990-05-01", "1991-05-01"],
        }
    }


def test_the_fields_named_limit_what_is_compared_and_foreign_keys_record_ids():
    involvement = InvolvementFactory(reason="Case managed")
    old_agency = involvement.agency_id
    with recording_change(involvement, fields=["agency"]):
        involvement.agency = AgencyFactory()
        involvement.reason = "Not saved"
        involvement.save(update_fields=["agency"])
    assert _last_update(involvement) == {"changes": {"agency": [old_agency, involvement.agency_id]}}


def test_the_old_value_is_what_was_saved_not_what_the_instance_held():
    person = PersonFactory(ward="Hendon")
    person.ward = "Edited in memory, never saved"
    with recording_change(person, fields=["ward"]):
        person.ward = "Burnt Oak"
        person.save(update_fields=["ward"])
    assert _last_update(person) == {"changes": {"ward": ["Hendon", "Burnt Oak"]}}


def test_a_save_that_changes_nothing_records_no_changes():
    person = PersonFactory()
    _change(person)
    assert _last_update(person) == {"changes": {}}

"""Finding: an update recorded only which fields changed, not what they were before.

An update of personal data now records each changed field's old and new value, as JSON
(dates as ISO strings), so a wrongful change can be seen and put right.
"""

from __future__ import annotations

import datetime as dt

import pytest

from saferhub.web.audit.models import AuditEvent
from tests.factories import AgencyFactory, InvolvementFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _last_update(obj) -> dict:
    event = AuditEvent.objects.filter(
        action="update", object_type=obj._meta.label, object_id=str(obj.pk)
    ).latest("id")
    return event.detail


def test_an_update_records_old_and_new_values_of_changed_fields_only():
    person = PersonFactory(last_name="Okoro", ward="Hendon", date_of_birth=dt.date(1990, 5, 1))
    person.ward = "Colindale South"
    person.date_of_birth = dt.date(1991, 5, 1)
    person.save()
    assert _last_update(person) == {
        "changes": {
            "ward": ["Hendon", "Colindale South"],
            "date_of_birth": ["1990-05-01", "1991-05-01"],
        }
    }


def test_update_fields_limits_what_is_compared_and_foreign_keys_record_ids():
    involvement = InvolvementFactory(reason="Case managed")
    old_agency = involvement.agency_id
    involvement.agency = AgencyFactory()
    involvement.reason = "Not saved"
    involvement.save(update_fields=["agency"])
    assert _last_update(involvement) == {"changes": {"agency": [old_agency, involvement.agency_id]}}


def test_a_save_that_changes_nothing_records_no_changes():
    person = PersonFactory()
    person.save()
    assert _last_update(person) == {"changes": {}}

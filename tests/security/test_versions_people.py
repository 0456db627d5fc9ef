"""No lost updates on a person's record: a stale details or flag form is refused, names
what changed, keeps the user's entries, and overwrites nothing.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from saferhub.web.accounts.models import Role
from tests.factories import (
    AgencyFactory,
    FlagFactory,
    InvolvementFactory,
    PersonFactory,
    UserFactory,
)
from tests.security.stale_forms import loaded, page_text, updates_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def probation():
    return AgencyFactory(name="Probation", kind="probation")


@pytest.fixture
def person(probation):
    someone = PersonFactory(
        first_name="Jordan", last_name="Mensah", address="1 High Street", ward="Colindale South"
    )
    InvolvementFactory(person=someone, agency=probation)
    return someone


def signed_in(agency, name) -> Client:
    client = Client()
    client.force_login(UserFactory(username=name, agency=agency, role=Role.PRACTITIONER))
    return client


def details(person, **changes) -> dict:
    values = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth": person.date_of_birth.isoformat(),
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "address": person.address,
        "postcode": person.postcode,
        "ward": person.ward,
    }
    return values | changes


def test_a_stale_details_form_is_refused_and_the_first_change_is_kept(probation, person):
    alice, bob = signed_in(probation, "alice"), signed_in(probation, "bob")
    url = f"/people/{person.pk}/edit/"
    alices_page, bobs_page = loaded(alice, url), loaded(bob, url)
    moved = alice.post(url, {**alices_page, **details(person, address="9 New Road")})
    assert moved.status_code == 302

    second = bob.post(url, {**bobs_page, **details(person, ward="Burnt Oak")})

    text = page_text(second)
    assert "Someone else changed this record" in text
    assert "Address: your value “1 High Street” → value saved now “9 New Road”" in text
    assert 'value="Burnt Oak"' in text  # Bob's entry is kept in the form
    person.refresh_from_db()
    assert (person.address, person.ward) == ("9 New Road", "Colindale South")
    assert updates_of(person) == 1


def test_a_stale_flag_form_cannot_reopen_an_ended_flag(probation, person):
    flag = FlagFactory(person=person, start=date(2022, 4, 1), notes="")
    alice, bob = signed_in(probation, "alice"), signed_in(probation, "bob")
    url = f"/people/{person.pk}/flags/{flag.pk}/"
    alices_page, bobs_page = loaded(alice, url), loaded(bob, url)
    common = {"kind": "iom", "start": "2022-04-01"}
    alice.post(url, {**alices_page, **common, "end": "2024-03-31", "notes": "Left the cohort"})

    second = bob.post(url, {**bobs_page, **common, "end": "", "notes": "Still managed"})

    text = page_text(second)
    assert "End: your value “(blank)” → value saved now “31 March 2024”" in text
    flag.refresh_from_db()
    assert (flag.end, flag.notes) == (date(2024, 3, 31), "Left the cohort")


def test_a_form_without_its_version_is_refused_with_a_reload_hint(probation, person):
    alice = signed_in(probation, "alice")
    response = alice.post(f"/people/{person.pk}/edit/", details(person, ward="Burnt Oak"))
    assert "Reload the page and try again" in page_text(response)
    person.refresh_from_db()
    assert person.ward == "Colindale South"

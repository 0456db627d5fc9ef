"""Person search and records through the test client, as real roles, with need-to-know."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.audit.models import AuditEvent
from saferhub.web.people.access import visible_people
from saferhub.web.people.models import Person
from tests.factories import (
    AgencyFactory,
    FlagFactory,
    IdentifierFactory,
    InvolvementFactory,
    PersonFactory,
    ShareFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def probation():
    return AgencyFactory(name="Probation Service – Barnet", kind=AgencyKind.PROBATION)


@pytest.fixture
def police():
    return AgencyFactory(name="Metropolitan Police", kind=AgencyKind.POLICE)


@pytest.fixture
def supervised(probation):
    person = PersonFactory(first_name="Jordan", last_name="Mensah", date_of_birth=date(1996, 3, 14))
    InvolvementFactory(person=person, agency=probation)
    IdentifierFactory(person=person, kind="crn", value="X123456")
    FlagFactory(person=person, kind="mappa", mappa_category=2, mappa_level=1)
    FlagFactory(person=person, kind="weapons")
    return person


def test_practitioner_finds_a_person_their_agency_works_with(client, probation, supervised):
    client.force_login(UserFactory(agency=probation, role=Role.PRACTITIONER))
    response = client.get("/people/", {"q": "Mensah"})
    assert response.status_code == 200
    assert "MENSAH, Jordan" in response.content.decode()


@pytest.mark.parametrize("query", ["X123456", "1996-03-14", "14/03/1996", "jordan mensah"])
def test_search_by_identifier_date_of_birth_or_full_name(client, probation, supervised, query):
    client.force_login(UserFactory(agency=probation, role=Role.VIEWER))
    assert "MENSAH, Jordan" in client.get("/people/", {"q": query}).content.decode()


def test_search_hides_people_from_an_uninvolved_agency(client, police, supervised):
    client.force_login(UserFactory(agency=police, role=Role.PRACTITIONER))
    page = client.get("/people/", {"q": "Mensah"}).content.decode()
    assert "MENSAH" not in page
    assert "0 people found" in page


def test_record_shows_current_flags_and_is_audited(client, probation, supervised):
    user = UserFactory(agency=probation, role=Role.PRACTITIONER)
    client.force_login(user)
    page = client.get(f"/people/{supervised.pk}/").content.decode()
    assert "MAPPA cat 2 level 1" in page and "Weapons" in page
    event = AuditEvent.objects.filter(action="view", person_id=supervised.pk).get()
    assert event.username == user.username and event.agency == probation.name
    assert event.ip_address == "127.0.0.1"


def test_uninvolved_agency_gets_not_found_and_the_refusal_is_audited(client, police, supervised):
    client.force_login(UserFactory(agency=police, role=Role.PRACTITIONER, username="pc"))
    assert client.get(f"/people/{supervised.pk}/").status_code == 404
    assert AuditEvent.objects.filter(
        action="denied", person_id=supervised.pk, username="pc"
    ).exists()
    assert not AuditEvent.objects.filter(action="view", person_id=supervised.pk).exists()


def test_ended_involvement_no_longer_gives_sight(client, police):
    person = PersonFactory()
    yesterday = timezone.localdate() - timedelta(days=1)
    InvolvementFactory(person=person, agency=police, start=date(2020, 1, 1), end=yesterday)
    client.force_login(UserFactory(agency=police))
    assert client.get(f"/people/{person.pk}/").status_code == 404


def test_a_current_share_gives_sight_and_an_expired_one_does_not(
    client, police, probation, supervised
):
    today = timezone.localdate()
    share = ShareFactory(
        person=supervised,
        agency=police,
        start=today - timedelta(days=5),
        end=today + timedelta(days=5),
    )
    client.force_login(UserFactory(agency=police))
    assert client.get(f"/people/{supervised.pk}/").status_code == 200
    share.end = today - timedelta(days=1)
    share.save()
    assert client.get(f"/people/{supervised.pk}/").status_code == 404


def test_administrator_sees_everyone(client, supervised):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    assert client.get(f"/people/{supervised.pk}/").status_code == 200


def test_creating_a_person_involves_the_creating_agency_and_audits_the_write(client, probation):
    client.force_login(UserFactory(agency=probation, role=Role.PRACTITIONER))
    response = client.post(
        "/people/new/",
        {
            "first_name": "Ava",
            "last_name": "Clarke",
            "date_of_birth": "1990-01-02",
            "gender": "F",
            "ethnicity": "W1",
        },
    )
    person = Person.objects.get(last_name="Clarke")
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    assert person.involvements.get().agency == probation
    assert AuditEvent.objects.filter(
        action="create", object_type="people.Person", person_id=person.pk
    ).exists()
    assert AuditEvent.objects.filter(
        action="create", object_type="people.Involvement", person_id=person.pk
    ).exists()


def test_a_duplicate_person_is_refused_with_a_clear_error(client, probation, supervised):
    client.force_login(UserFactory(agency=probation, role=Role.PRACTITIONER))
    response = client.post(
        "/people/new/",
        {
            "first_name": "jordan",
            "last_name": "MENSAH",
            "date_of_birth": "1996-03-14",
            "gender": "M",
            "ethnicity": "B1",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Person.objects.filter(last_name__iexact="mensah").count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {
                "first_name": "A",
                "last_name": "B",
                "date_of_birth": "2999-01-01",
                "gender": "M",
                "ethnicity": "W1",
            },
            "date_of_birth",
            "must be in the past",
        ),
        (
            {"first_name": "", "last_name": "B", "gender": "M", "ethnicity": "W1"},
            "first_name",
            "This field is required",
        ),
        (
            {
                "first_name": "A",
                "last_name": "B",
                "date_of_birth": "31/02/2000",
                "gender": "M",
                "ethnicity": "W1",
            },
            "date_of_birth",
            "must be a real date",
        ),
    ],
)
def test_bad_person_input_gets_a_field_level_error(client, probation, data, field, message):
    client.force_login(UserFactory(agency=probation, role=Role.PRACTITIONER))
    response = client.post("/people/new/", data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not Person.objects.exists()


def test_share_needs_a_reason_and_an_end_within_90_days(client, probation, police, supervised):
    client.force_login(UserFactory(agency=probation, role=Role.COORDINATOR))
    response = client.post(
        f"/people/{supervised.pk}/shares/new/",
        {"agency": police.pk, "reason": " ", "start": "2024-01-01", "end": "2024-12-31"},
    )
    errors = response.context["form"].errors
    assert "reason" in errors
    response = client.post(
        f"/people/{supervised.pk}/shares/new/",
        {"agency": police.pk, "reason": "Joint visit", "start": "2024-01-01", "end": "2024-12-31"},
    )
    assert "at most 90 days" in response.context["form"].errors["end"][0]


def test_visible_people_query_matches_the_pure_rule(probation, police, supervised):
    from saferhub.web.people.access import can_see

    other = PersonFactory()
    InvolvementFactory(person=other, agency=police)
    # Requests waiting or refused give no sight, in the query as in the rule.
    waiting, refused = PersonFactory(), PersonFactory()
    InvolvementFactory(person=waiting, agency=probation, status="requested")
    InvolvementFactory(person=refused, agency=police, status="refused")
    for user in (
        UserFactory(agency=probation),
        UserFactory(agency=police),
        UserFactory(role=Role.ADMINISTRATOR),
    ):
        by_query = set(visible_people(user).values_list("pk", flat=True))
        by_rule = {p.pk for p in Person.objects.all() if can_see(user, p)}
        assert by_query == by_rule

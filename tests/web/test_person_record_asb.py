"""ASB events on the person record: only for agencies working the case, and the other
people in the case named only when the viewer may see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from saferhub.web.accounts.models import AgencyKind, Role
from tests.factories import AgencyFactory, InvolvementFactory, PersonFactory, UserFactory
from tests.factories_asb import (
    AsbCaseFactory,
    CaseAgencyFactory,
    ComplainantFactory,
    IncidentFactory,
    RespondentFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def world():
    council = AgencyFactory(
        name="Council ASB team", kind=AgencyKind.COMMUNITY_SAFETY, programmes=["asb"]
    )
    housing = AgencyFactory(name="Housing", kind=AgencyKind.HOUSING, programmes=["asb"])
    ryan = PersonFactory(first_name="Ryan", last_name="Cole")
    jo = PersonFactory(first_name="Jo", last_name="Baxter")
    for agency in (council, housing):
        InvolvementFactory(person=ryan, agency=agency)
    InvolvementFactory(person=jo, agency=council)
    case = AsbCaseFactory(
        reference="ASB000321", lead_agency=council, opened_on=TODAY - timedelta(days=40)
    )
    CaseAgencyFactory(case=case, agency=council, since=case.opened_on)
    RespondentFactory(case=case, person=ryan)
    complainant = ComplainantFactory(case=case, person=jo)
    IncidentFactory(
        case=case,
        complainant=complainant,
        occurred_on=TODAY - timedelta(days=10),
        reported_on=TODAY - timedelta(days=9),
    )
    return locals()


def _open(client, agency, person):
    client.force_login(UserFactory(agency=agency, role=Role.PRACTITIONER))
    response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 200
    return response


def test_an_agency_working_the_case_sees_it_and_the_complainant(client, world):
    response = _open(client, world["council"], world["ryan"])
    titles = [e.title for e in response.context["events"] if e.programme == "asb"]
    assert titles == ["ASB case ASB000321 opened, as person causing the harm"]
    assert "Subject of ASB case ASB000321" in response.content.decode()
    related = [r.person.pk for r in response.context["picture"].related]
    assert related == [world["jo"].pk]


def test_an_asb_agency_not_working_the_case_sees_no_asb_event_nor_the_complainant(client, world):
    response = _open(client, world["housing"], world["ryan"])
    assert not [e for e in response.context["events"] if e.programme == "asb"]
    assert "Baxter" not in response.content.decode()


def test_the_complainant_sees_the_incident_she_reported(client, world):
    response = _open(client, world["council"], world["jo"])
    titles = [e.title for e in response.context["events"] if e.programme == "asb"]
    assert "Reported an incident (personal), case ASB000321" in titles

"""The home page's "my work" by role: actions, cases, next meetings, recently viewed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.audit.models import AuditEvent
from saferhub.web.people.models import Involvement
from tests.factories import AgencyFactory, InvolvementFactory, PersonFactory, UserFactory
from tests.factories_panels import ActionFactory, CaseFactory, MeetingFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def police():
    return AgencyFactory(name="Police", kind=AgencyKind.POLICE, programmes=["da_marac"])


@pytest.fixture
def work(police):
    other = AgencyFactory(name="Health", kind=AgencyKind.HEALTH, programmes=["da_marac"])
    case = CaseFactory(referring_agency=police, referral_date=TODAY - timedelta(days=10))
    InvolvementFactory(person=case.victim, agency=police)
    overdue = ActionFactory(
        case=case,
        owner_agency=police,
        description="Overdue safety plan",
        due_date=TODAY - timedelta(days=3),
    )
    due = ActionFactory(
        case=case,
        owner_agency=police,
        description="Visit next week",
        due_date=TODAY + timedelta(days=7),
    )
    theirs = ActionFactory(
        case=case, owner_agency=other, description="Health check", due_date=TODAY
    )
    meeting = MeetingFactory(date=TODAY + timedelta(days=5))
    return locals()


def _home(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response


def test_practitioner_sees_their_agencys_open_and_overdue_actions(client, police, work):
    response = _home(client, UserFactory(agency=police, role=Role.PRACTITIONER))
    page = response.content.decode()
    assert "Overdue safety plan" in page and "Visit next week" in page
    assert "Health check" not in page
    assert "1 of your agency's actions is overdue" in page
    assert response.context["work"].open_actions == 2
    assert response.context["work"].partnership_overdue is None


def test_practitioner_sees_their_cases_and_next_meeting(client, police, work):
    page = _home(client, UserFactory(agency=police, role=Role.PRACTITIONER)).content.decode()
    assert f"Case {work['case'].reference}" in page
    assert work["case"].victim.last_name.upper() in page
    assert f"{TODAY + timedelta(days=5):%-d %B %Y}" in page


def test_a_case_whose_victim_the_agency_no_longer_sees_is_counted_not_named(client, police, work):
    Involvement.objects.filter(person=work["case"].victim).delete()
    response = _home(client, UserFactory(agency=police, role=Role.PRACTITIONER))
    page = response.content.decode()
    assert work["case"].victim.last_name.upper() not in page
    assert "1 more person not shown" in page


def test_coordinator_also_sees_the_partnerships_overdue_count(client, police, work):
    response = _home(client, UserFactory(agency=police, role=Role.COORDINATOR))
    assert response.context["work"].partnership_overdue == 1


def test_analyst_gets_no_personal_work(client, police, work):
    response = _home(client, UserFactory(agency=police, role=Role.ANALYST))
    assert response.context["work"] is None
    assert response.context["recent"] == []
    assert "Overdue safety plan" not in response.content.decode()


def test_an_agency_outside_the_panel_sees_no_panel_work(client, work):
    outsider = AgencyFactory(name="Outsider", programmes=[])
    response = _home(client, UserFactory(agency=outsider, role=Role.PRACTITIONER))
    assert response.context["work"] is None


def test_recently_viewed_lists_records_the_user_may_still_see(client, police):
    seen, lost = PersonFactory(last_name="Seenagain"), PersonFactory(last_name="Lostsight")
    InvolvementFactory(person=seen, agency=police)
    gone = InvolvementFactory(person=lost, agency=police)
    user = UserFactory(agency=police, role=Role.VIEWER)
    client.force_login(user)
    for person in (seen, lost, seen):
        assert client.get(f"/people/{person.pk}/").status_code == 200
    gone.end = TODAY - timedelta(days=1)
    gone.save()
    response = client.get("/")
    assert [p.pk for p in response.context["recent"]] == [seen.pk]
    assert "LOSTSIGHT" not in response.content.decode()


def test_recently_viewed_is_the_users_own_not_a_colleagues(client, police):
    person = PersonFactory()
    InvolvementFactory(person=person, agency=police)
    colleague = UserFactory(agency=police)
    client.force_login(colleague)
    client.get(f"/people/{person.pk}/")
    response = _home(client, UserFactory(agency=police))
    assert response.context["recent"] == []


def test_the_home_page_audits_everyone_it_names(client, police, work):
    user = UserFactory(agency=police, role=Role.PRACTITIONER)
    _home(client, user)
    event = AuditEvent.objects.filter(user_id=user.pk, summary__startswith="Viewed their home")
    assert event.get().detail["person_ids"] == [work["case"].victim_id]

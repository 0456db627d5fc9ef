"""Only MARAC member agencies see MARAC cases: at the URL, in search and in exports.

Contact details go only to the roles that need them, and every view is audited.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.audit.models import AuditEvent
from tests.factories import AgencyFactory, UserFactory
from tests.factories_panels import (
    ActionFactory,
    CaseFactory,
    ListingFactory,
    MeetingFactory,
    MemberAgencyFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
CONTACT = "Mobile, weekdays 10am to 2pm only"


@pytest.fixture
def police():
    return MemberAgencyFactory(name="Police (member)", kind=AgencyKind.POLICE)


@pytest.fixture
def idva():
    return MemberAgencyFactory(name="IDVA service", kind=AgencyKind.VOLUNTARY)


@pytest.fixture
def outsider():
    return AgencyFactory(name="Transport police (not a member)", kind=AgencyKind.POLICE)


@pytest.fixture
def case(police, idva):
    found = CaseFactory(
        referring_agency=police, idva_agency=idva, status="listed", contact_method=CONTACT
    )
    found.victim.address = "12 Hidden Road"
    found.victim.save()
    return found


@pytest.fixture
def listing(case):
    return ListingFactory(case=case, meeting=MeetingFactory(date=TODAY + timedelta(days=7)))


def test_a_non_member_agency_is_refused_every_marac_url_and_export(client, outsider, case, listing):
    action = ActionFactory(case=case)
    client.force_login(UserFactory(agency=outsider, role=Role.COORDINATOR))
    meeting = listing.meeting
    urls = [
        "/marac/",
        "/marac/cases/",
        f"/marac/cases/?q={case.victim.last_name}",
        f"/marac/cases/{case.pk}/",
        f"/marac/actions/{action.pk}/",
        f"/marac/meetings/{meeting.pk}/",
        f"/marac/meetings/{meeting.pk}/agenda.xlsx",
        "/marac/statistics/",
        "/marac/statistics/export.xlsx",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert case.victim.last_name not in response.content.decode(), url
    assert AuditEvent.objects.filter(action="denied").count() == len(urls)


def test_people_search_does_not_reveal_a_marac_victim_to_a_non_member(client, outsider, case):
    client.force_login(UserFactory(agency=outsider, role=Role.PRACTITIONER))
    page = client.get("/people/", {"q": case.victim.last_name}).content.decode()
    assert case.victim.last_name.upper() not in page
    assert client.get(f"/people/{case.victim.pk}/").status_code == 404


def test_the_case_search_finds_only_this_panels_cases(client, police, case):
    other_panel = CaseFactory(panel="asb_marac", victim=case.victim, referring_agency=police)
    client.force_login(UserFactory(agency=police, role=Role.VIEWER))
    response = client.get("/marac/cases/", {"q": case.victim.last_name})
    assert [c.pk for c in response.context["cases"]] == [case.pk]
    assert client.get(f"/marac/cases/{other_panel.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("who", "role", "sees"),
    [
        ("referrer", Role.PRACTITIONER, True),
        ("idva", Role.PRACTITIONER, True),
        ("other", Role.COORDINATOR, True),
        ("other", Role.ADMINISTRATOR, True),
        ("referrer", Role.VIEWER, False),
        ("other", Role.PRACTITIONER, False),
        ("other", Role.VIEWER, False),
    ],
)
def test_contact_details_only_for_roles_that_need_them(client, police, idva, case, who, role, sees):
    agencies = {"referrer": police, "idva": idva, "other": MemberAgencyFactory(name="Health")}
    client.force_login(UserFactory(agency=agencies[who], role=role))
    page = client.get(f"/marac/cases/{case.pk}/").content.decode()
    assert (CONTACT in page) is sees
    assert ("12 Hidden Road" in page) is sees
    if not sees:
        assert "Shown only to the coordinator" in page


def test_analysts_see_statistics_but_not_cases(client, police, case):
    client.force_login(UserFactory(agency=police, role=Role.ANALYST))
    assert client.get(f"/marac/cases/{case.pk}/").status_code == 403
    assert client.get("/marac/statistics/").status_code == 200


def test_every_marac_page_view_is_audited(client, police, case, listing):
    action = ActionFactory(case=case, owner_agency=police)
    client.force_login(UserFactory(agency=police, role=Role.COORDINATOR))
    meeting = listing.meeting
    urls = [
        "/marac/",
        "/marac/refer/",
        "/marac/cases/",
        f"/marac/cases/?q={case.victim.last_name}",
        f"/marac/cases/{case.pk}/",
        f"/marac/cases/{case.pk}/listing/",
        f"/marac/cases/{case.pk}/idva/",
        f"/marac/cases/{case.pk}/actions/new/",
        f"/marac/actions/{action.pk}/",
        "/marac/actions/overdue/",
        "/marac/meetings/",
        "/marac/meetings/new/",
        f"/marac/meetings/{meeting.pk}/",
        f"/marac/meetings/{meeting.pk}/attendance/",
        f"/marac/meetings/{meeting.pk}/minutes/",
        f"/marac/meetings/{meeting.pk}/agenda.xlsx",
        f"/marac/meetings/{meeting.pk}/cases/{listing.pk}/research/",
        "/marac/statistics/",
        "/marac/statistics/export.xlsx",
    ]
    unaudited = []
    for url in urls:
        before = AuditEvent.objects.count()
        assert client.get(url).status_code == 200, url
        if AuditEvent.objects.count() == before:
            unaudited.append(url)
    assert not unaudited, f"views that record nothing: {unaudited}"


def test_analysts_reach_the_statistics_from_an_overview_without_case_links(client, police, case):
    client.force_login(UserFactory(agency=police, role=Role.ANALYST))
    page = client.get("/marac/").content.decode()
    assert "/marac/statistics/" in page
    assert "/marac/cases/" not in page
    assert case.victim.last_name not in page

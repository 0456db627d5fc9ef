"""The Community Safety MARAC, the Adults at Risk Panel and the SIRM on the panel engine:
referral, need-to-know, the DA MARAC's URLs untouched, incidents and the SIRM clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from saferhub.web.accounts.models import Agency, AgencyKind, Role
from saferhub.web.audit.models import AuditEvent
from saferhub.web.panels.models import Case, Incident
from tests.factories import AgencyFactory, UserFactory
from tests.factories_panels import CaseFactory, IncidentFactory, MemberAgencyFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def council():
    return MemberAgencyFactory(
        name="Council community safety",
        kind=AgencyKind.COMMUNITY_SAFETY,
        programmes=["asb_marac", "adults_at_risk", "sirm"],
    )


@pytest.fixture
def coordinator(council):
    return UserFactory(agency=council, role=Role.COORDINATOR)


def refer(client, **extra):
    data = {
        "referring_agency": Agency.objects.get(name="Council community safety").pk,
        "referral_date": TODAY.isoformat(),
        "victim_first_name": "Dana",
        "victim_last_name": "Okafor",
        "victim_date_of_birth": "1980-04-02",
        "victim_gender": "F",
        "victim_ethnicity": "NS",
        "criteria": ["persistent_asb"],
        "safe_to_contact": "no",
        **extra,
    }
    return client.post("/cs-marac/refer/", data)


def test_a_cs_marac_referral_opens_a_case_on_that_panel(client, coordinator):
    client.force_login(coordinator)
    response = refer(client)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cs-marac/cases/{case.pk}/"
    assert case.panel == "asb_marac" and case.reference.startswith("C")
    assert case.asb_case is None and case.asb_case_reference == ""
    page = client.get(f"/cs-marac/cases/{case.pk}/").content.decode()
    assert "None linked" in page and "Persistent anti-social behaviour" in page
    assert AuditEvent.objects.filter(object_id=str(case.pk), person_id=case.victim_id).exists()


def test_a_referral_without_criteria_or_name_is_refused_on_its_fields(client, coordinator):
    client.force_login(coordinator)
    response = refer(client, criteria=[], victim_last_name="")
    page = response.content.decode()
    assert response.status_code == 200 and not Case.objects.exists()
    assert "Enter which referral criteria are met." in page
    assert "Enter the person&#x27;s last name." in page


def test_professional_judgement_needs_its_reasons(client, coordinator):
    client.force_login(coordinator)
    response = refer(client, criteria=["professional_judgement"])
    assert "Give the reasons for your professional judgement." in response.content.decode()
    assert not Case.objects.exists()


def test_a_second_referral_within_a_year_is_a_repeat(client, coordinator):
    client.force_login(coordinator)
    refer(client)
    first = Case.objects.get()
    response = refer(client, victim_match=str(first.victim_id))
    second = Case.objects.exclude(pk=first.pk).get()
    assert response.status_code == 302
    assert second.is_repeat and second.previous_case == first


def test_the_adults_at_risk_referral_has_no_asb_field(client, coordinator):
    client.force_login(coordinator)
    page = client.get("/adults-at-risk/refer/").content.decode()
    assert "Adults at Risk Panel" in page and "ASB case reference" not in page


def test_a_cs_marac_case_is_not_found_at_the_da_marac_urls(client, council):
    cs_case = CaseFactory(panel="asb_marac", referring_agency=council, reference="C000001")
    admin = UserFactory(role=Role.ADMINISTRATOR, agency=council)
    client.force_login(admin)
    assert client.get(f"/marac/cases/{cs_case.pk}/").status_code == 404
    assert client.get(f"/cs-marac/cases/{cs_case.pk}/").status_code == 200


def test_an_agency_outside_a_panel_is_refused_its_cases(client):
    asb_only = AgencyFactory(name="Housing (CS MARAC only)", programmes=["asb_marac"])
    adults = CaseFactory(panel="adults_at_risk", referring_agency=asb_only)
    client.force_login(UserFactory(agency=asb_only, role=Role.COORDINATOR))
    assert client.get(f"/adults-at-risk/cases/{adults.pk}/").status_code == 403
    assert client.get(f"/cs-marac/cases/{adults.pk}/").status_code == 404
    listing = client.get("/cs-marac/cases/").content.decode()
    assert adults.victim.last_name.upper() not in listing.upper()


def test_the_panels_agencies_see_a_closed_case_only_until_the_grace_ends(client, council):
    grace = settings.GRANT_PROGRAMME_GRACE_DAYS
    recent = CaseFactory(
        panel="asb_marac", status="closed", closed_on=TODAY - timedelta(days=grace)
    )
    old = CaseFactory(
        panel="asb_marac", status="closed", closed_on=TODAY - timedelta(days=grace + 1)
    )
    client.force_login(UserFactory(agency=council, role=Role.VIEWER))
    assert client.get(f"/cs-marac/cases/{recent.pk}/").status_code == 200
    assert client.get(f"/cs-marac/cases/{old.pk}/").status_code == 404
    page = client.get("/cs-marac/cases/").content.decode()
    assert recent.reference in page and old.reference not in page
    assert "1 more person not shown" in page


def test_the_cs_marac_runs_meetings_actions_and_reviews(client, coordinator, council):
    client.force_login(coordinator)
    refer(client)
    case = Case.objects.get()
    meeting_day = TODAY
    response = client.post(
        f"/cs-marac/cases/{case.pk}/listing/",
        {"meeting_date": meeting_day.isoformat(), "version": case.version},
    )
    assert response.status_code == 302 and response["Location"].startswith("/cs-marac/meetings/")
    meeting_url = response["Location"]
    agenda = client.get(meeting_url).content.decode()
    assert case.reference in agenda
    listing = case.listings.get()
    case.refresh_from_db()
    heard = client.post(f"{meeting_url}cases/{listing.pk}/heard/", {"version": case.version})
    assert heard["Location"] == f"/cs-marac/cases/{case.pk}/actions/new/"
    client.post(
        f"/cs-marac/cases/{case.pk}/actions/new/",
        {
            "owner_agency": council.pk,
            "risk_addressed": "housing",
            "description": "Visit the neighbour with the housing officer",
            "due_date": (TODAY + timedelta(days=14)).isoformat(),
        },
    )
    case.refresh_from_db()
    assert case.status == "actions" and case.heard_date == meeting_day
    client.post(f"/cs-marac/cases/{case.pk}/status/", {"target": "review", "version": case.version})
    case.refresh_from_db()
    assert case.status == "review" and case.reviewed_on == TODAY


def incident_data(**extra):
    return {
        "occurred_at": (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M"),
        "victim_first_name": "Kai",
        "victim_last_name": "Mensah",
        "victim_date_of_birth": "2005-01-09",
        "victim_gender": "M",
        "victim_ethnicity": "NS",
        "victim_age": "20",
        "suspect_age": "27",
        "gang_link": "on",
        **extra,
    }


def test_an_incident_with_a_young_person_and_a_gang_link_calls_a_sirm(client, coordinator, council):
    client.force_login(coordinator)
    response = client.post("/sirm/incidents/new/", incident_data(reporting_agency=council.pk))
    incident = Incident.objects.get()
    assert response["Location"] == f"/sirm/incidents/{incident.pk}/"
    assert incident.route == "sirm" and incident.case.panel == "sirm"
    page = client.get(response["Location"]).content.decode()
    assert "A SIRM within 24 hours" in page
    assert "Linked to gang activity: yes." in page
    assert " left" in page and "data-sirm-due" in page
    decision = AuditEvent.objects.get(
        object_type="panels.Incident", object_id=str(incident.pk), detail__decision="sirm"
    )
    assert decision.person_id == incident.person_id
    assert "Linked to gang activity: yes." in decision.detail["reasons"]


def test_an_adult_incident_without_criteria_goes_to_the_adults_at_risk_panel(
    client, coordinator, council
):
    client.force_login(coordinator)
    client.post(
        "/sirm/incidents/new/",
        incident_data(reporting_agency=council.pk, gang_link="", victim_age="30"),
    )
    incident = Incident.objects.get()
    assert incident.route == "adults_at_risk" and incident.case.panel == "adults_at_risk"


def test_an_incident_with_no_age_is_refused_on_the_age_field(client, coordinator, council):
    client.force_login(coordinator)
    response = client.post(
        "/sirm/incidents/new/",
        incident_data(reporting_agency=council.pk, victim_age="", suspect_age=""),
    )
    assert (
        "Enter the victim&#x27;s or the suspect&#x27;s age, or both." in response.content.decode()
    )
    assert not Incident.objects.exists()


def test_a_coordinator_override_needs_a_reason_and_is_recorded(client, coordinator, council):
    client.force_login(coordinator)
    client.post("/sirm/incidents/new/", incident_data(reporting_agency=council.pk))
    incident = Incident.objects.get()
    url = f"/sirm/incidents/{incident.pk}/override/"
    refused = client.post(url, {"route": "adults_at_risk", "override_reason": "", "version": 1})
    assert "Give the reason for changing the decision." in refused.content.decode()
    incident.refresh_from_db()
    assert incident.route == "sirm"
    done = client.post(
        url,
        {
            "route": "adults_at_risk",
            "override_reason": "Police confirm no continuing risk; the panel is the right place",
            "version": incident.version,
        },
    )
    assert done.status_code == 302
    incident.refresh_from_db()
    assert incident.route == "adults_at_risk" and incident.suggested_route == "sirm"
    assert incident.case.panel == "adults_at_risk"
    assert Case.objects.get(panel="sirm").status == "closed"
    page = client.get(f"/sirm/incidents/{incident.pk}/").content.decode()
    assert "Police confirm no continuing risk" in page and "The rule decided" in page
    override = AuditEvent.objects.filter(object_id=str(incident.pk), detail__override=True)
    assert override.count() == 1


def test_recording_the_sirm_stops_the_clock(client, coordinator, council):
    client.force_login(coordinator)
    client.post("/sirm/incidents/new/", incident_data(reporting_agency=council.pk))
    incident = Incident.objects.get()
    held = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    response = client.post(
        f"/sirm/incidents/{incident.pk}/held/", {"held_at": held, "version": incident.version}
    )
    assert response.status_code == 302
    page = client.get(f"/sirm/incidents/{incident.pk}/").content.decode()
    assert "Held within 24 hours" in page
    again = client.post(
        f"/sirm/incidents/{incident.pk}/held/", {"held_at": held, "version": incident.version + 1}
    )
    assert "already recorded" in again.content.decode()


def test_the_dashboard_counts_a_breach_and_names_only_visible_people(client, council):
    late = IncidentFactory(occurred_at=timezone.now() - timedelta(hours=30))
    late.case = CaseFactory(panel="sirm", referring_agency=council, victim=late.person)
    late.save()
    hidden = IncidentFactory()  # no case and no involvement: not for this agency to see
    client.force_login(UserFactory(agency=council, role=Role.VIEWER))
    page = client.get("/sirm/incidents/").content.decode()
    assert "Overdue by 6 h" in page
    assert "1 SIRM shown here missed" in page
    assert late.person.last_name.upper() in page
    assert hidden.person.last_name.upper() not in page
    assert "1 more person not shown" in page
    assert client.get(f"/sirm/incidents/{hidden.pk}/").status_code == 404


def test_the_statistics_page_and_its_public_version(client, council):
    for day in (1, 2):
        CaseFactory(
            panel="asb_marac", referring_agency=council, referral_date=TODAY.replace(day=day)
        )
    client.force_login(UserFactory(agency=council, role=Role.ANALYST))
    internal = client.get("/cs-marac/statistics/").content.decode()
    assert "Community Safety MARAC: quarterly statistics" in internal
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in internal
    public = client.get("/cs-marac/statistics/?audience=public").content.decode()
    assert "&lt;5" in public
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' not in public
    bad = client.get("/cs-marac/statistics/?quarter=next+year").content.decode()
    assert "Write the quarter like" in bad
    # Analysts see the figures, never a case.
    assert client.get("/cs-marac/cases/").status_code == 403


def test_the_navigation_offers_only_the_panels_of_the_users_agency(client):
    housing = AgencyFactory(name="Housing (CS MARAC only)", programmes=["asb_marac"])
    client.force_login(UserFactory(agency=housing, role=Role.PRACTITIONER))
    page = client.get("/cs-marac/").content.decode()
    assert 'href="/cs-marac/"' in page
    assert 'href="/sirm/"' not in page and 'href="/adults-at-risk/"' not in page


def test_an_override_is_refused_once_the_sirm_case_is_on_an_agenda(client, coordinator, council):
    client.force_login(coordinator)
    client.post("/sirm/incidents/new/", incident_data(reporting_agency=council.pk))
    incident = Incident.objects.get()
    Case.objects.filter(pk=incident.case_id).update(status="listed")
    response = client.post(
        f"/sirm/incidents/{incident.pk}/override/",
        {"route": "neither", "override_reason": "Family moved away", "version": incident.version},
    )
    assert "is already listed for a meeting" in response.content.decode()
    incident.refresh_from_db()
    assert incident.route == "sirm" and not incident.override_reason


def test_a_refused_incident_leaves_no_new_person(client, coordinator, council):
    from saferhub.web.people.models import Person

    client.force_login(coordinator)
    before = Person.objects.count()
    client.post(
        "/sirm/incidents/new/",
        incident_data(reporting_agency=council.pk, victim_age="130"),
    )
    assert Person.objects.count() == before and not Incident.objects.exists()

"""A Community Safety MARAC case linked to the ASB case it is about, on need to know both
ways: only an ASB case the referrer may see can be linked, and each case page shows the
other only to those who may see it."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.utils import timezone

from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.asb.models import CaseAgency
from saferhub.web.audit.models import AuditEvent
from saferhub.web.panels.models import Case
from tests.factories import UserFactory
from tests.factories_asb import AsbCaseFactory
from tests.factories_panels import CaseFactory, MemberAgencyFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def council():
    return MemberAgencyFactory(
        name="Council community safety",
        kind=AgencyKind.COMMUNITY_SAFETY,
        programmes=["asb_marac", "asb"],
    )


@pytest.fixture
def coordinator(council):
    return UserFactory(agency=council, role=Role.COORDINATOR)


@pytest.fixture
def worked(council):
    """An ASB case the council works."""
    asb_case = AsbCaseFactory(reference="ASB000042")
    CaseAgency.objects.create(case=asb_case, agency=council, since=date(2024, 1, 10))
    return asb_case


def refer(client, council, reference):
    return client.post(
        "/cs-marac/refer/",
        {
            "referring_agency": council.pk,
            "referral_date": TODAY.isoformat(),
            "victim_first_name": "Dana",
            "victim_last_name": "Okafor",
            "victim_date_of_birth": "1980-04-02",
            "victim_gender": "F",
            "victim_ethnicity": "NS",
            "criteria": ["persistent_asb"],
            "safe_to_contact": "no",
            "asb_case_reference": reference,
        },
    )


def test_a_referral_links_the_asb_case_and_each_page_links_to_the_other(
    client, council, coordinator, worked
):
    client.force_login(coordinator)
    response = refer(client, council, " asb000042 ")
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.asb_case == worked and case.asb_case_reference == ""
    page = client.get(f"/cs-marac/cases/{case.pk}/").content.decode()
    assert f'href="/asb/cases/{worked.pk}/"' in page
    asb_page = client.get(f"/asb/cases/{worked.pk}/").content.decode()
    assert f'href="/cs-marac/cases/{case.pk}/"' in asb_page and case.reference in asb_page


def test_an_unknown_reference_is_a_field_error(client, council, coordinator):
    client.force_login(coordinator)
    response = refer(client, council, "ASB999999")
    page = response.content.decode()
    assert response.status_code == 200 and not Case.objects.exists()
    assert "No ASB case you can see has the reference ASB999999" in page
    assert 'href="#asb_case_reference"' in page or 'href="#id_asb_case_reference"' in page


def test_an_asb_case_the_referrer_may_not_see_cannot_be_linked_nor_told_apart(
    client, council, coordinator
):
    AsbCaseFactory(reference="ASB000077")  # worked by another agency only
    client.force_login(coordinator)
    page = refer(client, council, "ASB000077").content.decode()
    assert not Case.objects.exists()
    assert "No ASB case you can see has the reference ASB000077" in page


def test_each_page_hides_the_other_case_from_who_may_not_see_it(client, council, worked):
    case = CaseFactory(panel="asb_marac", referring_agency=council, asb_case=worked)
    # A CS MARAC member outside the ASB programme: sees the CS MARAC case, not the ASB one.
    outsider = MemberAgencyFactory(programmes=["asb_marac"])
    client.force_login(UserFactory(agency=outsider, role=Role.VIEWER))
    page = client.get(f"/cs-marac/cases/{case.pk}/").content.decode()
    assert "/asb/cases/" not in page and worked.reference not in page
    assert "your agency does not work" in page
    # An ASB officer outside the CS MARAC: sees the ASB case, not the CS MARAC case.
    asb_only = MemberAgencyFactory(programmes=["asb"])
    CaseAgency.objects.create(case=worked, agency=asb_only, since=date(2024, 1, 10))
    client.force_login(UserFactory(agency=asb_only, role=Role.VIEWER))
    asb_page = client.get(f"/asb/cases/{worked.pk}/").content.decode()
    assert case.reference not in asb_page and "/cs-marac/cases/" not in asb_page
    assert "1 more case not shown" in asb_page


def test_a_coordinator_links_a_typed_reference_later_versioned_and_audited(
    client, council, coordinator, worked
):
    case = CaseFactory(panel="asb_marac", referring_agency=council, asb_case_reference="old ref")
    client.force_login(coordinator)
    page = client.get(f"/cs-marac/cases/{case.pk}/").content.decode()
    assert "old ref (as typed at referral; not linked" in page
    url = f"/cs-marac/cases/{case.pk}/asb-case/"
    bad = client.post(url, {"version": case.version, "asb_case_reference": "nope"})
    assert bad.status_code == 200 and "No ASB case you can see" in bad.content.decode()
    stale = client.post(url, {"version": case.version + 5, "asb_case_reference": "ASB000042"})
    assert stale.status_code == 200
    case.refresh_from_db()
    assert case.asb_case is None
    ok = client.post(url, {"version": case.version, "asb_case_reference": "ASB000042"})
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.asb_case == worked and case.asb_case_reference == ""
    event = AuditEvent.objects.filter(action="update", object_id=str(case.pk)).latest("pk")
    assert "asb_case" in event.detail["changes"]


def test_only_cs_marac_cases_have_the_link_page(client, council, coordinator):
    council.programmes = ["asb_marac", "asb", "adults_at_risk"]
    council.save()
    case = CaseFactory(panel="adults_at_risk", referring_agency=council)
    client.force_login(coordinator)
    assert client.get(f"/adults-at-risk/cases/{case.pk}/asb-case/").status_code == 404


def test_the_migration_links_exact_references_and_keeps_the_others(council, worked):
    matched = CaseFactory(panel="asb_marac", asb_case_reference="ASB000042")
    unmatched = CaseFactory(panel="asb_marac", asb_case_reference="ASB-2026-0042")
    migration = importlib.import_module(
        "saferhub.web.panels.migrations.0005_link_cases_to_asb_cases"
    )
    from django.apps import apps

    migration.link(apps, None)
    matched.refresh_from_db()
    unmatched.refresh_from_db()
    assert matched.asb_case == worked and matched.asb_case_reference == ""
    assert unmatched.asb_case is None and unmatched.asb_case_reference == "ASB-2026-0042"
    migration.unlink(apps, None)
    matched.refresh_from_db()
    assert matched.asb_case_reference == "ASB000042"

"""A CS MARAC case linked to its ASB case: each case page leads to the other, and the
statistics pages of both show their figures, all passing the accessibility checker."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.asb.models import CaseAgency
from tests.factories import UserFactory
from tests.factories_asb import AsbCaseFactory, ToolUseFactory
from tests.factories_panels import CaseFactory, MemberAgencyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def linked():
    council = MemberAgencyFactory(
        name="Council community safety",
        kind=AgencyKind.COMMUNITY_SAFETY,
        programmes=["asb_marac", "asb"],
    )
    UserFactory(username="cs.coordinator", agency=council, role=Role.COORDINATOR)
    asb_case = AsbCaseFactory(reference="ASB000042", lead_agency=council)
    CaseAgency.objects.create(case=asb_case, agency=council, since=date(2024, 1, 10))
    ToolUseFactory(agency=council, used_on=timezone.localdate())
    case = CaseFactory(
        panel="asb_marac",
        referring_agency=council,
        referral_date=timezone.localdate(),
        asb_case_reference="old typed ref",
    )
    return case, asb_case


def test_a_coordinator_links_the_cases_and_follows_one_to_the_other(
    page, live_server, sign_in_browser, axe, linked
):
    case, _ = linked
    sign_in_browser(page, "cs.coordinator")
    page.goto(f"{live_server.url}/cs-marac/cases/{case.pk}/")
    assert "old typed ref" in page.content()
    page.get_by_role("link", name="Link an ASB case").click()
    page.get_by_label("ASB case reference").fill("ASB999999")
    page.get_by_role("button", name="Link the case").click()
    page.wait_for_load_state()  # the page the click opened, fully loaded
    assert "No ASB case you can see has the reference ASB999999" in page.content()
    axe(page, "on the link form with an error")
    page.get_by_label("ASB case reference").fill("ASB000042")
    page.get_by_role("button", name="Link the case").click()
    axe(page, "on a CS MARAC case linked to its ASB case")
    page.get_by_role("link", name="ASB case ASB000042").click()
    axe(page, "on the ASB case listing its CS MARAC case")
    page.get_by_role("link", name=f"Case {case.reference}").click()
    assert page.get_by_role("heading", level=1).is_visible()

    page.goto(f"{live_server.url}/cs-marac/statistics/")
    heading = page.get_by_role("rowheader", name="Referrals", exact=True)
    assert page.locator("tr").filter(has=heading).locator("td").last.inner_text() == "1"
    axe(page, "on the CS MARAC statistics")
    page.goto(f"{live_server.url}/asb/statistics/?audience=public")
    assert "&lt;5" in page.content() or "<5" in page.inner_text("main")
    axe(page, "on the public ASB statistics")

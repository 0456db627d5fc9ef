"""An officer logs incidents until the case review threshold is met; the coordinator opens
the review, records recommendations and the decision, and the letter is written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from saferhub.web.accounts.models import AgencyKind, Role
from tests.factories import UserFactory
from tests.factories_asb import AsbAgencyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partnership():
    council = AsbAgencyFactory(name="Council ASB team", kind=AgencyKind.COMMUNITY_SAFETY)
    housing = AsbAgencyFactory(name="Barnet Homes", kind=AgencyKind.HOUSING)
    UserFactory(username="asb.officer", agency=council, role=Role.PRACTITIONER)
    UserFactory(username="asb.coordinator", agency=council, role=Role.COORDINATOR)
    return housing


def fill_date(page, label: str, day) -> None:
    """Type a date into a GOV.UK date input: day, month and year boxes in one group."""
    group = page.get_by_role("group", name=label)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def _log_incident(page, days_ago: int) -> None:
    today = timezone.localdate()
    page.get_by_role("link", name="Log an incident").click()
    fill_date(page, "Date of the incident", today - timedelta(days=days_ago))
    page.get_by_label("Time of the incident").fill("22:30")
    page.get_by_label("Location").fill("Stairwell, block C")
    page.get_by_label("Who complained").select_option(label="Jane Doe")
    complaint = today - timedelta(days=days_ago - 1)
    fill_date(page, "Date the complaint was made", complaint)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()  # the page the click opened, fully loaded
    assert "Incident logged" in page.content()


def _ask_for_review(page) -> str:
    page.get_by_role("link", name="Record a case review request").click()
    page.get_by_label("Who asked for the review").select_option(label="Jane Doe")
    page.get_by_role("button", name="Save").click()
    return page.locator("#threshold").inner_text()


def test_incidents_reach_the_threshold_and_the_review_is_completed(
    page, live_server, sign_in_browser, axe, partnership
):
    sign_in_browser(page, "asb.officer")
    page.goto(f"{live_server.url}/asb/")
    page.get_by_role("link", name="Open an ASB case").first.click()
    page.get_by_label("Summary of the problem").fill("Noise and drug dealing on the stairwell")
    page.get_by_label("Category").select_option("nuisance")
    page.get_by_label("Barnet Homes").check()
    axe(page, "on the new case form")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()  # the page the click opened, fully loaded
    assert "opened" in page.content()
    case_url = page.url
    page.get_by_role("link", name="Add a complainant").click()
    page.get_by_label("First name").fill("Jane")
    page.get_by_label("Last name").fill("Doe")
    page.get_by_role("button", name="Save").click()

    _log_incident(page, 40)
    _log_incident(page, 20)
    assert "not met" in _ask_for_review(page)
    axe(page, "on a review whose threshold is not met")

    page.goto(case_url)
    _log_incident(page, 5)
    assert "The threshold is met" in _ask_for_review(page)
    review_url = page.url
    _sign_out(page)

    sign_in_browser(page, "asb.coordinator")
    page.goto(f"{live_server.url}/asb/")
    page.goto(review_url)
    page.get_by_role("link", name="Add a recommendation").click()
    page.get_by_label("Recommendation").fill("Serve a tenancy warning")
    page.get_by_label("Owner agency").select_option(label="Barnet Homes")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Record the panel's decision").click()
    page.get_by_label("The panel's decision").fill("Agencies will act together.")
    axe(page, "on the decision form")
    page.get_by_role("button", name="Save").click()
    letter = page.locator("#letter").inner_text()
    assert "Dear Jane Doe" in letter and "Serve a tenancy warning" in letter
    axe(page, "on the completed review")

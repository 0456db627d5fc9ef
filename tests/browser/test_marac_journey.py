"""Refer → list → hold the meeting → record an action → mark it done → the statistics change."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from saferhub.rules.checklist import default_checklist
from saferhub.rules.periods import Month
from saferhub.web.accounts.models import AgencyKind, Role
from tests.factories import UserFactory
from tests.factories_panels import MemberAgencyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partnership():
    police = MemberAgencyFactory(name="Metropolitan Police", kind=AgencyKind.POLICE)
    council = MemberAgencyFactory(name="Council community safety", kind=AgencyKind.COMMUNITY_SAFETY)
    housing = MemberAgencyFactory(name="Barnet Homes", kind=AgencyKind.HOUSING)
    UserFactory(username="police.officer", agency=police, role=Role.PRACTITIONER)
    UserFactory(username="marac.coordinator", agency=council, role=Role.COORDINATOR)
    UserFactory(username="housing.officer", agency=housing, role=Role.PRACTITIONER)
    return housing


def _cases_heard(page, live_server, quarter) -> str:
    page.goto(f"{live_server.url}/marac/statistics/?quarter={quarter.key}&quarters=1")
    return page.locator("main p.govuk-body").filter(has_text="heard in").first.inner_text()


def fill_date(page, label: str, day: date) -> None:
    """Type a date into a GOV.UK date input: day, month and year boxes in one group."""
    group = page.get_by_role("group", name=label)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_a_referral_is_heard_actioned_and_counted(
    page, live_server, sign_in_browser, axe, partnership
):
    today = timezone.localdate()
    quarter = Month.of(today).financial_quarter

    sign_in_browser(page, "marac.coordinator")
    assert _cases_heard(page, live_server, quarter).startswith("0 cases were heard")
    axe(page, "on the statistics page")
    _sign_out(page)

    # A police officer refers.
    sign_in_browser(page, "police.officer")
    page.goto(f"{live_server.url}/marac/")
    page.get_by_role("link", name="Make a referral").click()
    axe(page, "on the empty referral form")
    page.get_by_label("Victim: first name").fill("Amara")
    page.get_by_label("Victim: last name").fill("Okonjo")
    fill_date(page, "Victim: date of birth", date(1991, 2, 3))
    page.get_by_label("Victim: gender").select_option("F")
    page.get_by_label("Perpetrator 1: first name").fill("Liam")
    page.get_by_label("Perpetrator 1: last name").fill("Carver")
    page.get_by_label("Perpetrator 1: relationship to the victim").select_option("ex_partner")
    page.get_by_label("Children in the household", exact=True).fill("4, 9")
    page.get_by_role("group", name="Is it safe to contact the victim?").get_by_label("Yes").check()
    # The follow-up question opens beneath the answer that needs it.
    assert page.get_by_label("How to contact the victim safely").is_visible()
    page.get_by_role("button", name="Make the referral").click()
    # The form says what is missing, beside the field.
    assert "Say how to contact the victim safely" in page.content()
    axe(page, "on the referral form with errors")
    page.get_by_label("How to contact the victim safely").fill("Mobile after 6pm")
    for question in default_checklist().questions[:15]:
        page.get_by_label(re.compile("^" + re.escape(question.label))).select_option("yes")
    page.get_by_role("button", name="Make the referral").click()
    page.wait_for_load_state()  # the page the click opened, fully loaded
    assert "Referral M" in page.content()
    axe(page, "on the new case")
    case_url = page.url
    _sign_out(page)

    # The coordinator lists it for today's meeting and holds the meeting.
    sign_in_browser(page, "marac.coordinator")
    page.goto(case_url)
    page.get_by_role("link", name="List for a meeting").click()
    fill_date(page, "Meeting date", today - timedelta(days=1))
    page.get_by_role("button", name="List the case").click()
    page.wait_for_load_state()  # the page the click opened, fully loaded
    assert "already taken place" in page.content()
    fill_date(page, "Meeting date", today)
    page.get_by_role("button", name="List the case").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Agenda for")
    axe(page, "on the agenda")
    page.get_by_role("button", name="Mark case").click()

    # Actions, each with an owner agency, a due date and the risk it addresses.
    page.get_by_label("Owner agency").select_option(label="Barnet Homes")
    page.get_by_label("Risk it addresses").select_option("housing")
    page.get_by_label("Action").fill("Fit additional locks")
    fill_date(page, "Due date", today + timedelta(days=14))
    axe(page, "on the action form")
    page.get_by_role("button", name="Save the action").click()
    page.wait_for_load_state()  # the page the click opened, fully loaded
    assert "Fit additional locks" in page.content()
    assert _cases_heard(page, live_server, quarter).startswith("1 case was heard")
    _sign_out(page)

    # The owner agency marks the action done.
    sign_in_browser(page, "housing.officer")
    page.goto(case_url)
    page.get_by_role("link", name="Fit additional locks").click()
    page.get_by_label("Status").select_option("done")
    page.get_by_label("Outcome").fill("Locks fitted on both doors")
    fill_date(page, "Date completed", today)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()  # the page the click opened, fully loaded
    assert "Locks fitted on both doors" in page.content()
    axe(page, "on the case with a completed action")

"""An incident triggers a SIRM: the decision and its reasons, the clock counting down on the
coordinator's dashboard, the SIRM recorded within the 24 hours, and the statistics count it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from saferhub.web.accounts.models import AgencyKind, Role
from tests.factories import UserFactory
from tests.factories_panels import MemberAgencyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partnership():
    police = MemberAgencyFactory(
        name="Metropolitan Police", kind=AgencyKind.POLICE, programmes=["sirm", "adults_at_risk"]
    )
    council = MemberAgencyFactory(
        name="Council community safety",
        kind=AgencyKind.COMMUNITY_SAFETY,
        programmes=["sirm", "adults_at_risk"],
    )
    UserFactory(username="police.officer", agency=police, role=Role.PRACTITIONER)
    UserFactory(username="sirm.coordinator", agency=council, role=Role.COORDINATOR)
    return police


def test_an_incident_triggers_a_sirm_within_the_clock(
    page, live_server, sign_in_browser, axe, partnership
):
    three_hours_ago = timezone.localtime() - timedelta(hours=3)

    sign_in_browser(page, "sirm.coordinator")
    page.goto(f"{live_server.url}/sirm/")
    page.get_by_role("link", name="Serious violence incidents and SIRM clocks").click()
    page.get_by_role("link", name="Record an incident").click()
    axe(page, "on the empty incident form")
    page.get_by_label("When did the incident happen?").fill(
        three_hours_ago.strftime("%Y-%m-%d %H:%M")
    )
    page.get_by_label("Agency reporting the incident").select_option(label="Metropolitan Police")
    page.get_by_label("Young person: first name").fill("Tayo")
    page.get_by_label("Young person: last name").fill("Adebayo")
    group = page.get_by_role("group", name="Young person: date of birth")
    group.get_by_label("Day").fill("14")
    group.get_by_label("Month").fill("3")
    group.get_by_label("Year").fill("2006")
    page.get_by_label("Victim's age").fill("20")
    page.get_by_label("Suspect's age").fill("31")
    page.get_by_label("Victim or suspect: served an osman warning").check()
    page.get_by_role("button", name="Record the incident").click()

    # The decision, with its reasons, and the clock.
    expect(page.get_by_role("heading", name="Decision: A SIRM within 24 hours")).to_be_visible()
    expect(page.get_by_text("Served an Osman warning: yes.")).to_be_visible()
    expect(page.get_by_text("The victim or suspect is under 25 (aged 20).")).to_be_visible()
    clock = page.locator("[data-sirm-due]").first
    expect(clock).to_have_text(re.compile(r"^2[01] h \d\d min left$"))
    axe(page, "on the incident page")

    # The dashboard lists it among the SIRMs still to meet, counting down.
    page.goto(f"{live_server.url}/sirm/incidents/")
    row = page.locator("#sirm-clocks tbody tr").filter(has_text="ADEBAYO")
    expect(row).to_contain_text(re.compile(r"h \d\d min left"))
    axe(page, "on the SIRM dashboard")

    # The SIRM meets an hour later: within the 24 hours.
    row.get_by_role("link").click()
    page.get_by_role("link", name="Record when the SIRM met").click()
    page.get_by_label("When did the SIRM meet?").fill(
        (three_hours_ago + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Held within 24 hours").first).to_be_visible()

    # The statistics count it.
    page.goto(f"{live_server.url}/sirm/statistics/")
    held = page.locator("tr").filter(has_text="SIRMs held within 24 hours")
    expect(held.locator("td").last).to_have_text("1")
    axe(page, "on the SIRM statistics")

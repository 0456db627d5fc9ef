"""A probation practitioner finds a person and sees their flags; an uninvolved police officer cannot."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from saferhub.web.accounts.models import AgencyKind, Role
from tests.factories import (
    AgencyFactory,
    FlagFactory,
    IdentifierFactory,
    InvolvementFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partnership():
    probation = AgencyFactory(name="Probation Service – Barnet", kind=AgencyKind.PROBATION)
    police = AgencyFactory(name="British Transport Police – London", kind=AgencyKind.POLICE)
    UserFactory(username="probation.practitioner", agency=probation, role=Role.PRACTITIONER)
    UserFactory(username="btp.officer", agency=police, role=Role.PRACTITIONER)
    person = PersonFactory(first_name="Jordan", last_name="Mensah", date_of_birth=date(1996, 3, 14))
    InvolvementFactory(person=person, agency=probation, reason="On the probation caseload")
    IdentifierFactory(person=person, kind="crn", value="X123456")
    FlagFactory(person=person, kind="mappa", mappa_category=2, mappa_level=1)
    FlagFactory(person=person, kind="suicide_self_harm")
    return person


def test_practitioner_searches_opens_the_record_and_sees_the_flags(
    page, live_server, sign_in_browser, axe, partnership
):
    sign_in_browser(page, "probation.practitioner")
    assert page.get_by_role("heading", name="Welcome, ").is_visible() or "Welcome" in page.content()
    axe(page, "on the home page")

    page.get_by_role("link", name="Find a person").first.click()
    page.get_by_label("Name, PNC ID, CRN or date of birth").fill("Mensah")
    page.get_by_role("button", name="Search").click()
    axe(page, "on the search results")

    page.get_by_role("link", name="MENSAH, Jordan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Jordan MENSAH"
    flags = page.locator("ul[aria-labelledby=flags]").inner_text()
    assert "MAPPA cat 2 level 1" in flags and "Suicide/self-harm" in flags
    axe(page, "on the person record")


def test_police_officer_from_an_uninvolved_agency_cannot_open_the_record(
    page, live_server, sign_in_browser, axe, partnership
):
    sign_in_browser(page, "btp.officer")
    page.goto(f"{live_server.url}/people/?q=Mensah")
    assert "0 people found" in page.content()
    response = page.goto(f"{live_server.url}/people/{partnership.pk}/")
    assert response.status == 404
    assert "Jordan" not in page.content()
    axe(page, "on the not-found page")


def test_sign_in_page_is_accessible(page, live_server, axe):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    axe(page, "on the sign-in page")


def test_an_administrator_places_and_lifts_a_legal_hold(
    page, live_server, sign_in_browser, axe, partnership
):
    probation = partnership.involvements.get().agency
    UserFactory(username="records.admin", agency=probation, role=Role.ADMINISTRATOR)
    sign_in_browser(page, "records.admin")
    page.goto(f"{live_server.url}/people/{partnership.pk}/")
    page.get_by_role("link", name="Place a legal hold").click()
    page.get_by_role("button", name="Save").click()
    # expect() waits for the page the click loads; page.content() could read it half-loaded.
    expect(page.locator("main")).to_contain_text("Give a reason for the legal hold")
    axe(page, "on the legal hold form with an error")
    page.get_by_label("Why must everything about this person be kept?").fill("Civil claim 24/17")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#legal-hold")).to_contain_text("On legal hold")
    axe(page, "on a person record on legal hold")
    page.get_by_role("link", name="All legal holds").click()
    expect(page.locator("main")).to_contain_text("Civil claim 24/17")
    axe(page, "on the list of legal holds")
    page.get_by_role("link", name="Lift").first.click()
    page.get_by_label("Why is the hold no longer needed?").fill("Claim settled")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Place a legal hold")).to_be_visible()
    assert page.locator("#legal-hold").count() == 0

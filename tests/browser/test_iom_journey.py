"""An IOM practitioner works a member's record end to end: tier history, contacts, pathways."""

from __future__ import annotations

from datetime import timedelta

import pytest

from saferhub.web.accounts.models import AgencyKind, Programme, Role
from saferhub.web.people.access import today
from tests.factories import (
    AgencyFactory,
    IdentifierFactory,
    InvolvementFactory,
    PersonFactory,
    UserFactory,
)
from tests.factories_iom import MembershipFactory, OffenceFactory, TierRecordFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
]


@pytest.fixture
def cohort():
    police = AgencyFactory(
        name="Metropolitan Police – North West BCU",
        kind=AgencyKind.POLICE,
        programmes=[Programme.IOM.value],
    )
    UserFactory(username="police.officer", agency=police, role=Role.PRACTITIONER)
    UserFactory(username="iom.coordinator", agency=police, role=Role.COORDINATOR)
    day = today()
    person = PersonFactory(first_name="Kyle", last_name="Bailey")
    IdentifierFactory(person=person, value="19/123456A")
    InvolvementFactory(person=person, agency=police, start=day - timedelta(days=90))
    member = MembershipFactory(
        person=person, pnc_id="19/123456A", join_date=day - timedelta(days=60)
    )
    TierRecordFactory(
        membership=member, tier="Red", from_date=member.join_date, reason="Selected: robbery"
    )
    OffenceFactory(pnc_id="19/123456A", offence_date=member.join_date - timedelta(days=30))
    return member


def test_tier_history_contacts_and_pathways_end_to_end(
    page, live_server, sign_in_browser, axe, cohort
):
    sign_in_browser(page, "police.officer")
    page.goto(f"{live_server.url}/iom/")
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Integrated Offender Management cohort"
    )
    axe(page, "on the cohort list")

    page.get_by_role("link", name="Kyle BAILEY").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Kyle BAILEY"
    axe(page, "on the member record")

    # Tier: Red to Amber, with a reason, then see both in the history.
    page.get_by_role("link", name="Change the tier").click()
    axe(page, "on the tier form")
    page.get_by_label("New tier").select_option("Amber")
    page.get_by_label("Reason for the change").fill("Engaging with mentoring")
    page.get_by_role("button", name="Change the tier").click()
    history = page.get_by_test_id("tier-history").inner_text()
    assert "Selected: robbery" in history and "Engaging with mentoring" in history
    assert history.index("Red") < history.index("Amber")

    # A contact, then compliance counts it.
    page.get_by_role("link", name="Log a contact").click()
    page.get_by_label("Outcome").select_option("attended")
    page.get_by_label("How").select_option("home_visit")
    page.get_by_label("Notes (optional)").fill("Seen at home")
    page.get_by_role("button", name="Log the contact").click()
    assert "Seen at home" in page.get_by_test_id("contacts").inner_text()
    assert "1" in page.get_by_test_id("compliance").inner_text()

    # A pathway referral, then its outcome.
    page.get_by_role("link", name="Refer to a pathway").click()
    page.get_by_label("Pathway").select_option("accommodation")
    page.get_by_label("Provider").fill("Housing options team")
    page.get_by_role("button", name="Record the referral").click()
    assert "Open" in page.get_by_test_id("pathways").inner_text()
    page.get_by_role("link", name="Record the outcome of the Accommodation referral").click()
    page.get_by_label("Outcome", exact=True).select_option("achieved")
    page.get_by_role("button", name="Record the outcome").click()
    assert "Achieved" in page.get_by_test_id("pathways").inner_text()
    axe(page, "on the member record after the changes")

    # A form error is shown beside its field and in the summary, accessibly.
    page.get_by_role("link", name="Change the tier").click()
    page.get_by_label("Reason for the change").fill("")
    page.get_by_role("button", name="Change the tier").click()
    assert page.locator(".govuk-error-summary").is_visible()
    axe(page, "on a form with errors")


def test_board_section_and_selection_pages_are_accessible(
    page, live_server, sign_in_browser, axe, cohort
):
    sign_in_browser(page, "iom.coordinator")
    page.goto(f"{live_server.url}/iom/board/")
    assert page.get_by_role("heading", name="Impact on offending").is_visible()
    axe(page, "on the board section")
    page.goto(f"{live_server.url}/iom/selection/")
    axe(page, "on the selection list")
    page.goto(f"{live_server.url}/iom/add/")
    axe(page, "on the add form")

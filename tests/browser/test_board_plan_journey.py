"""An analyst adds an action to the board's plan, then a dated update that turns it Red;
the RAG history shows both, and every page passes axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from saferhub.web.accounts.models import AgencyKind, Role
from tests.factories import AgencyFactory, UserFactory
from tests.factories_boardplan import ForwardPlanItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_date(page, label: str, day) -> None:
    group = page.get_by_role("group", name=label)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_an_analyst_adds_an_action_and_an_update_that_changes_its_rag(
    page, live_server, sign_in_browser, axe
):
    council = AgencyFactory(name="Council community safety", kind=AgencyKind.COMMUNITY_SAFETY)
    UserFactory(username="board.analyst", agency=council, role=Role.ANALYST)
    today = timezone.localdate()
    ForwardPlanItemFactory(title="Quarterly dashboard", meeting_date=today + timedelta(days=20))

    sign_in_browser(page, "board.analyst")
    page.get_by_role("link", name="Board plan").first.click()
    axe(page, "on the action plan overview")
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Action", exact=True).fill("Open safe spaces in two town centres")
    page.get_by_label("Owner").fill("VAWG Strategy Lead")
    page.get_by_label("Agency").select_option(label="Council community safety")
    fill_date(page, "Due date", today + timedelta(days=90))
    page.get_by_label("Amber").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()  # the page the click opened, fully loaded
    assert "Action added to the plan" in page.content()
    axe(page, "on an action")

    page.get_by_role("link", name="Add an update").click()
    page.get_by_role("button", name="Save").click()  # no text: the error summary names it
    assert "Enter the update." in page.locator(".govuk-error-summary").inner_text()
    axe(page, "on the update form with an error")
    page.get_by_label("Red").check()
    page.get_by_label("Update", exact=True).fill("The second venue fell through.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()  # the page the click opened, fully loaded
    assert "Update added" in page.content()
    assert "Red" in page.locator("#current-rag").inner_text()
    timeline = page.locator(".saferhub-timeline").inner_text()
    assert timeline.index("The second venue fell through.") < timeline.index("Added to the action")
    axe(page, "on an action with its RAG history")

    page.goto(f"{live_server.url}/board-plan/")
    assert "1 open action: 1 Red, 0 Amber, 0 Green; 0 overdue." in page.content()
    page.get_by_role("link", name="forward plan").click()
    page.wait_for_load_state()  # the page the click opened, fully loaded
    assert "Quarterly dashboard" in page.content()
    axe(page, "on the forward plan")

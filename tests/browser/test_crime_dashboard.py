"""A board member opens the crime dashboard, switches borough and period, and reads the figures."""

from __future__ import annotations

import pytest

from saferhub.demo import insights as demo
from saferhub.rules.periods import Month, Window
from saferhub.web.accounts.models import Role
from tests.factories import UserFactory
from tests.measures.crime_files import (
    varied,
    window_sum,
    write_mps,
    write_population,
    write_series,
)

FIRST, LAST = Month(2019, 1), Month(2023, 9)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dashboard_data(tmp_path):
    write_mps(tmp_path / demo.CRIME, FIRST, LAST, varied)
    write_population(tmp_path / demo.POPULATION)
    write_series(
        tmp_path / demo.SERIES,
        [("Barnet", m.key, "ASB calls", 900 + m.month) for m in Window(FIRST, LAST).months],
    )
    demo.load(tmp_path, {})
    UserFactory(username="board.member", role=Role.VIEWER)


def test_board_member_switches_borough_and_period_and_finds_the_figures(
    page, live_server, sign_in_browser, axe, dashboard_data
):
    sign_in_browser(page, "board.member")
    page.get_by_role("link", name="Crime dashboard").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Crime performance dashboard"
    assert page.get_by_role("heading", name="At a glance: Barnet").is_visible()
    recent = Window.ending(LAST, 3)
    assert (
        f"There were {window_sum('Barnet', recent):,} cases of Residential Burglary in the 3 "
        f"months of {recent.label}." in page.content()
    )
    axe(page, "on the Barnet dashboard")

    page.get_by_label("Borough", exact=True).select_option("Sutton")
    page.get_by_label("Up to and including").select_option(label="June 2023")
    page.get_by_label("Recent period").select_option(label="4 months")
    page.get_by_role("button", name="Show dashboard").click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", name="At a glance: Sutton").is_visible()
    recent = Window.ending(Month(2023, 6), 4)
    assert (
        f"There were {window_sum('Sutton', recent):,} cases of Residential Burglary in the 4 "
        f"months of March 2023 to June 2023. In the same period 12 months prior there were "
        f"{window_sum('Sutton', recent.year_earlier):,}." in page.content()
    )
    glance = page.locator(".saferhub-tiles")
    assert "Residential Burglary" in glance.inner_text()
    assert "in South Area BCU" in glance.inner_text()
    assert page.get_by_label("Borough", exact=True).input_value() == "Sutton"
    axe(page, "on the Sutton dashboard")

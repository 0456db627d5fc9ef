"""A probation officer loads a caseload extract and reads the needs analysis; an analyst reads
the version for sharing beyond probation. Both pages pass axe-core."""

from __future__ import annotations

import pytest

from saferhub.web.accounts.models import AgencyKind, Role
from tests.factories import AgencyFactory, UserFactory
from tests.measures.needs_rows import person, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def extract(tmp_path):
    rows = [
        person("X000001", needs=("ete", "thinking_behaviour"), registrations=("mappa",)),
        person("X000002", setting="custody", needs=("accommodation", "thinking_behaviour")),
        person("X000003", assessment_date=None),
        *(person(f"X10000{i}", needs=("thinking_behaviour", "attitudes")) for i in range(7)),
    ]
    return write_csv(tmp_path / "barnet_caseload.csv", rows)


@pytest.fixture
def users():
    probation = AgencyFactory(name="Probation Service – Barnet", kind=AgencyKind.PROBATION)
    UserFactory(username="probation.officer", role=Role.PRACTITIONER, agency=probation)
    UserFactory(username="council.analyst", role=Role.ANALYST)


def test_probation_loads_an_extract_and_an_analyst_reads_the_public_version(
    page, live_server, sign_in_browser, axe, extract, users
):
    sign_in_browser(page, "probation.officer")
    page.goto(f"{live_server.url}/needs/")
    assert page.get_by_role("heading", level=1).inner_text() == "Probation needs analysis"
    page.get_by_role("link", name="Load a caseload extract").click()
    axe(page, "on the loading page")
    page.get_by_label("Caseload extract").set_input_files(str(extract))
    page.get_by_label("Area").fill("Barnet")
    page.get_by_role("button", name="Load the extract").click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", name="Criminogenic needs", exact=True).is_visible()
    assert "In the community, the most common needs among the 8 assessed people" in page.content()
    assert page.get_by_text("X000003").first.is_visible()
    axe(page, "on the full needs analysis")

    page.context.clear_cookies()
    sign_in_browser(page, "council.analyst")
    page.goto(f"{live_server.url}/needs/")
    assert "version for sharing beyond probation" in page.content()
    assert "X000003" not in page.content()
    axe(page, "on the public needs analysis")

"""Long lists page (GOV.UK pagination) and sort by their main columns, from a whitelist."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import RequestFactory

from saferhub.web.accounts.models import Role
from saferhub.web.tables import Sorting, page_links, paginate
from tests.factories import UserFactory
from tests.factories_panels import ActionFactory, CaseFactory, MemberAgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    agency = MemberAgencyFactory(name="Council (lists)")
    client.force_login(UserFactory(username="lists.coord", agency=agency, role=Role.COORDINATOR))
    return client


def references(response) -> list[str]:
    return [c.reference for c in response.context["cases"]]


def test_the_case_list_has_a_next_page_instead_of_stopping_at_a_limit(coordinator):
    for n in range(120):
        CaseFactory(referral_date=date(2023, 1, 1) + timedelta(days=n))
    first = coordinator.get("/marac/cases/")
    assert first.context["total"] == 120 and len(references(first)) == 50
    page = first.content.decode()
    assert "Showing 1 to 50 of 120 cases" in page and 'rel="next"' in page
    third = coordinator.get("/marac/cases/", {"page": 3})
    assert len(references(third)) == 20
    # Newest referrals first by default; any column can be sorted either way.
    dates = [c.referral_date for c in first.context["cases"]]
    assert dates == sorted(dates, reverse=True)
    by_ref = coordinator.get("/marac/cases/", {"sort": "case", "dir": "asc"})
    assert references(by_ref) == sorted(references(by_ref))
    assert 'aria-sort="ascending"' in by_ref.content.decode()


def test_a_page_number_out_of_range_shows_the_last_page_not_an_error(coordinator):
    CaseFactory.create_batch(3)
    response = coordinator.get("/marac/cases/", {"page": 999})
    assert response.status_code == 200 and len(references(response)) == 3
    assert coordinator.get("/marac/cases/", {"page": "x"}).status_code == 200


def test_the_overdue_list_pages_and_sorts_by_due_date(coordinator):
    for n in range(55):
        ActionFactory(due_date=date(2024, 1, 1) + timedelta(days=n), status="open")
    response = coordinator.get(
        "/marac/actions/overdue/", {"agency": "all", "sort": "due", "dir": "desc"}
    )
    due = [a.due_date for a in response.context["actions"]]
    assert len(due) == 50 and due == sorted(due, reverse=True)


def test_sorting_ignores_keys_outside_the_whitelist_and_flips_the_direction():
    request = RequestFactory().get("/x/", {"sort": "password", "dir": "desc"})
    sorting = Sorting.from_request(request, {"name": ("last_name",)}, "name")
    assert sorting.key == "name" and sorting.order_by() == ["last_name"]
    request = RequestFactory().get("/x/", {"sort": "name", "dir": "desc", "page": "4"})
    sorting = Sorting.from_request(request, {"name": ("last_name", "-born")}, "name")
    assert sorting.order_by() == ["-last_name", "born"]
    header = sorting.header("name")
    assert header["aria_sort"] == "descending"
    assert "dir=asc" in header["url"] and "page=" not in header["url"]


def test_page_links_keep_the_query_and_elide_long_ranges():
    request = RequestFactory().get("/x/", {"q": "smith", "page": "10"})
    links = page_links(request, paginate(request, list(range(1000)), per_page=10))
    assert links["previous"].endswith("page=9") and "q=smith" in links["previous"]
    assert any(item.get("ellipsis") for item in links["items"])
    assert [i["number"] for i in links["items"] if i.get("current")] == [10]

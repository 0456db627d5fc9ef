"""No lost updates on the ASB pages: a stale settings form is refused and names what changed;
completing a review or closing a case twice records nothing the second time."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from saferhub.web.asb import services
from saferhub.web.asb.models import AsbCase, Review, ReviewSettings, ReviewStatus
from tests.factories import UserFactory
from tests.factories_asb import (
    AsbAgencyFactory,
    AsbCaseFactory,
    CaseAgencyFactory,
    ComplainantFactory,
)
from tests.security.stale_forms import loaded, page_text, updates_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return AsbAgencyFactory(name="Council ASB team")


def signed_in(agency, name: str) -> Client:
    client = Client()
    client.force_login(UserFactory(username=name, agency=agency, role="coordinator"))
    return client


def _settings_form(page: dict, **changes) -> dict:
    values = {
        "complaints": "3",
        "window_months": "6",
        "report_within_months": "1",
        "community_individuals": "5",
        "community_window_months": "6",
        "review_working_days": "20",
        "letter_template": "Dear $applicant",
    }
    return {**page, **values, **{k: str(v) for k, v in changes.items()}}


def test_the_second_of_two_stale_settings_forms_is_refused_and_keeps_the_first(council):
    services.save_settings(None, version=1, **{
        "complaints": 3, "window_months": 6, "report_within_months": 1,
        "community_individuals": 5, "community_window_months": 6, "review_working_days": 20,
        "letter_template": "Dear $applicant",
    })  # fmt: skip
    alice, bob = signed_in(council, "alice"), signed_in(council, "bob")
    alices_page, bobs_page = loaded(alice, "/asb/settings/"), loaded(bob, "/asb/settings/")
    assert (
        alice.post("/asb/settings/", _settings_form(alices_page, complaints=4)).status_code == 302
    )
    row = ReviewSettings.objects.get()
    before = updates_of(row)
    refused = bob.post("/asb/settings/", _settings_form(bobs_page, community_individuals=7))
    assert refused.status_code == 200
    text = page_text(refused)
    assert "Someone else changed this record" in text and "Complaints needed" in text
    row.refresh_from_db()
    assert (row.complaints, row.community_individuals) == (4, 5)
    assert updates_of(row) == before


def test_completing_a_review_twice_records_nothing_the_second_time(council):
    case = AsbCaseFactory(lead_agency=council)
    CaseAgencyFactory(case=case, agency=council)
    review = Review.objects.create(
        case=case,
        applicant=ComplainantFactory(case=case),
        requested_on=date(2024, 6, 1),
        status=ReviewStatus.IN_REVIEW,
        threshold_met=True,
        explanation="met",
        threshold={},
    )
    client = signed_in(council, "carol")
    url = f"/asb/reviews/{review.pk}/complete/"
    first, second = loaded(client, url), loaded(client, url)
    form = {"decision": "Agreed", "completed_on": "2024-06-20"}
    assert client.post(url, {**first, **form}).status_code == 302
    review.refresh_from_db()
    before = updates_of(review)
    again = client.post(url, {**second, **form, "decision": "Changed"})
    assert again.status_code == 200 and "not under way" in page_text(again)
    review.refresh_from_db()
    assert review.decision == "Agreed" and updates_of(review) == before


def test_closing_a_case_twice_is_refused(council):
    case = AsbCaseFactory(lead_agency=council)
    CaseAgencyFactory(case=case, agency=council)
    client = signed_in(council, "dave")
    url = f"/asb/cases/{case.pk}/close/"
    page = loaded(client, url)
    assert client.post(url, {**page, "reason": "Resolved"}).status_code == 302
    again = client.post(url, {**page, "reason": "Again"})
    assert again.status_code == 200 and "already closed" in page_text(again)
    case = AsbCase.objects.get(pk=case.pk)
    assert case.closure_reason == "Resolved"

"""ASB pages as real roles: open a case, log incidents to the review threshold, run the review;
need-to-know by working agency; tools and powers; statistics."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.web.asb import services
from saferhub.web.asb.models import AsbCase, Review, ReviewStatus, ToolUse
from saferhub.web.asb.privacy import SIGHT_REASON, visible_cases
from saferhub.web.audit.models import AuditEvent
from saferhub.web.people.access import can_see
from saferhub.web.people.models import Involvement
from tests.factories import UserFactory
from tests.factories_asb import AsbAgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return AsbAgencyFactory(name="Council ASB team")


@pytest.fixture
def housing():
    return AsbAgencyFactory(name="Housing provider", kind="housing")


@pytest.fixture
def officer(council):
    return UserFactory(username="asb.officer", role="practitioner", agency=council)


@pytest.fixture
def coordinator(council):
    return UserFactory(username="asb.coordinator", role="coordinator", agency=council)


def _open_case(client, housing=None) -> AsbCase:
    today = timezone.localdate()
    data = {
        "summary": "Drug dealing and noise on the stairwell",
        "category": "nuisance",
        "location": "Block C",
        "ward": "Colindale North",
        "opened_on": (today - timedelta(days=60)).isoformat(),
    }
    if housing is not None:
        data["agencies"] = [str(housing.pk)]
    response = client.post(reverse("asb:case-new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return AsbCase.objects.latest("pk")


def _add_complainant(client, case, first="Jane", last="Doe"):
    response = client.post(
        reverse("asb:complainant-new", args=[case.pk]), {"first_name": first, "last_name": last}
    )
    assert response.status_code == 302
    return case.complainants.latest("pk")


def _log(client, case, complainant, days_ago: int, delay: int = 1):
    today = timezone.localdate()
    response = client.post(
        reverse("asb:incident-new", args=[case.pk]),
        {
            "occurred_on": (today - timedelta(days=days_ago)).isoformat(),
            "occurred_at": "22:15",
            "location": "Stairwell, block C",
            "ward": "Colindale North",
            "category": "nuisance",
            "description": "Shouting and a smell of cannabis",
            "complainant": str(complainant.pk),
            "reported_on": (today - timedelta(days=days_ago - delay)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]


def test_officer_logs_incidents_until_the_threshold_is_met_and_coordinator_completes_review(
    client, officer, coordinator, housing
):
    client.force_login(officer)
    case = _open_case(client, housing)
    assert case.reference == f"ASB{case.pk:06d}"
    jane = _add_complainant(client, case)
    # One complaint made 40 days after its incident: too late to count.
    _log(client, case, jane, days_ago=50, delay=40)
    _log(client, case, jane, days_ago=30)
    _log(client, case, jane, days_ago=20)

    today = timezone.localdate()
    client.post(
        reverse("asb:review-new", args=[case.pk]),
        {"applicant": str(jane.pk), "requested_on": today.isoformat()},
    )
    first = Review.objects.latest("pk")
    assert first.status == ReviewStatus.NOT_MET
    page = client.get(reverse("asb:review", args=[first.pk])).content.decode()
    assert "2 qualifying complaints" in page
    assert "more than 1 month after the incident" in page

    _log(client, case, jane, days_ago=10)
    client.post(
        reverse("asb:review-new", args=[case.pk]),
        {"applicant": str(jane.pk), "requested_on": today.isoformat()},
    )
    review = Review.objects.latest("pk")
    assert review.status == ReviewStatus.IN_REVIEW and review.threshold_met
    assert review.due_on is not None and review.due_on > today + timedelta(days=20)

    client.force_login(coordinator)
    response = client.post(
        reverse("asb:recommendation-new", args=[review.pk]),
        {"text": "Housing to serve a tenancy warning", "owner_agency": str(housing.pk)},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("asb:review-complete", args=[review.pk]),
        {
            "version": str(review.version),
            "decision": "Agencies will act together.",
            "completed_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.COMPLETED
    assert "Dear Jane Doe" in review.letter
    assert "Housing to serve a tenancy warning (Housing provider)" in review.letter
    # A second completion is refused, with a message, not an error page.
    again = client.post(
        reverse("asb:review-complete", args=[review.pk]),
        {"version": str(review.version), "decision": "x", "completed_on": today.isoformat()},
    )
    assert again.status_code == 200 and "not under way" in again.content.decode()


def test_overdue_reviews_show_on_the_coordinators_dashboard(client, officer, coordinator):
    client.force_login(officer)
    case = _open_case(client)
    jane = _add_complainant(client, case)
    for days in (90, 80, 70):
        _log(client, case, jane, days_ago=days)
    asked = timezone.localdate() - timedelta(days=60)
    client.post(
        reverse("asb:review-new", args=[case.pk]),
        {"applicant": str(jane.pk), "requested_on": asked.isoformat()},
    )
    review = Review.objects.get()
    assert review.threshold_met and review.due_on < timezone.localdate()
    client.force_login(coordinator)
    page = client.get(reverse("asb:home")).content.decode()
    assert "Overdue case reviews" in page and case.reference in page
    client.force_login(officer)
    assert case.reference not in client.get(reverse("asb:home")).content.decode()


def test_an_agency_not_working_the_case_cannot_see_it_or_its_people(client, rf, officer, housing):
    client.force_login(officer)
    case = _open_case(client)
    jane = _add_complainant(client, case)
    outsider = UserFactory(username="housing.officer", role="practitioner", agency=housing)
    client.force_login(outsider)
    assert client.get(reverse("asb:case", args=[case.pk])).status_code == 404
    assert not can_see(outsider, jane.person)
    assert case.reference not in client.get(reverse("asb:cases")).content.decode()
    # Once the housing provider works the case, its officers see the case and its people.
    request = rf.post("/")
    request.user = officer
    services.add_agency(request, case=case, agency=housing, on=timezone.localdate())
    assert client.get(reverse("asb:case", args=[case.pk])).status_code == 200
    assert can_see(outsider, jane.person)


def test_closing_a_case_ends_sight_of_its_people_after_the_grace(
    client, officer, coordinator, settings
):
    client.force_login(officer)
    case = _open_case(client)
    jane = _add_complainant(client, case)
    client.force_login(coordinator)
    response = client.post(
        reverse("asb:case-close", args=[case.pk]),
        {"version": str(AsbCase.objects.get(pk=case.pk).version), "reason": "Resolved"},
    )
    assert response.status_code == 302
    involvement = Involvement.objects.get(person=jane.person, reason=SIGHT_REASON)
    grace = settings.GRANT_PROGRAMME_GRACE_DAYS
    assert involvement.end == timezone.localdate() + timedelta(days=grace)
    later = timezone.localdate() + timedelta(days=grace + 1)
    assert not can_see(officer, jane.person, on=later)
    assert not visible_cases(officer, on=later).filter(pk=case.pk).exists()


def test_viewing_a_case_is_audited_naming_its_people(client, officer):
    client.force_login(officer)
    case = _open_case(client)
    jane = _add_complainant(client, case)
    client.get(reverse("asb:case", args=[case.pk]))
    event = AuditEvent.objects.filter(summary=f"Viewed ASB case {case.reference}").latest("pk")
    assert jane.person_id in event.detail["person_ids"]


def test_an_impossible_incident_is_refused_naming_the_field(client, officer):
    client.force_login(officer)
    case = _open_case(client)
    jane = _add_complainant(client, case)
    today = timezone.localdate()
    response = client.post(
        reverse("asb:incident-new", args=[case.pk]),
        {
            "occurred_on": today.isoformat(),
            "location": "Block C",
            "category": "nuisance",
            "complainant": str(jane.pk),
            "reported_on": (today - timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "cannot be made before the incident" in response.content.decode()


def test_tool_uses_feed_the_statistics_and_the_public_version_hides_small_counts(
    client, officer, council
):
    client.force_login(officer)
    case = _open_case(client)
    client.post(
        reverse("asb:respondent-new", args=[case.pk]), {"first_name": "Ray", "last_name": "Kent"}
    )
    ray = case.respondents.get().person
    for _ in range(2):
        response = client.post(
            reverse("asb:case-tool-new", args=[case.pk]),
            {
                "kind": "cpn_warning",
                "agency": str(council.pk),
                "person": str(ray.pk),
                "used_on": timezone.localdate().isoformat(),
                "outcome": "Complied",
            },
        )
        assert response.status_code == 302
    assert ToolUse.objects.filter(person=ray).count() == 2
    analyst = UserFactory(username="asb.analyst", role="analyst", agency=council)
    client.force_login(analyst)
    full = client.get(reverse("asb:statistics")).content.decode()
    public = client.get(reverse("asb:statistics") + "?audience=public").content.decode()
    assert "Tools and powers: CPN written warning" in full
    assert "&lt;5" in public


def test_settings_change_the_threshold(client, coordinator, officer):
    client.force_login(coordinator)
    current = services.review_settings()
    response = client.post(
        reverse("asb:settings"),
        {
            "version": str(current.version),
            "complaints": "1",
            "window_months": "6",
            "report_within_months": "1",
            "community_individuals": "5",
            "community_window_months": "6",
            "review_working_days": "15",
            "letter_template": "Dear $applicant, case $reference.",
        },
    )
    assert response.status_code == 302
    client.force_login(officer)
    case = _open_case(client)
    jane = _add_complainant(client, case)
    _log(client, case, jane, days_ago=5)
    client.post(
        reverse("asb:review-new", args=[case.pk]),
        {"applicant": str(jane.pk), "requested_on": timezone.localdate().isoformat()},
    )
    review = Review.objects.get()
    assert review.threshold_met and review.threshold["review_working_days"] == 15


def test_reference_of_an_asb_case_for_other_panels():
    case = AsbCase.objects.create(
        reference="tmp",
        summary="x",
        category="personal",
        opened_on=date(2024, 1, 1),
        lead_agency=AsbAgencyFactory(),
    )
    assert services.reference_for(case) == f"ASB{case.pk:06d}"


def test_an_action_is_marked_done_once(client, officer, council):
    client.force_login(officer)
    case = _open_case(client)
    client.post(
        reverse("asb:action-new", args=[case.pk]),
        {
            "description": "Visit the flat",
            "owner_agency": str(council.pk),
            "due_date": timezone.localdate().isoformat(),
        },
    )
    action = case.actions.get()
    url = reverse("asb:action-done", args=[action.pk])
    assert client.post(url, {"version": str(action.version)}).status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    again = client.post(url, {"version": str(action.version)}, follow=True)
    assert "already done" in again.content.decode()
    outsider = UserFactory(username="other.officer", role="practitioner", agency=AsbAgencyFactory())
    client.force_login(outsider)
    assert client.post(url, {"version": str(action.version)}).status_code == 404

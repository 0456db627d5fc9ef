"""ASB records: the letter template cannot reach into the app, and no page discloses a case
or a person to an agency not working the case."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from saferhub.web.asb import services
from saferhub.web.asb.models import Review, ReviewStatus
from tests.factories import UserFactory
from tests.factories_asb import (
    AsbAgencyFactory,
    AsbCaseFactory,
    CaseAgencyFactory,
    ComplainantFactory,
    ToolUseFactory,
)

pytestmark = pytest.mark.django_db


def _review(case, complainant) -> Review:
    return Review.objects.create(
        case=case,
        applicant=complainant,
        requested_on=date(2024, 6, 1),
        status=ReviewStatus.IN_REVIEW,
        threshold_met=True,
        explanation="The threshold is met.",
        threshold={},
        due_on=date(2024, 6, 29),
    )


def test_a_letter_template_cannot_read_settings_or_objects():
    # A coordinator edits the template: Django template syntax or attribute access there
    # must stay literal text, never be evaluated (server-side template injection).
    case = AsbCaseFactory()
    review = _review(case, ComplainantFactory(case=case))
    template = (
        "{{ settings.SECRET_KEY }} {% debug %} ${applicant.__class__} $applicant ${reference}"
    )
    letter = services.letter_for(review, "Decided", date(2024, 6, 20), template)
    assert "{{ settings.SECRET_KEY }}" in letter and "{% debug %}" in letter
    assert "${applicant.__class__}" in letter
    assert str(review.applicant) in letter and case.reference in letter


def test_a_review_of_a_case_the_agency_does_not_work_is_not_found(client):
    case = AsbCaseFactory()
    CaseAgencyFactory(case=case, agency=case.lead_agency)
    review = _review(case, ComplainantFactory(case=case))
    outsider = UserFactory(username="other.asb", role="coordinator", agency=AsbAgencyFactory())
    client.force_login(outsider)
    for url in (
        reverse("asb:review", args=[review.pk]),
        reverse("asb:review-complete", args=[review.pk]),
        reverse("asb:recommendation-new", args=[review.pk]),
        reverse("asb:case", args=[case.pk]),
        reverse("asb:incident-new", args=[case.pk]),
        reverse("asb:case-tool-new", args=[case.pk]),
    ):
        assert client.get(url).status_code == 404, url
    page = client.get(reverse("asb:home")).content.decode()
    assert case.reference not in page


def test_the_tools_list_does_not_name_a_person_the_viewer_may_not_see(client):
    case = AsbCaseFactory()
    complainant = ComplainantFactory(case=case)
    ToolUseFactory(person=complainant.person, premises="", case=case)
    viewer = UserFactory(username="asb.viewer", role="viewer", agency=AsbAgencyFactory())
    client.force_login(viewer)
    page = client.get(reverse("asb:tools")).content.decode()
    assert complainant.person.last_name not in page
    assert case.reference not in page
    assert "A person your agency does not work with" in page


def test_the_tools_list_does_not_show_premises_of_a_case_the_viewer_does_not_work(client):
    case = AsbCaseFactory()
    ToolUseFactory(premises="14 Quiet Close", case=case)
    ToolUseFactory(premises="Town centre PSPO area", case=None)
    viewer = UserFactory(username="asb.viewer2", role="viewer", agency=AsbAgencyFactory())
    client.force_login(viewer)
    page = client.get(reverse("asb:tools")).content.decode()
    assert "14 Quiet Close" not in page and "Town centre PSPO area" in page

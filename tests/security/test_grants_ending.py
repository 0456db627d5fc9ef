"""Shares and involvements can be ended early, by a coordinator of the agency that gave
them or an administrator, and the end takes sight away the same day. Each end is audited.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.audit.models import AuditEvent
from saferhub.web.people.access import today
from tests.factories import (
    AgencyFactory,
    InvolvementFactory,
    PersonFactory,
    ShareFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def probation():
    return AgencyFactory(name="Probation", kind=AgencyKind.PROBATION)


@pytest.fixture
def police():
    return AgencyFactory(name="Police", kind=AgencyKind.POLICE)


@pytest.fixture
def share(probation, police):
    person = PersonFactory()
    InvolvementFactory(person=person, agency=probation)
    day = today()
    return ShareFactory(
        person=person,
        agency=police,
        start=day - timedelta(days=5),
        end=day + timedelta(days=60),
        granted_by=UserFactory(agency=probation, role=Role.COORDINATOR),
    )


def test_ending_a_share_early_removes_sight_today(client, probation, police, share):
    officer = UserFactory(agency=police, role=Role.PRACTITIONER)
    client.force_login(officer)
    assert client.get(reverse("people:detail", args=[share.person_id])).status_code == 200
    client.force_login(UserFactory(agency=probation, role=Role.COORDINATOR, username="ender"))
    response = client.post(reverse("people:end-share", args=[share.pk]))
    assert response.status_code == 302
    share.refresh_from_db()
    assert share.end < today() and share.ended_at is not None
    client.force_login(officer)
    assert client.get(reverse("people:detail", args=[share.person_id])).status_code == 404
    event = AuditEvent.objects.get(detail__grant="end", username="ender")
    assert event.person_id == share.person_id and event.object_type == "people.Share"


def test_ending_an_involvement_early_removes_sight_today(client, police):
    person = PersonFactory()
    involvement = InvolvementFactory(person=person, agency=police, end=None)
    officer = UserFactory(agency=police, role=Role.PRACTITIONER)
    client.force_login(officer)
    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 200
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, agency=None, username="admin"))
    client.post(reverse("people:end-involvement", args=[involvement.pk]))
    client.force_login(officer)
    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 404
    assert AuditEvent.objects.filter(detail__grant="end", username="admin").exists()


def test_the_receiving_agency_cannot_end_or_extend_someone_elses_share(client, police, share):
    # The police coordinator receives the share; only probation (who gave it) may end it.
    client.force_login(UserFactory(agency=police, role=Role.COORDINATOR))
    response = client.post(reverse("people:end-share", args=[share.pk]))
    assert response.status_code == 404
    share.refresh_from_db()
    assert share.end > today() and share.ended_at is None


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.VIEWER])
def test_only_coordinators_and_administrators_may_end_a_grant(client, police, role):
    involvement = InvolvementFactory(agency=police)
    client.force_login(UserFactory(agency=police, role=role))
    assert client.post(reverse("people:end-involvement", args=[involvement.pk])).status_code == 403
    involvement.refresh_from_db()
    assert involvement.end is None


def test_a_coordinator_of_another_agency_cannot_end_an_involvement(client, police, probation):
    involvement = InvolvementFactory(agency=police)
    client.force_login(UserFactory(agency=probation, role=Role.COORDINATOR))
    assert client.post(reverse("people:end-involvement", args=[involvement.pk])).status_code == 404
    involvement.refresh_from_db()
    assert involvement.end is None


def test_granting_a_share_is_audited_as_a_grant(client, probation, police):
    person = PersonFactory()
    InvolvementFactory(person=person, agency=probation)
    client.force_login(UserFactory(agency=probation, role=Role.COORDINATOR))
    day = today()
    client.post(
        reverse("people:add-share", args=[person.pk]),
        {
            "agency": police.pk,
            "reason": "Joint visit",
            "start": day.isoformat(),
            "end": (day + timedelta(days=30)).isoformat(),
        },
    )
    event = AuditEvent.objects.get(detail__grant="share")
    assert event.person_id == person.pk and event.detail["agency"] == police.name

"""Finding: a practitioner could turn a 90-day share into permanent access by adding an
open-ended involvement for their own agency, with any reason and start date, unapproved.

Now an involvement asked for by hand needs a reason from a fixed list and an end date
within the configured maximum, gives no sight until a coordinator of the same agency
approves it, and every step is audited.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from saferhub.rules.need_to_know import add_months
from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.audit.models import AuditEvent, AuditSubject
from saferhub.web.people.access import can_see, today, visible_people
from saferhub.web.people.models import Involvement, InvolvementStatus, Person
from tests.factories import AgencyFactory, PersonFactory, ShareFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def police():
    return AgencyFactory(name="Metropolitan Police", kind=AgencyKind.POLICE)


@pytest.fixture
def housing():
    return AgencyFactory(name="Barnet Homes", kind=AgencyKind.HOUSING)


@pytest.fixture
def shared(police):
    """A person shared with the police for a few more days, as the finding describes."""
    person = PersonFactory(first_name="Jordan", last_name="Mensah", date_of_birth=date(1990, 1, 1))
    day = today()
    ShareFactory(
        person=person, agency=police, start=day - timedelta(days=80), end=day + timedelta(days=3)
    )
    return person


def ask(client, person, **changes):
    day = today()
    data = {"reason": "safeguarding", "start": day.isoformat()}
    data["end"] = (add_months(day, 6)).isoformat()
    data.update(changes)
    return client.post(reverse("people:add-involvement", args=[person.pk]), data)


def sees_after_share(user, person) -> bool:
    """Whether the user would still see the person once the share has run out."""
    later = today() + timedelta(days=10)
    fresh = Person.objects.prefetch_related("involvements", "shares").get(pk=person.pk)
    return (
        can_see(user, fresh, on=later)
        and visible_people(user, on=later).filter(pk=person.pk).exists()
    )


def test_a_practitioners_request_gives_no_sight_until_approved(client, police, shared):
    practitioner = UserFactory(agency=police, role=Role.PRACTITIONER)
    client.force_login(practitioner)
    response = ask(client, shared)
    assert response.status_code == 302
    involvement = Involvement.objects.get(person=shared, agency=police)
    assert involvement.status == InvolvementStatus.REQUESTED
    assert not sees_after_share(practitioner, shared)

    coordinator = UserFactory(agency=police, role=Role.COORDINATOR)
    client.force_login(coordinator)
    client.post(
        reverse("people:decide-involvement", args=[involvement.pk]), {"decision": "approve"}
    )
    involvement.refresh_from_db()
    assert involvement.status == InvolvementStatus.APPROVED
    assert involvement.decided_by == coordinator
    assert sees_after_share(practitioner, shared)


def test_a_refused_request_gives_no_sight(client, police, shared):
    practitioner = UserFactory(agency=police, role=Role.PRACTITIONER)
    client.force_login(practitioner)
    ask(client, shared)
    involvement = Involvement.objects.get(person=shared, agency=police)
    client.force_login(UserFactory(agency=police, role=Role.COORDINATOR))
    client.post(reverse("people:decide-involvement", args=[involvement.pk]), {"decision": "refuse"})
    involvement.refresh_from_db()
    assert involvement.status == InvolvementStatus.REFUSED
    assert not sees_after_share(practitioner, shared)


@pytest.mark.parametrize(
    ("role", "same_agency"),
    [
        (Role.COORDINATOR, False),  # a coordinator of another agency
        (Role.PRACTITIONER, True),  # a colleague who is not a coordinator
        (Role.ADMINISTRATOR, False),  # runs the system, does not vouch for an agency's work
    ],
)
def test_only_a_coordinator_of_the_same_agency_may_approve(
    client, police, housing, shared, role, same_agency
):
    client.force_login(UserFactory(agency=police, role=Role.PRACTITIONER))
    ask(client, shared)
    involvement = Involvement.objects.get(person=shared, agency=police)
    client.force_login(UserFactory(agency=police if same_agency else housing, role=role))
    response = client.post(
        reverse("people:decide-involvement", args=[involvement.pk]), {"decision": "approve"}
    )
    assert response.status_code in (403, 404)
    involvement.refresh_from_db()
    assert involvement.status == InvolvementStatus.REQUESTED


def test_the_queue_lists_only_the_coordinators_own_agency(client, police, housing, shared):
    client.force_login(UserFactory(agency=police, role=Role.PRACTITIONER))
    ask(client, shared)
    client.force_login(UserFactory(agency=housing, role=Role.COORDINATOR))
    page = client.get(reverse("people:involvement-requests")).content.decode()
    assert "MENSAH" not in page and "No requests are waiting" in page
    police_coordinator = UserFactory(agency=police, role=Role.COORDINATOR, username="boss")
    client.force_login(police_coordinator)
    page = client.get(reverse("people:involvement-requests")).content.decode()
    assert "MENSAH" in page
    event = AuditEvent.objects.filter(username="boss").latest("id")
    assert set(AuditSubject.objects.filter(event=event).values_list("person_id", flat=True)) == {
        shared.pk
    }


def test_a_coordinators_own_request_is_approved_and_audited_as_both_steps(client, police, shared):
    client.force_login(UserFactory(agency=police, role=Role.COORDINATOR))
    ask(client, shared)
    involvement = Involvement.objects.get(person=shared, agency=police)
    assert involvement.status == InvolvementStatus.APPROVED
    steps = AuditEvent.objects.filter(person_id=shared.pk, detail__grant__isnull=False)
    assert sorted(steps.values_list("detail__grant", flat=True)) == ["approve", "request"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end": ""}, "end", "required"),
        ({"reason": "because I could see it"}, "reason", "valid choice"),
        ({"reason": ""}, "reason", "required"),
    ],
)
def test_a_request_needs_a_listed_reason_and_an_end_date(
    client, police, shared, changes, field, message
):
    client.force_login(UserFactory(agency=police, role=Role.PRACTITIONER))
    response = ask(client, shared, **changes)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Involvement.objects.filter(person=shared, agency=police).exists()


def test_the_end_date_is_capped_at_the_configured_maximum(client, police, shared, settings):
    settings.GRANT_INVOLVEMENT_MAX_MONTHS = 12
    client.force_login(UserFactory(agency=police, role=Role.PRACTITIONER))
    response = ask(client, shared, end=(add_months(today(), 12) + timedelta(days=1)).isoformat())
    assert "at most 12 months" in response.context["form"].errors["end"][0]
    settings.GRANT_INVOLVEMENT_MAX_MONTHS = 3
    response = ask(client, shared, end=(add_months(today(), 4)).isoformat())
    assert "at most 3 months" in response.context["form"].errors["end"][0]
    assert not Involvement.objects.filter(person=shared, agency=police).exists()
    assert ask(client, shared, end=add_months(today(), 3).isoformat()).status_code == 302


def test_the_form_offers_the_default_length(client, police, shared, settings):
    settings.GRANT_INVOLVEMENT_DEFAULT_MONTHS = 6
    client.force_login(UserFactory(agency=police, role=Role.PRACTITIONER))
    response = client.get(reverse("people:add-involvement", args=[shared.pk]))
    initial = response.context["form"].initial
    assert initial["end"] == add_months(initial["start"], 6) - timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (lambda: today() + timedelta(days=1), "cannot be in the future"),
        (lambda: date(1989, 12, 31), "before the person's date of birth"),
    ],
)
def test_a_future_or_pre_birth_start_is_refused_on_the_field(
    client, police, shared, start, message
):
    client.force_login(UserFactory(agency=police, role=Role.PRACTITIONER))
    day = start()
    response = ask(
        client, shared, start=day.isoformat(), end=(day + timedelta(days=30)).isoformat()
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors["start"][0]
    assert not Involvement.objects.filter(person=shared, agency=police).exists()


def test_every_step_is_audited_with_its_name(client, police, shared):
    client.force_login(UserFactory(agency=police, role=Role.PRACTITIONER))
    ask(client, shared)
    involvement = Involvement.objects.get(person=shared, agency=police)
    client.force_login(UserFactory(agency=police, role=Role.COORDINATOR, username="approver"))
    client.post(
        reverse("people:decide-involvement", args=[involvement.pk]), {"decision": "approve"}
    )
    client.post(reverse("people:end-involvement", args=[involvement.pk]))
    steps = list(
        AuditEvent.objects.filter(person_id=shared.pk, detail__grant__isnull=False)
        .order_by("id")
        .values_list("detail__grant", "username")
    )
    assert [s for s, _ in steps] == ["request", "approve", "end"]
    assert steps[1][1] == "approver"

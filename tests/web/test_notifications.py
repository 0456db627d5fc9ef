"""Notification emails: on allocation and listing (at once or in the digest), the daily
overdue digest through `saferhub notify`, and each user's choice of delivery."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.notifications.models import Notice, Preference
from saferhub.web.notifications.services import send_digest, set_delivery
from saferhub.web.panels import services
from tests.factories import AgencyFactory, UserFactory
from tests.factories_panels import ActionFactory, CaseFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def police():
    return AgencyFactory(name="Police", kind=AgencyKind.POLICE, programmes=["da_marac"])


@pytest.fixture
def officer(police):
    return UserFactory(
        username="officer", agency=police, role=Role.PRACTITIONER, email="officer@example.org"
    )


@pytest.fixture
def case(police):
    return CaseFactory(referring_agency=police, referral_date=TODAY - timedelta(days=5))


def _allocate(case, police, due):
    return services.add_action(
        case,
        None,
        owner_agency=police,
        description="Fit a door alarm at Jane Smith's flat",
        risk_addressed="victim_safety",
        due_date=due,
    )


def test_immediate_delivery_emails_the_owner_agency_when_an_action_is_allocated(
    case, police, officer, django_capture_on_commit_callbacks
):
    set_delivery(user=officer, delivery="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        _allocate(case, police, TODAY + timedelta(days=14))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["officer@example.org"]
    assert f"case {case.reference}" in message.body
    assert f"/marac/cases/{case.pk}/" in message.body
    # Email leaves the system: it names no one and quotes nothing from the record.
    assert "Jane" not in message.body and case.victim.last_name not in message.body


def test_digest_delivery_waits_for_the_daily_run(
    case, police, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _allocate(case, police, TODAY + timedelta(days=14))
    assert mail.outbox == []
    result = send_digest(TODAY)
    assert (result.emails, result.notices) == (1, 1)
    assert "daily summary" in mail.outbox[0].subject
    assert send_digest(TODAY).emails == 0  # nothing is sent twice


def test_overdue_actions_are_told_once_in_the_digest(case, police, officer):
    ActionFactory(case=case, owner_agency=police, due_date=TODAY - timedelta(days=1))
    ActionFactory(case=case, owner_agency=police, due_date=TODAY + timedelta(days=1))
    result = send_digest(TODAY)
    assert (result.overdue_found, result.emails) == (1, 1)
    assert "still open" in mail.outbox[0].body
    # Due tomorrow: still in time tomorrow, overdue the day after, and told only then.
    assert send_digest(TODAY + timedelta(days=1)).overdue_found == 0
    assert send_digest(TODAY + timedelta(days=2)).overdue_found == 1
    assert send_digest(TODAY + timedelta(days=3)).overdue_found == 0


def test_a_done_action_is_never_overdue(case, police, officer):
    ActionFactory(
        case=case,
        owner_agency=police,
        due_date=TODAY - timedelta(days=9),
        status="done",
        completed_date=TODAY - timedelta(days=9),
    )
    assert send_digest(TODAY).overdue_found == 0
    assert mail.outbox == []


def test_listing_a_case_tells_the_referring_agency(
    case, police, officer, django_capture_on_commit_callbacks
):
    set_delivery(user=officer, delivery="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        listing, _ = services.list_case(
            case, TODAY + timedelta(days=7), TODAY, confirm_over_cap=True
        )
    assert len(mail.outbox) == 1
    assert "listed for the meeting" in mail.outbox[0].body
    assert f"/marac/meetings/{listing.meeting_id}/" in mail.outbox[0].body


@pytest.mark.parametrize(
    "who",
    [
        {"email": ""},
        {"is_active": False},
        {"role": Role.VIEWER},
        {"role": Role.ANALYST},
    ],
)
def test_no_email_to_users_without_an_address_switched_off_or_not_doing_casework(
    case, police, who, django_capture_on_commit_callbacks
):
    values = {"agency": police, "role": Role.PRACTITIONER, "email": "x@example.org", **who}
    user = UserFactory(**values)
    Preference.objects.create(user=user, delivery="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        _allocate(case, police, TODAY - timedelta(days=1))
    send_digest(TODAY)
    assert mail.outbox == []


def test_an_agency_outside_the_panel_is_not_told(case, django_capture_on_commit_callbacks):
    outsider = AgencyFactory(name="Outsider", programmes=[])
    UserFactory(agency=outsider, email="out@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        _allocate(case, outsider, TODAY + timedelta(days=3))
    send_digest(TODAY)
    assert mail.outbox == []


def test_a_mail_server_down_does_not_break_the_save(
    case, police, officer, django_capture_on_commit_callbacks, monkeypatch
):
    set_delivery(user=officer, delivery="immediate")

    def refuse(self, messages):
        raise OSError("Connection refused")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        action = _allocate(case, police, TODAY + timedelta(days=3))
    assert action.pk
    assert Notice.objects.get(recipient=officer).sent_at is None  # the digest will carry it


def test_each_user_chooses_their_delivery(client, officer):
    client.force_login(officer)
    assert client.get("/notifications/preferences/").status_code == 200
    response = client.post("/notifications/preferences/", {"delivery": "immediate"})
    assert response.status_code == 302
    assert Preference.objects.get(user=officer).delivery == "immediate"
    response = client.post("/notifications/preferences/", {"delivery": "hourly"})
    assert response.status_code == 200
    assert "is not one of the choices; choose one from the list" in response.content.decode()
    assert Preference.objects.get(user=officer).delivery == "immediate"

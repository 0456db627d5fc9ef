"""Sessions end after 30 idle minutes and 8 hours after signing in; an administrator can
switch an account off with immediate effect.

Before this control a session lasted as long as its cookie, however long it sat unused,
and switching an account off needed Django's shell.
"""

from __future__ import annotations

import time

import pytest
from django.conf import settings

from saferhub.web.accounts.models import Role
from saferhub.web.accounts.timeouts import LAST_SEEN_AT, SIGNED_IN_AT
from saferhub.web.audit.models import AuditEvent
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def age_session(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_defaults_are_30_idle_minutes_and_8_hours():
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_ABSOLUTE_SECONDS == 8 * 3600


def test_a_session_idle_for_longer_than_the_limit_is_signed_out(client):
    client.force_login(UserFactory())
    assert client.get("/").status_code == 200
    age_session(client, **{LAST_SEEN_AT: settings.SESSION_IDLE_SECONDS + 5})
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "without activity" in page
    assert AuditEvent.objects.filter(action="session-expired").exists()


def test_activity_within_the_idle_limit_keeps_the_session(client):
    client.force_login(UserFactory())
    age_session(client, **{LAST_SEEN_AT: settings.SESSION_IDLE_SECONDS - 60})
    assert client.get("/").status_code == 200
    assert client.session[LAST_SEEN_AT] > time.time() - 5


def test_a_busy_session_still_ends_at_the_absolute_limit(client):
    client.force_login(UserFactory())
    age_session(client, **{SIGNED_IN_AT: settings.SESSION_ABSOLUTE_SECONDS + 5, LAST_SEEN_AT: 10})
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    assert "more than 8 hours ago" in client.get(response["Location"]).content.decode()


def test_a_disabled_account_loses_its_session_on_the_next_request(client):
    from django.test import Client

    agency = AgencyFactory()
    admin = Client()
    admin.force_login(UserFactory(username="admin", role=Role.ADMINISTRATOR, agency=agency))
    target = UserFactory(username="leaver", agency=agency)
    client.force_login(target)
    assert client.get("/").status_code == 200

    response = admin.post(f"/accounts/users/{target.pk}/active/", {"active": "off"})
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    event = AuditEvent.objects.get(action="account-disabled")
    assert event.username == "admin" and event.detail["username"] == "leaver"
    assert event.detail["changes"] == {"is_active": [True, False]}
    # And cannot sign in again with the right password.
    again = client.post(
        "/accounts/sign-in/", {"username": "leaver", "password": "correct horse battery staple"}
    )
    assert again.status_code == 200


def test_only_administrators_may_switch_accounts_off(client):
    target = UserFactory(username="leaver")
    client.force_login(UserFactory(role=Role.COORDINATOR))
    response = client.post(f"/accounts/users/{target.pk}/active/", {"active": "off"})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.is_active


def test_an_administrator_cannot_switch_off_their_own_account(client):
    admin = UserFactory(username="admin", role=Role.ADMINISTRATOR)
    client.force_login(admin)
    response = client.post(f"/accounts/users/{admin.pk}/active/", {"active": "off"}, follow=True)
    assert "cannot switch off your own account" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active

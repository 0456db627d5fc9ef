"""Finding: many refusals for one user went unnoticed; the log's own readers left no trace.

Reading the audit log is now recorded in it. Many refusals by one user in a short time
raise an alert: an `alert` entry shown to administrators on the audit page, and a WARNING
on the `saferhub.security` logger for a SIEM.
"""

from __future__ import annotations

import logging

import pytest
from django.test import override_settings

from saferhub.web.accounts.models import Role
from saferhub.web.audit.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _refused(client, user, times: int) -> None:
    client.force_login(user)
    for _ in range(times):
        assert client.get("/audit/").status_code == 403


def test_reading_the_audit_log_is_itself_audited(client):
    admin = UserFactory(role=Role.ADMINISTRATOR, username="ada")
    client.force_login(admin)
    client.get("/audit/", {"username": "bob", "action": "view"})
    event = AuditEvent.objects.filter(username="ada", action="view").get()
    assert event.summary == "Viewed the audit log (filtered)"
    assert event.detail == {"filters": {"username": "bob", "action": "view"}, "page": 1}


def test_ten_refusals_in_five_minutes_raise_one_alert(
    client, caplog, django_capture_on_commit_callbacks
):
    prober = UserFactory(role=Role.VIEWER, username="prober")
    with caplog.at_level(logging.WARNING, logger="saferhub.security"):
        with django_capture_on_commit_callbacks(execute=True):
            _refused(client, prober, 9)
        assert not AuditEvent.objects.filter(action="alert").exists()
        with django_capture_on_commit_callbacks(execute=True):
            _refused(client, prober, 3)
    alert = AuditEvent.objects.get(action="alert")
    assert alert.username == "prober" and alert.detail["refusals"] == 10
    warnings = [r for r in caplog.records if r.name == "saferhub.security"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert "10 refused requests by prober in 5 minutes" in warnings[0].getMessage()

    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = client.get("/audit/").content.decode()
    assert "Security alerts in the last 7 days" in page
    assert "10 refused requests by prober in 5 minutes" in page


def test_refusals_by_different_users_do_not_add_up(client):
    for n in range(4):
        _refused(client, UserFactory(role=Role.VIEWER, username=f"user{n}"), 3)
    assert not AuditEvent.objects.filter(action="alert").exists()


@override_settings(AUDIT_ALERT_REFUSALS=3, AUDIT_ALERT_MINUTES=1)
def test_the_thresholds_come_from_settings(client):
    _refused(client, UserFactory(role=Role.VIEWER, username="quick"), 3)
    alert = AuditEvent.objects.get(action="alert")
    assert alert.detail == {"refusals": 3, "minutes": 1, "threshold": 3}


def test_an_administrator_sees_no_alert_banner_when_there_are_none(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    assert "Security alerts" not in client.get("/audit/").content.decode()

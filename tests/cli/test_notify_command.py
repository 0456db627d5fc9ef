"""`saferhub notify` through the CLI runner: the daily digest, suitable for cron."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from tests.factories import UserFactory
from tests.factories_panels import ActionFactory, CaseFactory, MemberAgencyFactory
from typer.testing import CliRunner

from saferhub.commands import app
from saferhub.web.accounts.models import Role

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_notify_emails_the_overdue_digest_once(settings):
    agency = MemberAgencyFactory()
    UserFactory(agency=agency, role=Role.COORDINATOR, email="lead@example.org")
    case = CaseFactory(referring_agency=agency, referral_date=date(2026, 1, 5))
    ActionFactory(case=case, owner_agency=agency, due_date=date(2026, 2, 1))
    result = runner.invoke(app, ["notify", "--date", "2026-02-02"])
    assert result.exit_code == 0, result.output
    assert "1 overdue notice(s) made; 1 email(s) sent with 1 notice(s)." in result.output
    assert [m.to for m in mail.outbox] == [["lead@example.org"]]
    again = runner.invoke(app, ["notify", "--date", "2026-02-02"])
    assert "0 email(s) sent" in again.output
    assert len(mail.outbox) == 1


def test_notify_refuses_a_bad_date_with_a_usage_error():
    result = runner.invoke(app, ["notify", "--date", "2 Feb"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output

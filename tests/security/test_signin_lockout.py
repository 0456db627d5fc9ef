"""Password guessing is stopped: sign-in locks out per username and per address.

Before this control, 40 wrong passwords and then the right one signed in.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from saferhub.web.audit.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
RIGHT = "correct horse battery staple"
LIMIT = settings.AXES_FAILURE_LIMIT


def sign_in(client, username, password, address="198.51.100.7"):
    return client.post(
        "/accounts/sign-in/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def end_cool_off():
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
        attempt.save(update_fields=["attempt_time"])


def test_forty_wrong_passwords_then_the_right_one_does_not_sign_in(client):
    UserFactory(username="jo")
    for _ in range(40):
        sign_in(client, "jo", "wrong guess")
    response = sign_in(client, "jo", RIGHT)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Too many attempts to sign in" in response.content.decode()


def test_a_user_is_locked_out_after_the_limit_from_any_address(client):
    UserFactory(username="jo")
    for n in range(LIMIT):
        response = sign_in(client, "jo", "wrong guess", address=f"203.0.113.{n + 1}")
    assert response.status_code == 429
    # The right password, from an address never seen before, still fails during the lockout.
    response = sign_in(client, "jo", RIGHT, address="192.0.2.99")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="sign-in-locked").exists()
    assert AuditEvent.objects.filter(action="sign-in-failed").count() >= LIMIT


def test_one_address_is_locked_out_after_the_limit_across_usernames(client):
    UserFactory(username="sam")
    for n in range(LIMIT):
        sign_in(client, f"guess{n}", "wrong guess", address="198.51.100.50")
    response = sign_in(client, "sam", RIGHT, address="198.51.100.50")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # The same user from another address is not held up by that address's failures.
    response = sign_in(client, "sam", RIGHT, address="198.51.100.51")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_fewer_failures_than_the_limit_do_not_lock_out(client):
    UserFactory(username="jo")
    for _ in range(LIMIT - 1):
        assert sign_in(client, "jo", "wrong guess").status_code == 200
    assert sign_in(client, "jo", RIGHT).status_code == 302


def test_the_right_password_works_again_once_the_lockout_ends(client):
    UserFactory(username="jo")
    for _ in range(LIMIT):
        sign_in(client, "jo", "wrong guess")
    assert sign_in(client, "jo", RIGHT).status_code == 429
    end_cool_off()
    response = sign_in(client, "jo", RIGHT)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]

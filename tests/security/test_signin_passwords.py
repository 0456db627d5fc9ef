"""Password change, reset by email, and NCSC-style password rules.

Before this control there was no way to change or reset a password in the app.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError

from saferhub.web.audit.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
OLD = "correct horse battery staple"
NEW = "orbit kettle meadow lantern"


@pytest.mark.parametrize(
    "password",
    [
        "Password2024!",
        "Saferhub12345",
        "qwerty123456",
        "aaaaaaaaaaaa",
        "abcabcabcabc",
        "short pass",
    ],
    ids=["common word plus digits", "service name", "keyboard", "one letter", "run", "short"],
)
def test_deny_listed_and_short_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, UserFactory.build(username="kim"))


@pytest.mark.parametrize("password", [NEW, "tram-violet-copper-9", "zq8 mw4 lp2 rt7"])
def test_long_passwords_need_no_capitals_digits_or_symbols(password):
    validate_password(password, UserFactory.build(username="kim"))


def test_password_change_needs_the_current_password_and_keeps_this_session(client):
    user = UserFactory(username="kim")
    client.force_login(user)
    wrong = client.post(
        "/accounts/password/",
        {"old_password": "not it", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong.status_code == 200
    assert "There is a problem" in wrong.content.decode()

    response = client.post(
        "/accounts/password/",
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="password-changed", user_id=user.pk).exists()


def test_password_change_refuses_a_deny_listed_password_naming_the_field(client):
    user = UserFactory(username="kim")
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {"old_password": OLD, "new_password1": "Password2024!", "new_password2": "Password2024!"},
    )
    page = response.content.decode()
    assert 'href="#id_new_password2"' in page or 'href="#id_new_password1"' in page
    assert "too easy to guess" in page or "too common" in page
    user.refresh_from_db()
    assert user.check_password(OLD)


def test_changing_the_password_signs_out_other_sessions(client, django_user_model):
    from django.test import Client

    user = UserFactory(username="kim")
    other = Client()
    other.force_login(user)
    client.force_login(user)
    client.post(
        "/accounts/password/",
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )
    assert other.get("/").status_code == 302


def test_reset_email_is_sent_and_its_link_sets_a_new_password(client):
    user = UserFactory(username="kim", email="kim@example.gov.uk")
    response = client.post("/accounts/password-reset/", {"email": "kim@example.gov.uk"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kim@example.gov.uk"]
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body

    form = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert AuditEvent.objects.filter(action="password-reset").exists()

    # The link works once.
    again = client.get(link.group(1), follow=True)
    assert "This link has expired" in again.content.decode()


def test_reset_does_not_reveal_whether_an_address_has_an_account(client):
    UserFactory(username="kim", email="kim@example.gov.uk")
    known = client.post("/accounts/password-reset/", {"email": "kim@example.gov.uk"})
    unknown = client.post("/accounts/password-reset/", {"email": "nobody@example.gov.uk"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_a_bad_reset_address_is_named_on_the_field(client):
    response = client.post("/accounts/password-reset/", {"email": "not an email"})
    assert response.status_code == 200
    assert "Enter an email address in the right format" in response.content.decode()

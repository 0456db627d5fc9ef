"""Sign in, sign out, home, and error pages: no user action gives a traceback."""

from __future__ import annotations

import pytest

from saferhub.web.accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/?next=/people/")


def test_sign_in_with_a_wrong_password_shows_an_error_summary(client):
    UserFactory(username="jo")
    response = client.post("/accounts/sign-in/", {"username": "jo", "password": "nope"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_sign_in_then_home_lists_only_what_the_role_may_do(client):
    UserFactory(username="ana", role=Role.ANALYST)
    response = client.post(
        "/accounts/sign-in/",
        {"username": "ana", "password": "correct horse battery staple"},
        follow=True,
    )
    page = response.content.decode()
    assert "Welcome" in page
    assert "Find a person" not in page  # analysts work with aggregates, not records
    assert "Audit log" not in page


def test_sign_out_needs_a_post_and_ends_the_session(client):
    client.force_login(UserFactory())
    assert client.get("/accounts/sign-out/").status_code == 405
    client.post("/accounts/sign-out/")
    assert client.get("/").status_code == 302


def test_unknown_page_gets_the_service_404(client):
    client.force_login(UserFactory())
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_health_check_is_public(client):
    assert client.get("/health/").json() == {"status": "ok"}

"""Two-factor sign-in (TOTP with recovery codes) when SAFERHUB_REQUIRE_2FA is on.

Before this control a password alone reached every record.
"""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.web.accounts.models import Role
from saferhub.web.audit.models import AuditEvent
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db
RIGHT = "correct horse battery staple"


@pytest.fixture
def required(settings):
    settings.REQUIRE_2FA = True


def password_step(client, username="kim"):
    response = client.post("/accounts/sign-in/", {"username": username, "password": RIGHT})
    assert response.status_code == 302
    return response


def next_code(totp: pyotp.TOTP) -> str:
    return totp.at(time.time() + totp.interval)


def set_up_authenticator(client) -> tuple[pyotp.TOTP, list[str]]:
    page = client.get("/accounts/two-factor/set-up/").content.decode()
    key = re.search(r'id="manual-key"[^>]*>([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    totp = pyotp.TOTP(key)
    response = client.post("/accounts/two-factor/set-up/", {"code": totp.now(), "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/recovery-codes/"
    codes_page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page)
    return totp, codes


def test_with_2fa_required_a_password_alone_reaches_no_records(client, required):
    UserFactory(username="kim", role=Role.ADMINISTRATOR, agency=AgencyFactory())
    password_step(client)
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/set-up/?next=%2Fpeople%2F")
    assert client.get("/audit/").status_code == 302
    set_up_page = client.get("/accounts/two-factor/set-up/").content.decode()
    assert "govuk-service-navigation" not in set_up_page, "the menu leads nowhere yet"


def test_with_2fa_off_a_password_still_signs_in_as_the_demo_does(client):
    UserFactory(username="kim")
    password_step(client)
    assert client.get("/").status_code == 200


def test_set_up_shows_a_qr_code_and_key_then_recovery_codes_once(client, required):
    UserFactory(username="kim")
    password_step(client)
    page = client.get("/accounts/two-factor/set-up/").content.decode()
    assert "<svg" in page and "Scan this QR code" in page
    _, codes = set_up_authenticator(client)
    assert len(codes) == 10
    assert client.get("/").status_code == 200  # verified by the set-up code
    again = client.get("/accounts/two-factor/recovery-codes/").content.decode()
    assert codes[0] not in again, "recovery codes must be shown only once"
    assert AuditEvent.objects.filter(action="2fa-set-up").exists()


def test_a_wrong_set_up_code_confirms_nothing(client, required):
    UserFactory(username="kim")
    password_step(client)
    client.get("/accounts/two-factor/set-up/")
    response = client.post("/accounts/two-factor/set-up/", {"code": "000000"})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get("/").status_code == 302


def test_next_sign_in_needs_a_totp_code_and_a_wrong_one_is_refused_and_audited(client, required):
    UserFactory(username="kim")
    password_step(client)
    totp, _ = set_up_authenticator(client)
    client.post("/accounts/sign-out/")

    password_step(client)
    assert client.get("/").status_code == 302
    wrong = client.post("/accounts/two-factor/", {"code": "123456"})
    assert wrong.status_code == 200
    assert "The code is not right" in wrong.content.decode()
    assert AuditEvent.objects.filter(action="2fa-failed").exists()
    assert client.get("/").status_code == 302

    # The set-up used this time step's code, and django-otp refuses a replay; the app
    # accepts the next step's code (one step of clock drift is allowed). Straight after a
    # wrong code even the right one is refused: django-otp throttles the device.
    throttled = client.post("/accounts/two-factor/", {"code": next_code(totp)})
    assert throttled.status_code == 200
    time.sleep(1.1)
    ok = client.post("/accounts/two-factor/", {"code": next_code(totp), "next": "/people/"})
    assert ok.status_code == 302 and ok["Location"] == "/people/"
    assert client.get("/").status_code == 200


def test_a_recovery_code_signs_in_once(client, required):
    UserFactory(username="kim")
    password_step(client)
    _, codes = set_up_authenticator(client)
    client.post("/accounts/sign-out/")

    password_step(client)
    response = client.post("/accounts/two-factor/", {"code": codes[3].upper()})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[3]).exists()
    client.post("/accounts/sign-out/")

    password_step(client)
    reused = client.post("/accounts/two-factor/", {"code": codes[3]})
    assert reused.status_code == 200
    assert client.get("/").status_code == 302


def test_someone_with_only_the_password_cannot_replace_the_authenticator(client, required):
    UserFactory(username="kim")
    password_step(client)
    set_up_authenticator(client)
    client.post("/accounts/sign-out/")
    password_step(client)
    response = client.get("/accounts/two-factor/set-up/")
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/"
    assert TOTPDevice.objects.count() == 1


def test_next_after_two_factor_cannot_send_the_user_to_another_site(client, required):
    UserFactory(username="kim")
    password_step(client)
    totp, _ = set_up_authenticator(client)
    client.post("/accounts/sign-out/")
    password_step(client)
    response = client.post(
        "/accounts/two-factor/", {"code": next_code(totp), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_passing_the_second_factor_issues_a_new_session_key(client, required):
    UserFactory(username="kim")
    password_step(client)
    totp, _ = set_up_authenticator(client)
    client.post("/accounts/sign-out/")
    password_step(client)
    before = client.session.session_key
    client.post("/accounts/two-factor/", {"code": next_code(totp)})
    assert client.get("/").status_code == 200
    assert client.session.session_key != before


def test_with_2fa_off_an_authenticator_set_up_elsewhere_is_asked_for_on_the_next_page(client):
    # The check reads whether the user has an authenticator from the query that loads them
    # on each request, so a device confirmed in another session counts from the next page.
    user = UserFactory(username="kim", role=Role.ADMINISTRATOR, agency=AgencyFactory())
    password_step(client)
    assert client.get("/people/").status_code == 200
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/?next=%2Fpeople%2F")


def test_the_two_factor_check_costs_no_query_of_its_own(client, django_assert_num_queries):
    from saferhub.web.accounts.two_factor import must_verify

    UserFactory(username="kim", role=Role.ADMINISTRATOR, agency=AgencyFactory())
    password_step(client)
    user = client.get("/people/").wsgi_request.user  # loaded as each request loads it
    assert user.is_authenticated
    with django_assert_num_queries(0):
        assert must_verify(user) is False

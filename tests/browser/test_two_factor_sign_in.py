"""Two-factor sign-in in a real browser, as production runs it (SAFERHUB_REQUIRE_2FA on):
set up an authenticator from the shown key, sign out, sign in with a TOTP code, and
once with a recovery code. GOV.UK Frontend must still start under the
Content-Security-Policy, which allows no inline script.
"""

from __future__ import annotations

import time

import pyotp
import pytest

from saferhub.web.accounts.models import AgencyKind, Role
from tests.factories import AgencyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def production_like(settings):
    settings.REQUIRE_2FA = True


@pytest.fixture
def csp_violations(page):
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


def assert_frontend_started(page):
    assert "govuk-frontend-supported" in page.evaluate("document.body.className")
    assert page.locator("[data-govuk-button-init]").count() > 0, "GOV.UK Frontend did not start"


def sign_out(page):
    page.get_by_role("button", name="Sign out").first.click()
    page.wait_for_load_state()
    assert "/accounts/sign-in/" in page.url


def test_set_up_then_sign_in_with_a_totp_code_and_with_a_recovery_code(
    page, live_server, sign_in_browser, axe, production_like, csp_violations
):
    agency = AgencyFactory(name="Probation Service – Barnet", kind=AgencyKind.PROBATION)
    UserFactory(username="kim.ward", agency=agency, role=Role.PRACTITIONER)

    # First sign-in: the password is not enough; the user is sent to set up an authenticator.
    sign_in_browser(page, "kim.ward")
    assert "/accounts/two-factor/set-up/" in page.url
    assert page.locator(".saferhub-qr-code svg").is_visible()
    axe(page, "on the two-factor set-up page")
    key = page.locator("#manual-key").inner_text().replace(" ", "")
    totp = pyotp.TOTP(key)
    page.get_by_label("Code from your authenticator app").fill(totp.now())
    page.get_by_role("button", name="Confirm").click()

    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    axe(page, "on the recovery codes page")
    page.get_by_role("link", name="I have kept my recovery codes").click()
    page.wait_for_load_state()  # the page the click opened, fully loaded
    assert "Welcome" in page.content()
    assert_frontend_started(page)
    sign_out(page)

    # Second sign-in: password, then a code from the app (the next time step's, since the
    # set-up already used this one and codes cannot be replayed).
    sign_in_browser(page, "kim.ward")
    assert "/accounts/two-factor/" in page.url
    axe(page, "on the two-factor code page")
    page.get_by_label("Code", exact=True).fill(totp.at(time.time() + totp.interval))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()  # the page the click opened, fully loaded
    assert "Welcome" in page.content()
    assert_frontend_started(page)
    sign_out(page)

    # Third sign-in: a recovery code instead of the phone.
    sign_in_browser(page, "kim.ward")
    page.get_by_label("Code", exact=True).fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()  # the page the click opened, fully loaded
    assert "Welcome" in page.content()

    assert not csp_violations, f"The Content-Security-Policy blocked: {csp_violations}"


def test_a_wrong_code_is_shown_as_an_error_on_the_field(
    page, live_server, sign_in_browser, axe, production_like
):
    UserFactory(username="kim.ward", agency=AgencyFactory())
    sign_in_browser(page, "kim.ward")
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Confirm").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert "The code is not right" in page.locator("#id_code-error").inner_text()
    axe(page, "on the set-up page with an error")

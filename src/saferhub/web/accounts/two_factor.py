"""Two-factor sign-in: a TOTP authenticator app, with one-use recovery codes as a fallback.

django-otp does the cryptography, replay protection and throttling; this module decides
who must use it and keeps the set-up steps in one place. When REQUIRE_2FA is on, everyone
must pass a second factor after their password; when it is off (the demo, tests), only
users who chose to set one up are asked for it.
"""

from __future__ import annotations

import re
from base64 import b32encode
from collections.abc import Callable
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.web.access import rule_of

RECOVERY_CODE_COUNT = 10
# The recovery codes just made, shown once on the next page and then forgotten.
NEW_CODES_SESSION_KEY = "saferhub_new_recovery_codes"
TOTP_PATTERN = re.compile(r"^\d{6}$")


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def must_verify(user) -> bool:
    """Whether this signed-in user still owes a second factor in this session."""
    if not user.is_authenticated or user.is_verified():
        return False
    if settings.REQUIRE_2FA:
        return True
    # Loaded with the user at the start of this request (accounts/backends.py), when it was.
    known = getattr(user, "confirmed_authenticator", None)
    return has_authenticator(user) if known is None else known


def pending_authenticator(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up, made on first visit and kept on reload."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def manual_key(device: TOTPDevice) -> str:
    """The secret as an authenticator app's 'enter a key' screen expects it, in groups of 4."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (inline, so no image request or
    data: URL needs allowing in the Content-Security-Policy)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#0b0c0c", light="#ffffff", title="QR code for your authenticator app"
    )


def confirm_authenticator(request: HttpRequest, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm a pending authenticator with a code from it, and issue fresh recovery codes.

    Returns the recovery codes, or None when the code is wrong.
    """
    with transaction.atomic():
        if not device.verify_token(token.strip()):
            return None
        # One authenticator per user: setting up a new one retires the old.
        TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = issue_recovery_codes(request.user)
    _elevate(request, device)
    return codes


def issue_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with new ones; only their holder sees them."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify_second_factor(request: HttpRequest, token: str):
    """Check a code from the authenticator app, or a recovery code (used up by this).

    Returns the device that accepted it, or None.
    """
    token = re.sub(r"\s+", "", token).lower()
    kind = TOTPDevice if TOTP_PATTERN.match(token) else StaticDevice
    for device in kind.objects.devices_for_user(request.user, confirmed=True):
        verified = django_otp.verify_token(request.user, device.persistent_id, token)
        if verified is not None:
            _elevate(request, verified)
            return verified
    return None


def _elevate(request: HttpRequest, device) -> None:
    # A new session key when the session gains the second factor, so a key fixed or seen
    # before this point is worth nothing afterwards.
    request.session.cycle_key()
    django_otp.login(request, device)


def safe_next(request: HttpRequest, default: str = "home") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


def exempt(view: Callable) -> Callable:
    """Mark a view as usable before the second factor (the two-factor pages, sign-out)."""
    view.two_factor_exempt = True
    return view


class TwoFactorMiddleware:
    """Sends a user who owes a second factor to enter it, or to set one up."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(settings.STATIC_URL):
            return None
        request.two_factor_pending = must_verify(request.user)
        rule = rule_of(view_func)
        if rule is None or rule.public or _is_exempt(view_func):
            return None
        if not request.two_factor_pending:
            return None
        target = (
            "accounts:two-factor"
            if has_authenticator(request.user)
            else ("accounts:two-factor-set-up")
        )
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def pending(request: HttpRequest) -> dict:
    """Template context: hide the menu while the second factor is owed, as its links
    would only lead back here."""
    return {"two_factor_pending": getattr(request, "two_factor_pending", False)}


def _is_exempt(view: Callable) -> bool:
    return getattr(view, "two_factor_exempt", False) or getattr(
        getattr(view, "view_class", None), "two_factor_exempt", False
    )

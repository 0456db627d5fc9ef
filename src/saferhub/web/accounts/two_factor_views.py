"""The pages for setting up and passing two-factor sign-in."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from saferhub.web.access import ALL_ROLES, allow
from saferhub.web.accounts import two_factor
from saferhub.web.audit.log import record


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
        error_messages={"required": "Enter the code from your authenticator app"},
    )


class SetUpForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=10,
        help_text="The 6-digit code the app shows for SaferHub.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )


@allow(*ALL_ROLES)
@two_factor.exempt
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """Second step of signing in: a code from the authenticator app, or a recovery code."""
    if not two_factor.has_authenticator(request.user):
        return redirect("accounts:two-factor-set-up")
    if request.user.is_verified():
        return redirect(two_factor.safe_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify_second_factor(request, form.cleaned_data["code"])
        if device is not None:
            kind = "recovery code" if device.name == "Recovery codes" else "authenticator app"
            record(request, "2fa-passed", summary=f"Second factor passed with {kind}")
            return redirect(two_factor.safe_next(request))
        record(request, "2fa-failed", summary=f"Wrong second-factor code for {request.user}")
        form.add_error(
            "code",
            "The code is not right. Check the app shows SaferHub and try the newest code, "
            "or use a recovery code. After several wrong codes you must wait before trying again.",
        )
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next(request)})


@allow(*ALL_ROLES)
@two_factor.exempt
@never_cache
def set_up(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan or type the key, then prove it with a code."""
    if two_factor.has_authenticator(request.user) and not request.user.is_verified():
        # Someone with only the password must not replace the real owner's authenticator.
        return redirect("accounts:two-factor")
    device = two_factor.pending_authenticator(request.user)
    form = SetUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_authenticator(request, device, form.cleaned_data["code"])
        if codes is not None:
            record(request, "2fa-set-up", summary=f"{request.user} set up two-factor sign-in")
            request.session[two_factor.NEW_CODES_SESSION_KEY] = codes
            request.session["saferhub_after_codes"] = two_factor.safe_next(request)
            return redirect("accounts:recovery-codes")
        record(request, "2fa-failed", summary=f"Wrong set-up code for {request.user}")
        form.add_error(
            "code",
            "The code is not right. Check the app's clock is set automatically and enter "
            "the newest code it shows.",
        )
    context = {
        "form": form,
        "qr_code": two_factor.qr_code_svg(device),
        "manual_key": two_factor.manual_key(device),
        "next": _next(request),
        "replacing": two_factor.has_authenticator(request.user),
    }
    return render(request, "accounts/two_factor_set_up.html", context)


@allow(*ALL_ROLES)
@two_factor.exempt
@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shows new recovery codes once; afterwards only new ones can be made."""
    if request.method == "POST":
        if not request.user.is_verified():
            return redirect("accounts:two-factor")
        codes = two_factor.issue_recovery_codes(request.user)
        record(request, "2fa-codes-new", summary=f"{request.user} made new recovery codes")
        request.session[two_factor.NEW_CODES_SESSION_KEY] = codes
        return redirect("accounts:recovery-codes")
    codes = request.session.pop(two_factor.NEW_CODES_SESSION_KEY, None)
    continue_to = request.session.pop("saferhub_after_codes", None) or "/"
    if codes is None and not request.user.is_verified():
        return redirect("accounts:two-factor")
    if codes is None:
        messages.info(
            request, "Recovery codes are shown only once. Make new ones if you need them."
        )
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "codes": codes,
            "continue_to": continue_to,
            "has_authenticator": two_factor.has_authenticator(request.user),
        },
    )


def _next(request: HttpRequest) -> str:
    return request.POST.get("next") or request.GET.get("next") or ""

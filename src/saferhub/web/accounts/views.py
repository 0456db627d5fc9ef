"""Signing in and out, and each user's home page."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from saferhub.web.access import ALL_ROLES, allow, public, rule_of
from saferhub.web.accounts import two_factor
from saferhub.web.people.access import visible_people


class SignInForm(auth_views.AuthenticationForm):
    username = forms.CharField(label="Username", max_length=150)
    password = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is switched off. Ask your SaferHub administrator.",
    }


@public
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


@allow(*ALL_ROLES)
@two_factor.exempt
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    return auth_views.LogoutView.as_view()(request)


# Shortcuts offered on the home page, each shown only to users its view admits.
SHORTCUTS = [
    (
        "people:search",
        "Find a person",
        "Search nominals your agency works with, by name, ID or date of birth.",
    ),
    (
        "iom:cohort",
        "Integrated Offender Management",
        "The IOM cohort: tiers, contacts, pathways and impact.",
    ),
    (
        "panels:home",
        "Domestic Abuse MARAC",
        # Each part is promised only to a role that may open its page.
        (
            ("panels:refer", "referrals"),
            ("panels:cases", "cases"),
            ("panels:meetings", "agendas"),
            ("panels:overdue", "actions"),
            ("panels:statistics", "quarterly statistics"),
        ),
    ),
    (
        "insights:dashboard",
        "Crime dashboard",
        "Crime trends, rates and London ranks for the board.",
    ),
    (
        "needs:analysis",
        "Probation needs analysis",
        "Criminogenic needs and registrations across the caseload.",
    ),
    ("audit:log", "Audit log", "Who saw and changed what, and when."),
    ("accounts:users", "Users", "Switch accounts off and on, and reset two-factor sign-in."),
]


def _may_open(user, name: str) -> bool:
    from django.urls import resolve

    try:
        rule = rule_of(resolve(reverse(name)).func)
    except NoReverseMatch:
        return False
    return bool(rule and rule.permits(user))


def _sentence(parts: list[str]) -> str:
    if not parts:
        return "An overview of the panel."
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"{listed[0].upper()}{listed[1:]}."


@allow(*ALL_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    from django.urls import resolve

    shortcuts = []
    for name, title, text in SHORTCUTS:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        rule = rule_of(resolve(url).func)
        if rule and rule.permits(request.user):
            if not isinstance(text, str):
                text = _sentence([part for name, part in text if _may_open(request.user, name)])
            shortcuts.append({"url": url, "title": title, "text": text})
    people_count = None
    if any(s["url"] == reverse("people:search") for s in shortcuts):
        people_count = visible_people(request.user).count()
    return render(
        request,
        "accounts/home.html",
        {
            "shortcuts": shortcuts,
            "people_count": people_count,
            "has_authenticator": two_factor.has_authenticator(request.user),
        },
    )

"""Signing in and out, and each user's home page."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from saferhub.web.access import ALL_ROLES, STAFF_ROLES, allow, public, rule_of
from saferhub.web.accounts import two_factor
from saferhub.web.accounts.models import Role
from saferhub.web.people.access import today, visible_people
from saferhub.web.people.listing import not_shown_note, record_listing, split
from saferhub.web.people.models import Involvement, InvolvementStatus
from saferhub.web.people.recent import recently_viewed


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
        "boardpack:new",
        "Board pack",
        "The board's papers in one PDF, Excel or Word file: summary, dashboard and sections.",
    ),
    (
        "needs:analysis",
        "Probation needs analysis",
        "Criminogenic needs and registrations across the caseload.",
    ),
    (
        "boardplan:overview",
        "Board action plan and forward plan",
        "The board's actions with owners, due dates and RAG status, and what comes to "
        "each board meeting.",
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

    user = request.user
    shortcuts = []
    for name, title, text in SHORTCUTS:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        rule = rule_of(resolve(url).func)
        if rule and rule.permits(user):
            if not isinstance(text, str):
                text = _sentence([part for name, part in text if _may_open(user, name)])
            shortcuts.append({"url": url, "title": title, "text": text})
    on = today()
    people_count, recent, work, cases, hidden = None, [], None, [], 0
    if user.role in STAFF_ROLES:
        people_count = visible_people(user).count()
        recent = recently_viewed(user, on)
        work = _panel_work(user, on)
        if work is not None:
            listed = split(user, work.cases, lambda c: c.victim_id)
            cases, hidden = listed.shown, listed.hidden
        record_listing(
            request,
            summary="Viewed their home page (my work)",
            person_ids=[p.pk for p in recent] + [c.victim_id for c in cases],
            hidden=hidden,
        )
    return render(
        request,
        "accounts/home.html",
        {
            "shortcuts": shortcuts,
            "people_count": people_count,
            "recent": recent,
            "work": work,
            "cases": cases,
            "cases_not_shown": not_shown_note(hidden),
            "today": on,
            "waiting": Involvement.objects.filter(
                agency_id=user.agency_id, status=InvolvementStatus.REQUESTED
            ).count()
            if user.role == Role.COORDINATOR
            else None,
            "has_authenticator": two_factor.has_authenticator(user),
        },
    )


def _panel_work(user, on):
    if not apps.is_installed("saferhub.web.panels"):
        return None
    from saferhub.web.panels.my_work import my_panel_work

    return my_panel_work(user, on)

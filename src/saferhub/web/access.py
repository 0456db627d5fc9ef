"""Deny by default: every view declares who may use it.

Decorate each view with `@allow(roles..., programme=...)` or `@public`. The middleware
refuses any view that declares nothing, sends signed-out users to sign in, and answers
403 to a role the view does not allow. Object-level need-to-know (which people a user
may see) is checked in the views through `saferhub.web.people.access`.

The written policy is `docs/access-policy.md`; `tests/web/test_access_policy.py` walks
every URL pattern with every role against it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from saferhub.web.accounts.models import Role

ALL_ROLES = frozenset(Role.values)
STAFF_ROLES = frozenset({Role.VIEWER, Role.PRACTITIONER, Role.COORDINATOR, Role.ADMINISTRATOR})


@dataclass(frozen=True)
class AccessRule:
    roles: frozenset[str]
    programme: str | None = None
    public: bool = False

    def permits(self, user) -> bool:
        if self.public:
            return True
        if not user.is_authenticated or not user.is_active:
            return False
        if user.role not in self.roles:
            return False
        return self.programme is None or user.in_programme(self.programme)


def allow(*roles: str, programme: str | None = None) -> Callable:
    """Declare the roles (and, optionally, the programme membership) a view needs."""
    unknown = set(roles) - ALL_ROLES
    if unknown or not roles:
        raise ValueError(f"allow() needs known roles, got {roles!r}")

    def mark(view: Callable) -> Callable:
        view.access_rule = AccessRule(frozenset(roles), programme)
        return view

    return mark


def allow_any(roles: Iterable[str], programme: str | None = None) -> Callable:
    return allow(*roles, programme=programme)


def public(view: Callable) -> Callable:
    """Declare a view open to everyone, signed in or not (sign-in page, health check)."""
    view.access_rule = AccessRule(frozenset(), public=True)
    return view


def rule_of(view: Callable) -> AccessRule | None:
    # Class-based views carry the rule on the class; as_view() copies it via view_class.
    rule = getattr(view, "access_rule", None)
    if rule is None and hasattr(view, "view_class"):
        rule = getattr(view.view_class, "access_rule", None)
    return rule


def forbidden(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "core/403.html", {"reason": reason}, status=403)


class AccessPolicyMiddleware:
    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from saferhub.web.audit.context import actor_for

        with actor_for(request):
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(settings.STATIC_URL):
            return None
        rule = rule_of(view_func)
        if rule is None:
            # A view that declares nothing is refused: the default is deny.
            return forbidden(request, "This page has no access rule, so nobody may use it.")
        if rule.public:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not rule.permits(request.user):
            from saferhub.web.audit.log import record

            record(request, "denied", detail={"path": request.path})
            return forbidden(request, "Your role or agency does not give you access to this page.")
        return None


# Items in the service navigation, in order; shown only to users the target view admits.
NAVIGATION = [
    ("home", "Home"),
    ("people:search", "People"),
    ("iom:cohort", "IOM"),
    ("panels:home", "MARAC"),
    ("asb:home", "ASB"),
    ("cs_marac:home", "CS MARAC"),
    ("adults_at_risk:home", "Adults at Risk"),
    ("sirm:home", "SIRM"),
    ("insights:dashboard", "Crime dashboard"),
    ("needs:analysis", "Probation needs"),
    ("boardplan:overview", "Board plan"),
    ("boardpack:new", "Board pack"),
    ("audit:log", "Audit log"),
]


# Menu entries resolved once per URLconf: reversing and resolving every entry on every page
# cost more processor time than the rest of the menu. Who may use each is still decided
# per request, from the view's rule.
_MENU: dict[str, list[tuple[str, str, Callable]]] = {}


def _menu() -> list[tuple[str, str, Callable]]:
    from django.urls import get_script_prefix, get_urlconf, resolve

    urlconf = get_urlconf() or settings.ROOT_URLCONF
    key = f"{get_script_prefix()} {urlconf if isinstance(urlconf, str) else id(urlconf)}"
    if key not in _MENU:
        entries = []
        for name, label in NAVIGATION:
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            entries.append((url, label, resolve(url).func))
        _MENU[key] = entries
    return _MENU[key]


@dataclass(frozen=True)
class _Standing:
    """What a menu rule asks of a user, as plain values (the request's user is a lazy
    proxy, and asking it a dozen rules' questions cost more than the rest of the menu)."""

    role: str
    is_active: bool
    programmes: tuple[str, ...]
    is_authenticated: bool = True

    def in_programme(self, programme: str) -> bool:
        return self.role == Role.ADMINISTRATOR or programme in self.programmes


@functools.lru_cache(maxsize=256)
def _permitted_menu(menu: tuple, standing: _Standing) -> tuple[tuple[str, str], ...]:
    return tuple(
        (url, label)
        for url, label, view in menu
        if (rule := rule_of(view)) and rule.permits(standing)
    )


@functools.lru_cache(maxsize=1024)
def _menu_html(items: tuple[tuple[str, str, bool], ...]) -> str:
    # The same few menus, each with one entry current, are drawn on every page: drawn once.
    return render_to_string("includes/navigation_items.html", {"items": items})


def navigation(request: HttpRequest) -> dict:
    """`nav_items`: the menu entries this user may use, drawn (empty when signed out)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": ""}
    agency = user.agency
    standing = _Standing(
        user.role, user.is_active, tuple(agency.programmes or ()) if agency else ()
    )
    path = request.path
    items = tuple(
        (url, label, path == url or (url != "/" and path.startswith(url)))
        for url, label in _permitted_menu(tuple(_menu()), standing)
    )
    return {"nav_items": _menu_html(items) if items else ""}

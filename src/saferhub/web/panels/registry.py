"""Which panels have pages, where, and which panel a request is for.

One set of views serves every panel. Each panel's URLs are mounted under its own prefix
and instance namespace (the DA MARAC keeps `/marac/` and `panels:`), and each view is
wrapped once per panel so its access rule names that panel's programme: the route × role
walk then checks every panel's pages against the written policy.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from saferhub.rules.panels import DA_MARAC, PanelConfig, panel_config
from saferhub.web.access import AccessRule, rule_of

# panel code → (URL prefix, instance namespace, short name used in page titles)
MOUNTED: dict[str, tuple[str, str, str]] = {
    "da_marac": ("marac", "panels", "MARAC"),
    "asb_marac": ("cs-marac", "cs_marac", "Community Safety MARAC"),
    "adults_at_risk": ("adults-at-risk", "adults_at_risk", "Adults at Risk Panel"),
    "sirm": ("sirm", "sirm", "SIRM"),
}


def panel_of(request: HttpRequest) -> PanelConfig:
    """The panel the page is for; pages mounted before panels were general are the DA MARAC."""
    return getattr(request, "panel", DA_MARAC)


def namespace_of(panel: str) -> str:
    return MOUNTED[panel][1]


def short_name(panel: str) -> str:
    return MOUNTED[panel][2]


def on_panel(view: Callable, panel: str) -> Callable:
    """The view for one panel: the same roles, that panel's programme, and `request.panel`."""
    rule = rule_of(view)
    if rule is None:
        raise ValueError(f"{view.__name__} declares no access rule")
    config = panel_config(panel)

    @functools.wraps(view)
    def for_panel(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        request.panel = config
        return view(request, *args, **kwargs)

    for_panel.access_rule = AccessRule(rule.roles, panel, rule.public)
    return for_panel


def panel_url(request: HttpRequest, name: str, **kwargs) -> str:
    """The URL of `name` on the request's own panel."""
    return reverse(
        f"panels:{name}", kwargs=kwargs or None, current_app=namespace_of(panel_of(request).code)
    )


def go(request: HttpRequest, name: str, **kwargs) -> HttpResponse:
    return redirect(panel_url(request, name, **kwargs))


def panel_context(request: HttpRequest) -> dict:
    """`panel` and `panel_short` for every template, so titles name the panel shown."""
    panel = getattr(request, "panel", None)
    if panel is None:
        return {}
    return {"panel": panel, "panel_short": short_name(panel.code)}

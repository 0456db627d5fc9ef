"""Every route in SaferHub. Each view declares its access rule (see web/access.py)."""

from django.conf import settings
from django.http import JsonResponse
from django.urls import include, path

from saferhub.web.access import public
from saferhub.web.accounts import views as account_views


@public
def health(request):
    """For load balancers: says the app is up, and nothing else."""
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", account_views.home, name="home"),
    path("health/", health, name="health"),
    path("accounts/", include("saferhub.web.accounts.urls")),
    path("people/", include("saferhub.web.people.urls")),
    path("audit/", include("saferhub.web.audit.urls")),
    path("notifications/", include("saferhub.web.notifications.urls")),
]

# Programme apps: mounted when present (see settings.OPTIONAL_APPS).
for prefix, app in [
    ("board-plan", "boardplan"),
    ("iom", "iom"),
    ("marac", "panels"),
    ("insights", "insights"),
    ("needs", "needs"),
    ("asb", "asb"),
    ("board-pack", "boardpack"),
]:
    if f"saferhub.web.{app}" in settings.INSTALLED_APPS:
        urlpatterns.append(path(f"{prefix}/", include(f"saferhub.web.{app}.urls")))

# The other panels run on the DA MARAC's engine, each in its own namespace (`cs_marac:` …).
if "saferhub.web.panels" in settings.INSTALLED_APPS:
    from saferhub.web.panels.registry import MOUNTED
    from saferhub.web.panels.urls import panel_patterns

    for code, (prefix, namespace, _short) in MOUNTED.items():
        if code != "da_marac":
            patterns = (panel_patterns(code), "panels")
            urlpatterns.append(path(f"{prefix}/", include(patterns, namespace=namespace)))

handler404 = "saferhub.web.errors.not_found"
handler500 = "saferhub.web.errors.server_error"
handler403 = "saferhub.web.errors.permission_denied"
handler400 = "saferhub.web.errors.bad_request"

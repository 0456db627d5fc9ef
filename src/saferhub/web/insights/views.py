"""The crime dashboard page and its downloads (HTML, Excel, PDF, JSON).

The page and the files render the same `CrimeDashboard` through `saferhub.reports.crime`,
so every figure on screen is the one in the download. The data are aggregate public
figures (no personal data), so viewing them is not audited.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from saferhub.app import crime as app
from saferhub.app.crime import stored_data
from saferhub.app.data_version import cached
from saferhub.measures.crime_dashboard import CrimeDashboard
from saferhub.measures.published import Published
from saferhub.rules.disclosure import Audience
from saferhub.sources.london import borough_names
from saferhub.web.access import allow
from saferhub.web.accounts.models import Role
from saferhub.web.audiences import board_audience
from saferhub.web.demo import marked, with_notice
from saferhub.web.insights.forms import DashboardForm

READERS = tuple(Role.values)
EXPORTS = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
}


def _choose(request: HttpRequest, options: app.Options) -> tuple[DashboardForm, dict | None]:
    """The form, and the chosen area, month and recent period (None if the choice is bad)."""
    months = options.months
    default_area = options.partnership_area or borough_names()[0]
    initial = {"area": default_area, "to": months[0].key if months else "", "recent": "3"}
    if any(key in request.GET for key in initial):
        values = request.GET.copy()
        for key, value in initial.items():
            values.setdefault(key, value)
        form = DashboardForm(values, initial=initial, months=months)
        if not form.is_valid():
            return form, None
        return form, form.cleaned_data
    form = DashboardForm(initial=initial, months=months)
    if not months:
        return form, None
    return form, {"area": default_area, "to": months[0], "recent": 3}


def _dashboard(data, choice: dict, audience: Audience) -> Published[CrimeDashboard]:
    return app.dashboard(
        data, choice["area"], choice["to"], audience, recent_months=choice["recent"]
    )


def _page_parts(choice: dict, audience: Audience) -> dict:
    def build() -> dict:
        # Only a page not yet cached reads the stored data.
        published = _dashboard(stored_data(), choice, audience)
        dashboard = published.result
        return {
            "fragment": app.page_fragment(marked(app.report(published, peer_charts=False))),
            "period": dashboard.recent_window.label,
        }

    identity = (choice["area"], choice["to"].key, choice["recent"], audience.value)
    return cached("insights-page", identity, build, app.AREAS)


@allow(*READERS)
def dashboard(request: HttpRequest) -> HttpResponse:
    options = app.options()
    if options is None:
        return render(request, "insights/dashboard.html", {"has_data": False})
    form, choice = _choose(request, options)
    audience = board_audience(request)
    context = {
        "has_data": True,
        "form": form,
        "query": request.GET.urlencode(),
        "audience": audience.value,
    }
    if choice is not None:
        parts = _page_parts(choice, audience)
        context.update(parts, report=parts["fragment"], area=choice["area"])
        context["query"] = (
            f"area={choice['area']}&to={choice['to'].key}&recent={choice['recent']}"
            f"&audience={audience.value}"
        )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "insights/dashboard.html", context, status=status)


@allow(*READERS)
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORTS:
        raise Http404("No such download format.")
    options = app.options()
    if options is None:
        raise Http404("No crime data have been loaded.")
    form, choice = _choose(request, options)
    if choice is None:
        return render(
            request, "insights/dashboard.html", {"has_data": True, "form": form}, status=400
        )
    audience = board_audience(request)
    published = _dashboard(stored_data(), choice, audience)
    body = app.render(published, fmt, mark_report=marked, mark_json=with_notice)
    response = HttpResponse(body, content_type=EXPORTS[fmt])
    suffix = "-public" if audience is Audience.PUBLIC else ""
    name = f"crime-dashboard-{slugify(choice['area'])}-{choice['to'].key}{suffix}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

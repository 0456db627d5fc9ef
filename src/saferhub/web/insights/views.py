"""The crime dashboard page and its downloads (HTML, Excel, PDF, JSON).

The page and the files render the same `CrimeDashboard` through `saferhub.reports.crime`,
so every figure on screen is the one in the download. The data are aggregate public
figures (no personal data), so viewing them is not audited.
"""

from __future__ import annotations

import json

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from saferhub.measures.catalogue import default_catalogue
from saferhub.measures.crime_dashboard import CrimeDashboard, DashboardSettings, crime_dashboard
from saferhub.reports.crime import crime_report
from saferhub.reports.crime_json import crime_json
from saferhub.reports.writers import render_html, render_html_fragment, render_pdf, render_xlsx
from saferhub.sources.london import borough_names
from saferhub.web.access import allow
from saferhub.web.accounts.models import Role
from saferhub.web.demo import marked, with_notice
from saferhub.web.insights.data import (
    data_version,
    months_with_dashboards,
    partnership_area,
    stored_data,
)
from saferhub.web.insights.forms import DashboardForm

READERS = tuple(Role.values)
CACHE_SECONDS = 3600
RAG_TAGS = {"green": "govuk-tag--green", "amber": "govuk-tag--orange", "red": "govuk-tag--red"}
EXPORTS = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
}


def _choose(request: HttpRequest, data) -> tuple[DashboardForm, dict | None]:
    """The form, and the chosen area, month and recent period (None if the choice is bad)."""
    months = months_with_dashboards(data)
    default_area = partnership_area(data) or borough_names()[0]
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


def _dashboard(data, choice: dict) -> CrimeDashboard:
    settings = DashboardSettings(recent_months=choice["recent"])
    return crime_dashboard(data, choice["area"], choice["to"], settings, default_catalogue())


def _glance(dashboard: CrimeDashboard) -> list[dict]:
    return [
        {
            "label": r.measure.label,
            "rag": r.rag.label if r.rag else "Not rated",
            "tag": RAG_TAGS.get(r.rag.value, "") if r.rag else "govuk-tag--grey",
            "london": str(r.london_rank) if r.london_rank else "–",
            "peer": str(r.peer_rank) if r.peer_rank else "–",
        }
        for r in dashboard.results
    ]


def _page_parts(data, choice: dict) -> dict:
    key = "insights:{}:{}:{}:{}".format(
        data_version(), slugify(choice["area"]), choice["to"].key, choice["recent"]
    )
    parts = cache.get(key)
    if parts is None:
        dashboard = _dashboard(data, choice)
        report = marked(crime_report(dashboard, peer_charts=False))
        parts = {
            "fragment": render_html_fragment(report, heading_level=2),
            "glance": _glance(dashboard),
            "peer_name": dashboard.peer_group.name,
            "period": dashboard.recent_window.label,
        }
        cache.set(key, parts, CACHE_SECONDS)
    return parts


@allow(*READERS)
def dashboard(request: HttpRequest) -> HttpResponse:
    data = stored_data()
    if data is None:
        return render(request, "insights/dashboard.html", {"has_data": False})
    form, choice = _choose(request, data)
    context = {"has_data": True, "form": form, "query": request.GET.urlencode()}
    if choice is not None:
        parts = _page_parts(data, choice)
        context.update(parts, report=mark_safe(parts["fragment"]), area=choice["area"])  # noqa: S308
        context["query"] = f"area={choice['area']}&to={choice['to'].key}&recent={choice['recent']}"
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "insights/dashboard.html", context, status=status)


@allow(*READERS)
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORTS:
        raise Http404("No such download format.")
    data = stored_data()
    if data is None:
        raise Http404("No crime data have been loaded.")
    form, choice = _choose(request, data)
    if choice is None:
        return render(
            request, "insights/dashboard.html", {"has_data": True, "form": form}, status=400
        )
    dashboard = _dashboard(data, choice)
    if fmt == "json":
        body: bytes = json.dumps(
            with_notice(crime_json(dashboard)), indent=2, ensure_ascii=False
        ).encode()
    else:
        report = marked(crime_report(dashboard))
        body = {
            "html": lambda: render_html(report).encode("utf-8"),
            "xlsx": lambda: render_xlsx(report),
            "pdf": lambda: render_pdf(report),
        }[fmt]()
    response = HttpResponse(body, content_type=EXPORTS[fmt])
    name = f"crime-dashboard-{slugify(choice['area'])}-{choice['to'].key}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

"""The quarterly statistics page beside SafeLives' ranges, and its Excel export."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from saferhub.reports.marac import marac_report
from saferhub.reports.safe_cells import XLSX_CONTENT_TYPE
from saferhub.reports.writers import render_html_fragment, render_xlsx
from saferhub.rules.periods import Month
from saferhub.web.access import allow
from saferhub.web.audit.log import record
from saferhub.web.demo import marked
from saferhub.web.panels.forms import StatisticsForm
from saferhub.web.panels.privacy import PANEL, STATISTICS_READERS
from saferhub.web.panels.statistics import marac_statistics
from saferhub.web.people.access import today


def _form(request: HttpRequest) -> StatisticsForm:
    current = Month.of(today()).financial_quarter
    data = request.GET.copy() if "quarter" in request.GET else None
    if data is not None:
        data.setdefault("quarters", "5")
    return StatisticsForm(data, initial={"quarter": current.key, "quarters": 5})


def _statistics(form: StatisticsForm):
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
        return marac_statistics(values["quarter"], values["quarters"], values["adult_women"])
    if form.is_bound:
        return None
    return marac_statistics(Month.of(today()).financial_quarter, 5)


@allow(*STATISTICS_READERS, programme=PANEL)
def statistics(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    stats = _statistics(form)
    fragment = ""
    if stats is not None:
        # No chart on the page: the table beside it holds the same figures, and the page
        # stays fast; the Excel and PDF exports carry the chart.
        fragment = mark_safe(render_html_fragment(marked(marac_report(stats, with_chart=False))))  # noqa: S308
    record(request, "view", summary="Viewed the MARAC quarterly statistics")
    return render(
        request,
        "panels/statistics.html",
        {"form": form, "report": fragment, "query": request.GET.urlencode()},
    )


@allow(*STATISTICS_READERS, programme=PANEL)
def statistics_export(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    stats = _statistics(form)
    if stats is None:
        return render(request, "panels/statistics.html", {"form": form, "report": ""}, status=400)
    body = render_xlsx(marked(marac_report(stats)))
    label = stats.latest.quarter.key.replace("/", "-")
    record(
        request,
        "export",
        summary=f"Exported the MARAC quarterly statistics to {label}",
        detail={"quarters": [q.quarter.key for q in stats.quarters]},
    )
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="marac-statistics-{label}.xlsx"'
    return response

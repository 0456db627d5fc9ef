"""The quarterly statistics page beside SafeLives' ranges, and its Excel export.

Both show the partnership's version or, with `audience=public`, the version for
publication (small counts hidden); the figures come from `saferhub.app.marac`.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from saferhub.app import marac as app
from saferhub.reports.safe_cells import XLSX_CONTENT_TYPE
from saferhub.rules.disclosure import Audience
from saferhub.rules.periods import Month
from saferhub.web.access import allow
from saferhub.web.audiences import board_audience
from saferhub.web.audit.log import record
from saferhub.web.demo import marked
from saferhub.web.panels.privacy import PANEL, STATISTICS_READERS
from saferhub.web.panels.statistics_form import StatisticsForm
from saferhub.web.people.access import today


def _form(request: HttpRequest) -> StatisticsForm:
    current = Month.of(today()).financial_quarter
    data = request.GET.copy() if "quarter" in request.GET else None
    if data is not None:
        data.setdefault("quarters", "5")
    return StatisticsForm(data, initial={"quarter": current.key, "quarters": 5})


def _statistics(form: StatisticsForm, audience: Audience):
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
        return app.statistics(
            values["quarter"], values["quarters"], values["adult_women"], audience, PANEL
        )
    if form.is_bound:
        return None
    return app.statistics(Month.of(today()).financial_quarter, 5, None, audience, PANEL)


@allow(*STATISTICS_READERS, programme=PANEL)
def statistics(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    audience = board_audience(request)
    published = _statistics(form, audience)
    fragment = ""
    if published is not None:
        # No chart on the page: the table beside it holds the same figures, and the page
        # stays fast; the Excel and PDF exports carry the chart.
        fragment = app.page_fragment(marked(app.report(published, with_chart=False)))
    record(request, "view", summary=f"Viewed the MARAC quarterly statistics ({audience} version)")
    return render(
        request,
        "panels/statistics.html",
        {
            "form": form,
            "report": fragment,
            "query": request.GET.urlencode(),
            "audience": audience.value,
        },
    )


@allow(*STATISTICS_READERS, programme=PANEL)
def statistics_export(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    audience = board_audience(request)
    published = _statistics(form, audience)
    if published is None:
        return render(request, "panels/statistics.html", {"form": form, "report": ""}, status=400)
    body = app.render(published, "xlsx", mark_report=marked)
    stats = published.result
    label = stats.latest.quarter.key.replace("/", "-")
    record(
        request,
        "export",
        summary=f"Exported the MARAC quarterly statistics to {label} ({audience} version)",
        detail={"quarters": [q.quarter.key for q in stats.quarters], "audience": str(audience)},
    )
    suffix = "-public" if audience is Audience.PUBLIC else ""
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="marac-statistics-{label}{suffix}.xlsx"'
    )
    return response

"""The ASB statistics page: the figures come from `saferhub.app.asb`, published once for the
chosen audience and rendered through `saferhub.reports.panels`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from saferhub.app import asb as app
from saferhub.measures.asb import quarters_to
from saferhub.rules.disclosure import Audience
from saferhub.web.access import allow
from saferhub.web.asb.privacy import PROGRAMME, STATISTICS_READERS
from saferhub.web.audit.log import record
from saferhub.web.people.access import today

QUARTERS_SHOWN = 4


@allow(*STATISTICS_READERS, programme=PROGRAMME)
def statistics(request: HttpRequest) -> HttpResponse:
    public = request.GET.get("audience") == "public"
    audience = Audience.PUBLIC if public else Audience.PARTNERSHIP
    published = app.statistics(quarters_to(today(), QUARTERS_SHOWN), audience)
    record(request, "view", summary=f"Viewed ASB statistics ({audience} version)")
    return render(
        request,
        "asb/statistics.html",
        {"report": app.page_fragment(published), "audience": audience.value},
    )

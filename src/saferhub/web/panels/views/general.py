"""The pages the DA MARAC does its own way and the other panels share: a referral built from
the panel's settings, and the panel's quarterly statistics with their public version."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from saferhub.app import panels as app
from saferhub.errors import ConfigurationError
from saferhub.rules.disclosure import Audience
from saferhub.rules.panels import RecordError
from saferhub.rules.periods import FinancialQuarter, Month
from saferhub.web.access import allow
from saferhub.web.audit.log import record
from saferhub.web.panels import services
from saferhub.web.panels.asb_links import find_asb_case
from saferhub.web.panels.panel_forms import PanelReferralForm
from saferhub.web.panels.panel_referrals import create_panel_referral
from saferhub.web.panels.privacy import PANEL, STATISTICS_READERS, WRITERS
from saferhub.web.panels.registry import go, panel_of
from saferhub.web.people.access import today


@allow(*WRITERS, programme=PANEL)
def refer(request: HttpRequest) -> HttpResponse:
    on = today()
    panel = panel_of(request)
    form = PanelReferralForm(
        request.POST or None,
        config=panel,
        today=on,
        agencies=services.member_agencies(panel.code),
        find_candidates=lambda first, last, dob: services.find_candidates(
            request.user, first, last, dob, panel.code
        ),
        find_asb_case=lambda reference: find_asb_case(request.user, reference),
        initial={"referral_date": on, "referring_agency": request.user.agency_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = create_panel_referral(
                panel=panel, user=request.user, today=on, data=form.cleaned_data
            )
        except RecordError as exc:
            for problem in exc.problems:
                form.add_error(
                    problem.field if problem.field in form.fields else None, problem.message
                )
        else:
            note = " It is a repeat referral." if case.is_repeat else ""
            messages.success(request, f"Referral {case.reference} made.{note}")
            return go(request, "case", pk=case.pk)
    if request.method == "GET":
        record(request, "view", summary=f"Opened the {panel.name} referral form")
    offered = {
        prefix: [(c, people.get(int(c.person_id))) for c in candidates]
        for prefix, candidates in form.candidates.items()
        if candidates
        for people in [services.candidates_by_pk(candidates)]
    }
    if offered:
        record(
            request,
            "search",
            summary="Checked a referral for duplicate people",
            person_ids=[p.pk for v in offered.values() for _, p in v if p is not None],
        )
    return render(
        request,
        "panels/panel_refer.html",
        {"form": form, "config": panel, "offered": offered},
    )


@allow(*STATISTICS_READERS, programme=PANEL)
def statistics(request: HttpRequest) -> HttpResponse:
    panel = panel_of(request)
    current = Month.of(today()).financial_quarter
    problem = ""
    try:
        last = FinancialQuarter.parse(request.GET.get("quarter") or current.key)
    except ConfigurationError:
        last, problem = current, "Write the quarter like 2026/27-Q3."
    public = request.GET.get("audience") == "public"
    audience = Audience.PUBLIC if public else Audience.PARTNERSHIP
    stats = app.statistics(panel, last, 5, audience)
    record(
        request,
        "view",
        summary=f"Viewed the {panel.name} statistics",
        detail={"quarter": last.key, "audience": audience.value},
    )
    return render(
        request,
        "panels/panel_statistics.html",
        {
            "config": panel,
            "report": app.page_fragment(app.report(stats, panel)),
            "quarter": last.key,
            "audience": audience.value,
            "problem": problem,
        },
    )

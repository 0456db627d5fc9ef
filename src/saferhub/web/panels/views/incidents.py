"""Serious violence incidents: record one, see the SIRM rule's decision and its reasons,
override it with a reason, record when the SIRM met, and watch the 24-hour clocks."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from saferhub.rules.panels import RecordError
from saferhub.rules.sirm import sirm_clock
from saferhub.web.access import allow
from saferhub.web.audit.log import record
from saferhub.web.panels import services, sirm_services
from saferhub.web.panels.incident_access import all_incidents, visible_incidents
from saferhub.web.panels.models import Incident, IncidentRoute
from saferhub.web.panels.panel_forms import HeldForm, IncidentForm, OverrideForm
from saferhub.web.panels.panel_referrals import person_from, referral_reason
from saferhub.web.panels.privacy import CASE_READERS, COORDINATORS, WRITERS, panel_cases
from saferhub.web.panels.registry import go, namespace_of, panel_of
from saferhub.web.people.access import today
from saferhub.web.people.listing import not_shown_note
from saferhub.web.versioning import StaleRecord

SIRM = "sirm"
NOT_IN_SIGHT = "their case is closed, or on a panel your agency is not a member of"
LIST_LIMIT = 100


def _incident_for(request: HttpRequest, pk: int) -> Incident:
    found = (
        visible_incidents(request.user)
        .select_related("person", "case", "reporting_agency")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such incident")
    return found


def _clock(incident: Incident, now):
    if incident.route != IncidentRoute.SIRM:
        return None
    return sirm_clock(incident.occurred_at, now, incident.sirm_held_at)


@allow(*CASE_READERS, programme=SIRM)
def incidents(request: HttpRequest) -> HttpResponse:
    """The coordinator's dashboard: SIRMs still to meet, each with its 24-hour clock."""
    now = timezone.now()
    shown_qs = visible_incidents(request.user).select_related("person", "case")
    hidden = all_incidents(request.user).count() - shown_qs.count()
    shown = list(shown_qs[:LIST_LIMIT])
    rows = [(i, _clock(i, now)) for i in shown]
    waiting = [(i, c) for i, c in rows if c is not None and not c.held]
    waiting.sort(key=lambda pair: pair[1].due)
    record(
        request,
        "view",
        summary="Viewed serious violence incidents and SIRM clocks",
        detail={"shown": len(shown), "not_shown": hidden},
        person_ids=[i.person_id for i in shown],
    )
    return render(
        request,
        "panels/incidents.html",
        {
            "waiting": waiting,
            "rows": rows,
            "breached": sum(1 for _, c in rows if c is not None and c.breached),
            "not_shown": not_shown_note(hidden, NOT_IN_SIGHT),
            "can_record": request.user.role in WRITERS,
            "now": now,
        },
    )


@allow(*WRITERS, programme=SIRM)
def incident_new(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    panel = panel_of(request)
    form = IncidentForm(
        request.POST or None,
        now=now,
        agencies=services.member_agencies(panel.code),
        find_candidates=lambda first, last, dob: services.find_candidates(
            request.user, first, last, dob, panel.code
        ),
        initial={
            "occurred_at": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
            "reporting_agency": request.user.agency_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            facts = form.facts()
            # One transaction: a refused incident leaves no new person record behind.
            with transaction.atomic():
                person = person_from(
                    data, "victim", data["reporting_agency"], today(), referral_reason(panel.name)
                )
                incident = sirm_services.record_incident(
                    user=request.user,
                    reporting_agency=data["reporting_agency"],
                    person=person,
                    occurred_at=data["occurred_at"],
                    facts=facts,
                    summary=data.get("summary") or "",
                    on=today(),
                )
        except RecordError as exc:
            for problem in exc.problems:
                form.add_error(
                    problem.field if problem.field in form.fields else None, problem.message
                )
        else:
            messages.success(
                request,
                f"Incident {incident.reference} recorded. Decision: "
                f"{incident.get_route_display().lower()}.",
            )
            return go(request, "incident", pk=incident.pk)
    if request.method == "GET":
        record(request, "view", summary="Opened the serious violence incident form")
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
            summary="Checked an incident for duplicate people",
            person_ids=[p.pk for v in offered.values() for _, p in v if p is not None],
        )
    return render(request, "panels/incident_form.html", {"form": form, "offered": offered})


@allow(*CASE_READERS, programme=SIRM)
def incident(request: HttpRequest, pk: int) -> HttpResponse:
    found = _incident_for(request, pk)
    now = timezone.now()
    case_visible = (
        found.case is not None
        and panel_cases(request.user, found.case.panel).filter(pk=found.case_id).exists()
    )
    record(
        request,
        "view",
        found,
        person_id=found.person_id,
        summary=f"Viewed incident {found.reference}",
        person_ids=[found.person_id],
    )
    is_coordinator = request.user.role in COORDINATORS
    return render(
        request,
        "panels/incident.html",
        {
            "incident": found,
            "clock": _clock(found, now),
            "case_visible": case_visible,
            "case_url": reverse(
                f"{namespace_of(found.case.panel)}:case", kwargs={"pk": found.case_id}
            )
            if case_visible
            else "",
            "override_form": OverrideForm(initial={"version": found.version})
            if is_coordinator and found.sirm_held_at is None
            else None,
            "held_form": HeldForm(
                initial={
                    "version": found.version,
                    "held_at": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
                }
            )
            if is_coordinator and found.route == IncidentRoute.SIRM and not found.sirm_held_at
            else None,
        },
    )


@allow(*COORDINATORS, programme=SIRM)
def incident_override(request: HttpRequest, pk: int) -> HttpResponse:
    found = _incident_for(request, pk)
    form = OverrideForm(request.POST or None, initial={"version": found.version})
    if request.method == "POST" and form.is_valid():
        try:
            sirm_services.override_route(
                incident=found,
                version=form.cleaned_data["version"],
                route=form.cleaned_data["route"],
                reason=form.cleaned_data["override_reason"],
                user=request.user,
                on=today(),
            )
        except StaleRecord as exc:
            form.refuse_stale(exc)
        except RecordError as exc:
            for problem in exc.problems:
                form.add_error(
                    problem.field if problem.field in form.fields else None, problem.message
                )
        else:
            messages.success(
                request,
                f"Incident {found.reference}: decision changed to "
                f"{found.get_route_display().lower()}.",
            )
            return go(request, "incident", pk=pk)
    record(request, "view", found, summary=f"Opened the decision override for {found.reference}")
    return render(
        request,
        "panels/form.html",
        {
            "form": form,
            "title": f"Change the decision: incident {found.reference}",
            "intro": f"The rule decided: {found.get_suggested_route_display().lower()}. "
            "Your reason is recorded and shown with the decision.",
        },
    )


@allow(*COORDINATORS, programme=SIRM)
def incident_held(request: HttpRequest, pk: int) -> HttpResponse:
    found = _incident_for(request, pk)
    form = HeldForm(request.POST or None, initial={"version": found.version})
    if request.method == "POST" and form.is_valid():
        try:
            sirm_services.record_sirm_held(
                incident=found,
                version=form.cleaned_data["version"],
                held_at=form.cleaned_data["held_at"],
                now=timezone.now(),
            )
        except StaleRecord as exc:
            form.refuse_stale(exc)
        except RecordError as exc:
            form.add_error("held_at", exc.problems[0].message)
        else:
            clock = _clock(found, timezone.now())
            messages.success(request, f"SIRM for {found.reference} recorded: {clock.label}.")
            return go(request, "incident", pk=pk)
    record(request, "view", found, summary=f"Opened the SIRM time for {found.reference}")
    return render(
        request,
        "panels/form.html",
        {"form": form, "title": f"When the SIRM met: incident {found.reference}"},
    )

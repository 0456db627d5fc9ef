"""ASB pages for cases: the overview, the list of cases, one case, and what is added to it."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from saferhub.web.access import allow
from saferhub.web.asb import services
from saferhub.web.asb.forms import (
    ActionForm,
    AgencyForm,
    CaseForm,
    CloseForm,
    ComplainantForm,
    IncidentForm,
    PersonForm,
)
from saferhub.web.asb.models import (
    CaseAction,
    Review,
    ReviewStatus,
)
from saferhub.web.asb.privacy import (
    CASE_READERS,
    COORDINATORS,
    NOT_WORKING,
    OVERVIEW_READERS,
    PROGRAMME,
    STATISTICS_READERS,
    WRITERS,
    all_cases,
    hidden_count,
    people_of,
    visible_cases,
)
from saferhub.web.asb.views import case_for, form_page, show_error
from saferhub.web.audit.log import record
from saferhub.web.people.access import today
from saferhub.web.people.listing import not_shown_note
from saferhub.web.versioning import MISSING_VERSION, StaleRecord, posted_version

CASE_LIMIT = 50


def overdue_reviews(user):
    return (
        Review.objects.filter(
            status=ReviewStatus.IN_REVIEW, due_on__lt=today(), case__in=visible_cases(user)
        )
        .select_related("case")
        .order_by("due_on")
    )


@allow(*OVERVIEW_READERS, programme=PROGRAMME)
def home(request: HttpRequest) -> HttpResponse:
    """The ASB overview; for coordinators it is the dashboard of overdue case reviews."""
    cases = visible_cases(request.user)
    is_coordinator = request.user.role in COORDINATORS
    overdue = list(overdue_reviews(request.user)) if is_coordinator else []
    record(request, "view", summary="Viewed the ASB overview")
    return render(
        request,
        "asb/home.html",
        {
            "open_count": cases.filter(status="open").count(),
            "under_review": Review.objects.filter(
                status=ReviewStatus.IN_REVIEW, case__in=cases
            ).count(),
            "overdue": overdue,
            "is_coordinator": is_coordinator,
            "can_open": request.user.role in WRITERS,
            "can_read_cases": request.user.role in CASE_READERS,
            "can_see_statistics": request.user.role in STATISTICS_READERS,
        },
    )


@allow(*CASE_READERS, programme=PROGRAMME)
def cases(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    found = visible_cases(request.user)
    if status in ("open", "closed"):
        found = found.filter(status=status)
    hidden = 0
    if text:
        query = Q(reference__iexact=text) | Q(summary__icontains=text) | Q(ward__iexact=text)
        found = found.filter(query)
    else:
        every = all_cases(request.user)
        if status in ("open", "closed"):
            every = every.filter(status=status)
        hidden = hidden_count(request.user, every)
    shown = list(found.select_related("lead_agency")[: CASE_LIMIT + 1])
    more = len(shown) > CASE_LIMIT
    shown = shown[:CASE_LIMIT]
    record(
        request,
        "search" if text else "view",
        summary=f"Searched ASB cases for '{text}'" if text else "Viewed the ASB case list",
        detail={"query": text, "status": status, "shown": len(shown), "not_shown": hidden},
    )
    return render(
        request,
        "asb/cases.html",
        {
            "cases": shown,
            "more": more,
            "limit": CASE_LIMIT,
            "q": text,
            "status": status,
            "not_shown": not_shown_note(hidden, NOT_WORKING)
            .replace("people", "cases")
            .replace("person", "case"),
            "can_open": request.user.role in WRITERS,
        },
    )


@allow(*WRITERS, programme=PROGRAMME)
def case_new(request: HttpRequest) -> HttpResponse:
    agencies = services.member_agencies().exclude(pk=request.user.agency_id)
    form = CaseForm(request.POST or None, agencies=agencies, initial={"opened_on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["opened_on"] > today():
            form.add_error("opened_on", "The date opened must be today or in the past.")
        else:
            try:
                case = services.open_case(
                    request,
                    summary=data["summary"],
                    category=data["category"],
                    location=data["location"],
                    ward=data["ward"],
                    opened_on=data["opened_on"],
                    agencies=data["agencies"],
                )
            except services.AsbError as exc:
                show_error(form, exc)
            else:
                messages.success(request, f"ASB case {case.reference} opened.")
                return redirect("asb:case", pk=case.pk)
    return form_page(request, form, "Open an ASB case")


@allow(*CASE_READERS, programme=PROGRAMME)
def case(request: HttpRequest, pk: int) -> HttpResponse:
    found = case_for(request, pk)
    complainants = list(found.complainants.select_related("person"))
    respondents = list(found.respondents.select_related("person"))
    incidents = list(found.incidents.select_related("complainant__person"))
    record(
        request,
        "view",
        found,
        summary=f"Viewed ASB case {found.reference}",
        person_ids=people_of(found),
    )
    can_write = request.user.role in WRITERS and found.status == "open"
    return render(
        request,
        "asb/case.html",
        {
            "case": found,
            "complainants": complainants,
            "respondents": respondents,
            "incidents": incidents,
            "agencies": list(found.agencies.select_related("agency")),
            "actions": list(found.actions.select_related("owner_agency")),
            "reviews": list(found.reviews.select_related("applicant__person")),
            "tool_uses": list(found.tool_uses.select_related("agency", "person")),
            "can_write": can_write,
            "is_coordinator": request.user.role in COORDINATORS,
            "close_form": CloseForm(initial={"version": found.version}),
        },
    )


def _case_write(request, pk: int, form_class, title: str, write, **form_kwargs):
    """A form on a case that, when valid, calls `write(case, cleaned_data)`."""
    found = case_for(request, pk)
    if found.status != "open":
        messages.error(request, f"Case {found.reference} is closed, so it cannot be changed.")
        return redirect("asb:case", pk=found.pk)
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            done = write(found, form.cleaned_data)
        except services.AsbError as exc:
            show_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("asb:case", pk=found.pk)
    return form_page(request, form, title, found)


@allow(*WRITERS, programme=PROGRAMME)
def complainant_new(request: HttpRequest, pk: int) -> HttpResponse:
    def write(found, data):
        services.add_complainant(request, case=found, on=today(), **data)
        return "Complainant added."

    return _case_write(request, pk, ComplainantForm, "Add a complainant", write)


@allow(*WRITERS, programme=PROGRAMME)
def respondent_new(request: HttpRequest, pk: int) -> HttpResponse:
    def write(found, data):
        services.add_respondent(request, case=found, on=today(), **data)
        return "Person causing harm added."

    return _case_write(request, pk, PersonForm, "Add a person causing harm", write)


@allow(*COORDINATORS, programme=PROGRAMME)
def agency_add(request: HttpRequest, pk: int) -> HttpResponse:
    def write(found, data):
        services.add_agency(request, case=found, agency=data["agency"], on=today())
        return f"{data['agency']} now works the case."

    return _case_write(
        request, pk, AgencyForm, "Add an agency", write, agencies=services.member_agencies()
    )


@allow(*WRITERS, programme=PROGRAMME)
def incident_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = case_for(request, pk)

    def write(found, data):
        services.log_incident(request, case=found, today=today(), **data)
        return "Incident logged."

    return _case_write(
        request,
        pk,
        IncidentForm,
        "Log an incident",
        write,
        complainants=found.complainants.select_related("person"),
        initial={"reported_on": today(), "category": found.category, "ward": found.ward},
    )


@allow(*WRITERS, programme=PROGRAMME)
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    def write(found, data):
        services.add_action(request, case=found, **data)
        return "Action added."

    return _case_write(
        request, pk, ActionForm, "Add an action", write, agencies=services.member_agencies()
    )


@allow(*WRITERS, programme=PROGRAMME)
@require_POST
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = CaseAction.objects.filter(pk=pk, case__in=visible_cases(request.user)).first()
    if action is None:
        raise Http404("No such action")
    version = posted_version(request.POST)
    if version is None:
        messages.error(request, MISSING_VERSION)
        return redirect("asb:case", pk=action.case_id)
    try:
        services.complete_action(request, action=action, version=version)
    except services.AsbError as exc:
        messages.error(request, exc.message)
    except StaleRecord:
        messages.error(
            request,
            "Someone changed this action after you opened the page, so "
            "nothing was changed. Check the case and try again if needed.",
        )
    else:
        messages.success(request, "Action marked done.")
    return redirect("asb:case", pk=action.case_id)


@allow(*COORDINATORS, programme=PROGRAMME)
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    found = case_for(request, pk)
    form = CloseForm(request.POST or None, initial={"version": found.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.close_case(
                request,
                case=found,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                on=today(),
            )
        except services.AsbError as exc:
            show_error(form, exc)
        except StaleRecord as stale:
            form.refuse_stale(stale)
        else:
            messages.success(request, f"Case {found.reference} closed.")
            return redirect("asb:case", pk=found.pk)
    return form_page(request, form, f"Close case {found.reference}", found)

"""ASB pages: each view declares its roles and programme, checks objects, and audits reads."""

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
    DecisionForm,
    IncidentForm,
    PersonForm,
    RecommendationForm,
    ReviewRequestForm,
    SettingsForm,
    ToolUseForm,
)
from saferhub.web.asb.models import (
    AsbCase,
    CaseAction,
    Review,
    ReviewStatus,
    ToolKind,
    ToolUse,
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
from saferhub.web.audit.log import record
from saferhub.web.people.access import today, visible_people
from saferhub.web.people.listing import not_shown_note
from saferhub.web.versioning import MISSING_VERSION, StaleRecord, posted_version

CASE_LIMIT = 50


def case_for(request: HttpRequest, pk: int) -> AsbCase:
    """The case, if the user may see it; otherwise 'not found', so its existence is hidden."""
    case = visible_cases(request.user).select_related("lead_agency").filter(pk=pk).first()
    if case is None:
        raise Http404("No such case")
    return case


def review_for(request: HttpRequest, pk: int) -> Review:
    review = (
        Review.objects.select_related("case", "applicant__person")
        .filter(pk=pk, case__in=visible_cases(request.user))
        .first()
    )
    if review is None:
        raise Http404("No such review")
    return review


def _form_page(request, form, title: str, case: AsbCase | None = None, intro: str = ""):
    return render(
        request, "asb/form.html", {"form": form, "title": title, "case": case, "intro": intro}
    )


def _show_error(form, error: services.AsbError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


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
                _show_error(form, exc)
            else:
                messages.success(request, f"ASB case {case.reference} opened.")
                return redirect("asb:case", pk=case.pk)
    return _form_page(request, form, "Open an ASB case")


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
            _show_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("asb:case", pk=found.pk)
    return _form_page(request, form, title, found)


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
            _show_error(form, exc)
        except StaleRecord as stale:
            form.refuse_stale(stale)
        else:
            messages.success(request, f"Case {found.reference} closed.")
            return redirect("asb:case", pk=found.pk)
    return _form_page(request, form, f"Close case {found.reference}", found)


# --- case reviews -----------------------------------------------------------------------------


@allow(*WRITERS, programme=PROGRAMME)
def review_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = case_for(request, pk)
    complainants = found.complainants.select_related("person")
    incidents = found.incidents.filter(complainant__isnull=False).select_related(
        "complainant__person"
    )
    form = ReviewRequestForm(
        request.POST or None,
        complainants=complainants,
        incidents=incidents,
        initial={"requested_on": today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cited = list(data["complaints"]) or list(incidents.filter(complainant=data["applicant"]))
        try:
            review = services.request_review(
                request,
                case=found,
                applicant=data["applicant"],
                requested_on=data["requested_on"],
                complaints=cited,
                today=today(),
            )
        except services.AsbError as exc:
            _show_error(form, exc)
        else:
            met = (
                "The threshold is met: the review is open."
                if review.threshold_met
                else ("The threshold is not met.")
            )
            messages.success(request, f"Case review request recorded. {met}")
            return redirect("asb:review", pk=review.pk)
    return _form_page(
        request,
        form,
        "Record a case review request",
        found,
        intro="The threshold is checked against the partnership's settings when you save.",
    )


@allow(*CASE_READERS, programme=PROGRAMME)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    found = review_for(request, pk)
    result = services.result_of(found)
    incidents = {str(i.pk): i for i in found.case.incidents.select_related("complainant__person")}
    record(
        request,
        "view",
        found,
        summary=f"Viewed {found}",
        person_ids=people_of(found.case),
    )
    is_coordinator = request.user.role in COORDINATORS
    return render(
        request,
        "asb/review.html",
        {
            "review": found,
            "case": found.case,
            "result": result,
            "counted": [incidents[c.id] for c in result.counted if c.id in incidents],
            "excluded": [
                (incidents[e.complaint.id], e.reason)
                for e in result.excluded
                if e.complaint.id in incidents
            ],
            "recommendations": list(found.recommendations.select_related("owner_agency")),
            "overdue": found.status == ReviewStatus.IN_REVIEW
            and found.due_on is not None
            and found.due_on < today(),
            "can_act": is_coordinator and found.status == ReviewStatus.IN_REVIEW,
        },
    )


@allow(*COORDINATORS, programme=PROGRAMME)
def recommendation_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = review_for(request, pk)
    form = RecommendationForm(request.POST or None, agencies=services.member_agencies())
    if request.method == "POST" and form.is_valid():
        try:
            services.add_recommendation(request, review=found, **form.cleaned_data)
        except services.AsbError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, "Recommendation added.")
            return redirect("asb:review", pk=found.pk)
    return _form_page(request, form, "Add a recommendation", found.case)


@allow(*COORDINATORS, programme=PROGRAMME)
def review_complete(request: HttpRequest, pk: int) -> HttpResponse:
    found = review_for(request, pk)
    form = DecisionForm(
        request.POST or None, initial={"version": found.version, "completed_on": today()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.complete_review(
                request,
                review=found,
                version=data["version"],
                decision=data["decision"],
                completed_on=data["completed_on"],
                today=today(),
            )
        except services.AsbError as exc:
            _show_error(form, exc)
        except StaleRecord as stale:
            form.refuse_stale(stale)
        else:
            messages.success(request, "Review completed and the letter written.")
            return redirect("asb:review", pk=found.pk)
    return _form_page(request, form, "Record the panel's decision", found.case)


@allow(*COORDINATORS, programme=PROGRAMME)
def review_settings(request: HttpRequest) -> HttpResponse:
    current = services.review_settings()
    initial = {
        name: getattr(current, name)
        for name in (
            "complaints",
            "window_months",
            "report_within_months",
            "community_individuals",
            "community_window_months",
            "review_working_days",
            "letter_template",
        )
    }
    form = SettingsForm(request.POST or None, initial={**initial, "version": current.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.save_settings(request, version=version, **data)
        except StaleRecord as stale:
            form.refuse_stale(stale)
        else:
            messages.success(request, "Case review settings saved.")
            return redirect("asb:home")
    return _form_page(request, form, "Case review threshold and letter")


# --- tools and powers -------------------------------------------------------------------------


@allow(*CASE_READERS, programme=PROGRAMME)
def tools(request: HttpRequest) -> HttpResponse:
    uses = list(ToolUse.objects.select_related("agency", "case")[:200])
    seen = set(
        visible_people(request.user)
        .filter(pk__in={u.person_id for u in uses if u.person_id})
        .values_list("pk", flat=True)
    )
    visible = set(
        visible_cases(request.user)
        .filter(pk__in={u.case_id for u in uses if u.case_id})
        .values_list("pk", flat=True)
    )
    rows = [
        {
            "use": u,
            "person": u.person if u.person_id in seen else None,
            "hidden_person": u.person_id is not None and u.person_id not in seen,
            "case": u.case if u.case_id in visible else None,
            # Premises on a case the agency does not work may be a complainant's street.
            "hidden_case": u.case_id is not None and u.case_id not in visible,
        }
        for u in uses
    ]
    named = sorted(seen)
    record(request, "view", summary="Viewed ASB tools and powers", person_ids=named)
    return render(
        request,
        "asb/tools.html",
        {"rows": rows, "can_record": request.user.role in WRITERS, "kinds": ToolKind.choices},
    )


def _tool_form(request, found: AsbCase | None):
    people = found.respondents.values("person") if found else None
    from saferhub.web.people.models import Person

    queryset = Person.objects.filter(pk__in=people) if people is not None else Person.objects.none()
    form = ToolUseForm(
        request.POST or None,
        agencies=services.member_agencies(),
        people=queryset,
        initial={"agency": request.user.agency_id, "used_on": today()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_tool_use(request, case=found, today=today(), **form.cleaned_data)
        except services.AsbError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, "Use of a tool or power recorded.")
            return redirect("asb:case", pk=found.pk) if found else redirect("asb:tools")
    return _form_page(request, form, "Record a tool or power", found)


@allow(*WRITERS, programme=PROGRAMME)
def tool_new(request: HttpRequest) -> HttpResponse:
    return _tool_form(request, None)


@allow(*WRITERS, programme=PROGRAMME)
def case_tool_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _tool_form(request, case_for(request, pk))

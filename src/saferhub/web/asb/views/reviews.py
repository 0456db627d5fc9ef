"""ASB pages for case reviews (the ASB Case Review): requests, decisions and settings."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from saferhub.web.access import allow
from saferhub.web.asb import services
from saferhub.web.asb.forms import (
    DecisionForm,
    RecommendationForm,
    ReviewRequestForm,
    SettingsForm,
)
from saferhub.web.asb.models import (
    ReviewStatus,
)
from saferhub.web.asb.privacy import (
    CASE_READERS,
    COORDINATORS,
    PROGRAMME,
    WRITERS,
    people_of,
)
from saferhub.web.asb.views import case_for, form_page, review_for, show_error
from saferhub.web.audit.log import record
from saferhub.web.people.access import today
from saferhub.web.versioning import StaleRecord


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
            show_error(form, exc)
        else:
            met = (
                "The threshold is met: the review is open."
                if review.threshold_met
                else ("The threshold is not met.")
            )
            messages.success(request, f"Case review request recorded. {met}")
            return redirect("asb:review", pk=review.pk)
    return form_page(
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
            show_error(form, exc)
        else:
            messages.success(request, "Recommendation added.")
            return redirect("asb:review", pk=found.pk)
    return form_page(request, form, "Add a recommendation", found.case)


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
            show_error(form, exc)
        except StaleRecord as stale:
            form.refuse_stale(stale)
        else:
            messages.success(request, "Review completed and the letter written.")
            return redirect("asb:review", pk=found.pk)
    return form_page(request, form, "Record the panel's decision", found.case)


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
    return form_page(request, form, "Case review threshold and letter")

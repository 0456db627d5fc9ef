"""Actions: record them at the meeting, mark them done, and see who is behind."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from saferhub.rules.panels import RecordError
from saferhub.web.access import allow, forbidden
from saferhub.web.audit.log import record
from saferhub.web.panels import services
from saferhub.web.panels.case_forms import ActionForm, ActionUpdateForm
from saferhub.web.panels.models import Action, ActionStatus
from saferhub.web.panels.privacy import (
    CASE_READERS,
    COORDINATORS,
    PANEL,
    WRITERS,
    may_update_action,
)
from saferhub.web.panels.registry import go, panel_of, short_name
from saferhub.web.panels.views import audit_case, case_for
from saferhub.web.people.access import today
from saferhub.web.tables import Sorting, paginate
from saferhub.web.versioning import StaleRecord

# The columns the overdue list sorts by, and what each sorts on.
OVERDUE_SORTS = {
    "case": ("case__reference",),
    "owner": ("owner_agency__name", "due_date"),
    "due": ("due_date",),
}


@allow(*COORDINATORS, programme=PANEL)
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = case_for(request, pk)
    on = today()
    form = ActionForm(
        request.POST or None,
        agencies=services.member_agencies(panel_of(request).code),
        today=on,
        initial={"due_date": on},
    )
    if request.method == "POST" and form.is_valid():
        meeting = (
            found.listings.filter(heard=True)
            .select_related("meeting")
            .order_by("-meeting__date")
            .first()
        )
        services.add_action(
            found,
            meeting.meeting if meeting else None,
            owner_agency=form.cleaned_data["owner_agency"],
            risk_addressed=form.cleaned_data["risk_addressed"],
            description=form.cleaned_data["description"].strip(),
            due_date=form.cleaned_data["due_date"],
        )
        messages.success(request, f"Action recorded on case {found.reference}.")
        if "another" in request.POST:
            return go(request, "action-new", pk=pk)
        return go(request, "case", pk=pk)
    audit_case(request, found, "Opened a new action for")
    return render(
        request,
        "panels/action_form.html",
        {
            "form": form,
            "case": found,
            "actions": found.actions.select_related("owner_agency"),
            "title": f"Record an action: case {found.reference}",
        },
    )


@allow(*WRITERS, programme=PANEL)
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.in_programme(panel_of(request).code):
        raise Http404("No such action")
    action = (
        Action.objects.select_related("case", "case__victim", "owner_agency", "meeting")
        .filter(pk=pk, case__panel=panel_of(request).code)
        .first()
    )
    if action is None:
        raise Http404("No such action")
    if not may_update_action(request.user, action, panel_of(request).code):
        return forbidden(
            request, "Only the owner agency or the coordinator can update this action."
        )
    form = ActionUpdateForm(
        request.POST or None,
        today=today(),
        agreed=action.meeting.date if action.meeting else None,
        initial={
            "status": action.status,
            "outcome": action.outcome,
            "completed_date": action.completed_date or today(),
            "version": action.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_action(
                action,
                version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
                outcome=form.cleaned_data["outcome"],
                completed_date=form.cleaned_data["completed_date"],
            )
        except StaleRecord as exc:
            form.refuse_stale(exc)
        except RecordError as exc:
            form.add_error("status", exc.problems[0].message)
        else:
            messages.success(request, f"Action on case {action.case.reference} updated.")
            return go(request, "case", pk=action.case_id)
    audit_case(request, action.case, "Opened an action on")
    return render(
        request,
        "panels/form.html",
        {
            "form": form,
            "case": action.case,
            "title": f"Update the action: {action.description}",
            "intro": f"Owner: {action.owner_agency}. Due {action.due_date:%d %B %Y}. "
            f"Risk addressed: {action.get_risk_addressed_display()}.",
        },
    )


@allow(*CASE_READERS, programme=PANEL)
def overdue(request: HttpRequest) -> HttpResponse:
    on = today()
    summary = services.overdue_by_agency(on, panel_of(request).code)
    scope = request.GET.get("agency", "mine")
    actions = Action.objects.filter(
        case__panel=panel_of(request).code, status=ActionStatus.OPEN, due_date__lt=on
    ).select_related("case", "owner_agency")
    if scope == "mine":
        actions = actions.filter(owner_agency_id=request.user.agency_id)
    else:
        try:
            actions = actions.filter(owner_agency_id=int(scope)) if scope != "all" else actions
        except ValueError:
            scope, actions = "all", actions
    total = actions.count()
    sorting = Sorting.from_request(request, OVERDUE_SORTS, "due")
    page = paginate(request, sorting.apply(actions))
    for action in page:
        action.may_update = may_update_action(request.user, action, panel_of(request).code)
    record(
        request,
        "view",
        summary=f"Viewed the overdue {short_name(panel_of(request).code)} actions",
        detail={"scope": scope, "overdue": total},
    )
    return render(
        request,
        "panels/overdue.html",
        {
            "summary": summary,
            "actions": page,
            "sorting": sorting,
            "total": total,
            "scope": scope,
            "today": on,
            "agency": request.user.agency,
        },
    )

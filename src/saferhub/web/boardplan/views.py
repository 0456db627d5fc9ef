"""Board-plan pages. Everyone on staff may read the plans (they are the board's published
work programme, naming officers in their work role); coordinators, analysts and
administrators keep them. Each page read is audited, as other modules audit page views.
"""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from saferhub.rules.board_plan import count_plan
from saferhub.web.access import allow
from saferhub.web.accounts.models import Agency, Role
from saferhub.web.audit.log import record
from saferhub.web.boardplan import services
from saferhub.web.boardplan.forms import (
    ActionEditForm,
    ActionForm,
    ItemEditForm,
    ItemForm,
    UpdateForm,
)
from saferhub.web.boardplan.models import ForwardPlanItem, PlanAction, Rag
from saferhub.web.people.access import today
from saferhub.web.tables import Sorting, page_links, paginate
from saferhub.web.versioning import StaleRecord

READERS = (Role.VIEWER, Role.PRACTITIONER, Role.COORDINATOR, Role.ANALYST, Role.ADMINISTRATOR)
EDITORS = (Role.COORDINATOR, Role.ANALYST, Role.ADMINISTRATOR)

SORTS = {
    "due": ["due_date"],
    "rag": ["rag_rank", "due_date"],
    "action": ["title"],
    "owner": ["owner"],
    "agency": ["agency__name", "due_date"],
}


def _may_edit(request: HttpRequest) -> bool:
    return request.user.role in EDITORS


def _action(pk: int) -> PlanAction:
    found = PlanAction.objects.select_related("agency").filter(pk=pk).first()
    if found is None:
        raise Http404("No such action")
    return found


def _item(pk: int) -> ForwardPlanItem:
    found = ForwardPlanItem.objects.select_related("agency").filter(pk=pk).first()
    if found is None:
        raise Http404("No such item")
    return found


def _show(form, error: services.BoardPlanError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _form_page(request, form, title: str, *, action=None, intro: str = "") -> HttpResponse:
    return render(
        request,
        "boardplan/form.html",
        {"form": form, "title": title, "action": action, "intro": intro},
    )


def _agency_filter(request: HttpRequest) -> int | None:
    raw = request.GET.get("agency", "")
    return int(raw) if raw.isdigit() else None


@allow(*READERS)
def overview(request: HttpRequest) -> HttpResponse:
    """The action plan: counts by RAG, overdue actions and the sortable, filterable table."""
    on = today()
    rag = request.GET.get("rag", "")
    rag = rag if rag in Rag.values else ""
    agency_id = _agency_filter(request)
    status = request.GET.get("status", "open")
    status = status if status in ("open", "done", "dropped") else "open"
    sorting = Sorting.from_request(request, SORTS, "due")
    shown = sorting.apply(services.actions(rag=rag, agency_id=agency_id, status=status))
    page = paginate(request, shown)
    counts = count_plan(services.plan_lines(), on)
    overdue = services.actions().filter(due_date__lt=on).order_by("due_date", "pk")
    record(
        request,
        "view",
        summary="Viewed the board's action plan",
        detail={"rag": rag, "agency": agency_id, "status": status},
    )
    return render(
        request,
        "boardplan/overview.html",
        {
            "page": page,
            "pages": page_links(request, page),
            "sorting": sorting,
            "counts": counts,
            "overdue": list(overdue),
            "rag": rag,
            "rags": Rag.choices,
            "agency_id": agency_id,
            "agencies": services.agencies_with_actions(),
            "status": status,
            "today": on,
            "can_edit": _may_edit(request),
        },
    )


@allow(*EDITORS)
def action_new(request: HttpRequest) -> HttpResponse:
    form = ActionForm(request.POST or None, agencies=Agency.objects.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.create_action(
                title=data["title"],
                description=data["description"],
                priority=data["priority"],
                owner=data["owner"],
                agency=data["agency"],
                due_date=data["due_date"],
                rag=data["rag"],
                today=today(),
                created_by=request.user,
            )
        except services.BoardPlanError as error:
            _show(form, error)
        else:
            messages.success(request, "Action added to the plan.")
            return redirect(action.get_absolute_url())
    return _form_page(request, form, "Add an action")


@allow(*READERS)
def action(request: HttpRequest, pk: int) -> HttpResponse:
    found = _action(pk)
    updates = services.history(found)
    record(request, "view", found, summary=f"Viewed board action: {found.title}"[:300])
    return render(
        request,
        "boardplan/action.html",
        {
            "action": found,
            "updates": list(reversed(updates)),  # newest first, as a timeline reads
            "overdue": found.status == "open" and found.due_date < today(),
            "can_edit": _may_edit(request),
        },
    )


@allow(*EDITORS)
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _action(pk)
    initial = {
        "version": found.version,
        "title": found.title,
        "description": found.description,
        "priority": found.priority,
        "owner": found.owner,
        "agency": found.agency_id,
        "due_date": found.due_date,
        "status": found.status,
    }
    form = ActionEditForm(request.POST or None, initial=initial, agencies=Agency.objects.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_action(
                action=found,
                version=data["version"],
                title=data["title"],
                description=data["description"],
                priority=data["priority"],
                owner=data["owner"],
                agency=data["agency"],
                due_date=data["due_date"],
                status=data["status"],
                today=today(),
            )
        except StaleRecord as stale:
            form.refuse_stale(stale)
        except services.BoardPlanError as error:
            _show(form, error)
        else:
            messages.success(request, "Action saved.")
            return redirect(found.get_absolute_url())
    return _form_page(request, form, "Change the action", action=found)


@allow(*EDITORS)
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    found = _action(pk)
    initial = {"version": found.version, "on": today(), "rag": found.rag}
    form = UpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_update(
                action=found,
                version=data["version"],
                on=data["on"],
                text=data["text"],
                rag=data["rag"],
                today=today(),
                author=request.user,
            )
        except StaleRecord as stale:
            form.refuse_stale(stale)
        except services.BoardPlanError as error:
            _show(form, error)
        else:
            messages.success(request, "Update added.")
            return redirect(found.get_absolute_url())
    return _form_page(
        request,
        form,
        "Add an update",
        action=found,
        intro=f"Action: {found.title}. RAG now: {found.get_rag_display()}.",
    )


@allow(*READERS)
def forward(request: HttpRequest) -> HttpResponse:
    """The forward plan by meeting, upcoming first; past meetings follow on request."""
    on = today()
    past = request.GET.get("past") == "1"
    items = services.forward_items(None if past else on)
    groups = [(day, list(group)) for day, group in groupby(items, key=lambda i: i.meeting_date)]
    record(request, "view", summary="Viewed the board's forward plan", detail={"past": past})
    return render(
        request,
        "boardplan/forward.html",
        {"groups": groups, "past": past, "today": on, "can_edit": _may_edit(request)},
    )


@allow(*EDITORS)
def forward_new(request: HttpRequest) -> HttpResponse:
    form = ItemForm(request.POST or None, agencies=Agency.objects.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_item(
                meeting_date=data["meeting_date"],
                title=data["title"],
                kind=data["kind"],
                lead=data["lead"],
                agency=data["agency"],
                notes=data["notes"],
                created_by=request.user,
            )
        except services.BoardPlanError as error:
            _show(form, error)
        else:
            messages.success(request, "Item added to the forward plan.")
            return redirect("boardplan:forward")
    return _form_page(request, form, "Add an item to the forward plan")


@allow(*EDITORS)
def forward_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _item(pk)
    initial = {
        "version": found.version,
        "meeting_date": found.meeting_date,
        "title": found.title,
        "kind": found.kind,
        "lead": found.lead,
        "agency": found.agency_id,
        "notes": found.notes,
        "status": found.status,
    }
    form = ItemEditForm(request.POST or None, initial=initial, agencies=Agency.objects.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_item(
                item=found,
                version=data["version"],
                meeting_date=data["meeting_date"],
                title=data["title"],
                kind=data["kind"],
                status=data["status"],
                lead=data["lead"],
                agency=data["agency"],
                notes=data["notes"],
            )
        except StaleRecord as stale:
            form.refuse_stale(stale)
        except services.BoardPlanError as error:
            _show(form, error)
        else:
            messages.success(request, "Forward plan item saved.")
            return redirect("boardplan:forward")
    return _form_page(request, form, "Change the forward plan item")

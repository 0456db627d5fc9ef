"""Board-plan pages. Everyone on staff may read the plans (they are the board's published
work programme, naming officers in their work role); coordinators, analysts and
administrators keep them. Each page read is audited, as other modules audit page views.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from itertools import groupby

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from saferhub.rules.board_plan import count_plan, is_overdue
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


def _initial(record, form_class) -> dict:
    """What the edit form starts with: the record's fields as saved, and its version."""
    names = [name for name in form_class.base_fields if name != "version"]
    return {**model_to_dict(record, fields=names), "version": record.version}


def _written(request: HttpRequest, form, write: Callable, done: str):
    """Run the service's write: its result, or None with the reason shown on the form
    (a stale page, or a rule the input breaks)."""
    try:
        result = write()
    except StaleRecord as stale:
        form.refuse_stale(stale)
    except services.BoardPlanError as error:
        _show(form, error)
    else:
        messages.success(request, done)
        return result
    return None


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
    rows = list(page.object_list)
    for row in rows:
        row.overdue = is_overdue(row.due_date, row.status, on)
    counts = count_plan(services.plan_lines(), on)
    # The list and the count both use the one rule of what is overdue.
    overdue = [
        a
        for a in services.actions().order_by("due_date", "pk")
        if is_overdue(a.due_date, a.status, on)
    ]
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
            "rows": rows,
            "pages": page_links(request, page),
            "sorting": sorting,
            "counts": counts,
            "overdue": overdue,
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
        write = partial(
            services.create_action, **form.cleaned_data, today=today(), created_by=request.user
        )
        made = _written(request, form, write, "Action added to the plan.")
        if made is not None:
            return redirect(made.get_absolute_url())
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
            "overdue": is_overdue(found.due_date, found.status, today()),
            "can_edit": _may_edit(request),
        },
    )


@allow(*EDITORS)
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _action(pk)
    form = ActionEditForm(
        request.POST or None,
        initial=_initial(found, ActionEditForm),
        agencies=Agency.objects.all(),
    )
    if request.method == "POST" and form.is_valid():
        write = partial(services.edit_action, action=found, **form.cleaned_data, today=today())
        if _written(request, form, write, "Action saved.") is not None:
            return redirect(found.get_absolute_url())
    return _form_page(request, form, "Change the action", action=found)


@allow(*EDITORS)
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    found = _action(pk)
    initial = {"version": found.version, "on": today(), "rag": found.rag}
    form = UpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        write = partial(
            services.add_update,
            action=found,
            **form.cleaned_data,
            today=today(),
            author=request.user,
        )
        if _written(request, form, write, "Update added.") is not None:
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
        write = partial(services.create_item, **form.cleaned_data, created_by=request.user)
        if _written(request, form, write, "Item added to the forward plan.") is not None:
            return redirect("boardplan:forward")
    return _form_page(request, form, "Add an item to the forward plan")


@allow(*EDITORS)
def forward_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _item(pk)
    form = ItemEditForm(
        request.POST or None, initial=_initial(found, ItemEditForm), agencies=Agency.objects.all()
    )
    if request.method == "POST" and form.is_valid():
        write = partial(services.edit_item, item=found, **form.cleaned_data)
        if _written(request, form, write, "Forward plan item saved.") is not None:
            return redirect("boardplan:forward")
    return _form_page(request, form, "Change the forward plan item")

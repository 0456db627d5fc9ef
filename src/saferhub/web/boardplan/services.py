"""What the board-plan pages do to the database: add and change actions, add dated updates
with their RAG, and keep the forward plan.

Each write is a function with keyword arguments, in one transaction, that records its own
audit event; views, the demo loader and tests call the same functions. Changes to a saved
record are compare-and-swaps on its version, so a form loaded before someone else's save
is refused instead of overwriting it. Reads hand back the plain `rules.board_plan` lines
that the overview and the board pack both count with `count_plan`.
"""

from __future__ import annotations

from datetime import date

from django.db import models, transaction

from saferhub.rules.board_plan import (
    ForwardLine,
    PlanLine,
    RagChange,
    due_date_problem,
)
from saferhub.web.accounts.models import Agency
from saferhub.web.audit.log import record_create
from saferhub.web.boardplan.models import (
    ActionStatus,
    ForwardPlanItem,
    ItemKind,
    ItemStatus,
    PlanAction,
    PlanActionUpdate,
    Rag,
)
from saferhub.web.versioning import compare_and_swap

FIRST_UPDATE = "Added to the action plan."
# Red first: the board reads the actions that need its help first.
RAG_RANK = models.Case(
    models.When(rag=Rag.RED, then=0),
    models.When(rag=Rag.AMBER, then=1),
    models.When(rag=Rag.GREEN, then=2),
    output_field=models.IntegerField(),
)


class BoardPlanError(Exception):
    """A write the user may not make; `field` names where the form shows it."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _check_choice(value: str, choices: type[models.TextChoices], field: str, what: str) -> None:
    if value not in choices.values:
        labels = ", ".join(str(label) for label in choices.labels)
        raise BoardPlanError(field, f"Choose the {what}: {labels}.")


def _check_due(due: date, today: date) -> None:
    problem = due_date_problem(due, today)
    if problem:
        raise BoardPlanError("due_date", problem)


def _name_of(user) -> str:
    if user is None:
        return ""
    return (user.get_full_name() or user.username)[:150]


# --- Actions ----------------------------------------------------------------------------


@transaction.atomic
def create_action(
    *,
    title: str,
    owner: str,
    agency: Agency,
    due_date: date,
    rag: str,
    today: date,
    description: str = "",
    priority: str = "",
    created_by=None,
    note: str = FIRST_UPDATE,
) -> PlanAction:
    """A new open action, with its first update carrying its first RAG (so the history
    starts the day it was agreed)."""
    _check_choice(rag, Rag, "rag", "RAG status")
    _check_due(due_date, today)
    action = PlanAction.objects.create(
        title=title,
        description=description,
        priority=priority,
        owner=owner,
        agency=agency,
        due_date=due_date,
        rag=rag,
        created_by=created_by,
    )
    record_create(None, action, summary=f"Added board action: {title}"[:300])
    update = PlanActionUpdate.objects.create(
        action=action,
        on=today,
        text=note,
        rag=rag,
        author=created_by,
        author_name=_name_of(created_by),
    )
    record_create(None, update)
    return action


def edit_action(
    *,
    action: PlanAction,
    version: int,
    title: str,
    owner: str,
    agency: Agency,
    due_date: date,
    status: str,
    today: date,
    description: str = "",
    priority: str = "",
) -> PlanAction:
    """Change what the action is, who owns it, when it is due and whether it is open.

    The RAG is not here: it changes only with a dated update (`add_update`)."""
    _check_choice(status, ActionStatus, "status", "status")
    if due_date != action.due_date:
        _check_due(due_date, today)
    compare_and_swap(
        action,
        version=version,
        title=title,
        description=description,
        priority=priority,
        owner=owner,
        agency=agency,
        due_date=due_date,
        status=status,
    )
    return action


def add_update(
    *, action: PlanAction, version: int, on: date, text: str, rag: str, today: date, author=None
) -> PlanActionUpdate:
    """A dated progress note with the RAG now; the action takes that RAG.

    The action's version is checked, so an update written against a stale page (someone
    else has updated since) is refused rather than silently reordering the RAG history.
    """
    _check_choice(rag, Rag, "rag", "RAG status")
    if on > today:
        raise BoardPlanError("on", "The date of the update must be today or in the past.")
    latest = action.updates.order_by("-on", "-id").first()
    if latest is not None and on < latest.on:
        raise BoardPlanError(
            "on",
            f"The date of the update must be on or after the last update, {latest.on:%d %B %Y}.",
        )
    if not text.strip():
        raise BoardPlanError("text", "Enter the update.")
    with transaction.atomic():
        compare_and_swap(action, version=version, rag=rag, audit={"update_on": on.isoformat()})
        update = PlanActionUpdate.objects.create(
            action=action, on=on, text=text, rag=rag, author=author, author_name=_name_of(author)
        )
        record_create(None, update)
    return update


def actions(*, rag: str = "", agency_id: int | None = None, status: str = "open"):
    """The actions shown on the overview, filtered by whitelisted values only."""
    found = PlanAction.objects.select_related("agency").annotate(rag_rank=RAG_RANK)
    if status in ActionStatus.values:
        found = found.filter(status=status)
    if rag in Rag.values:
        found = found.filter(rag=rag)
    if agency_id is not None:
        found = found.filter(agency_id=agency_id)
    return found


def agencies_with_actions():
    return Agency.objects.filter(pk__in=PlanAction.objects.values("agency_id").distinct()).order_by(
        "name"
    )


def history(action: PlanAction) -> list[PlanActionUpdate]:
    return list(action.updates.select_related("author").order_by("on", "id"))


def plan_lines() -> list[PlanLine]:
    """Every action with its updates, oldest first, as the board pack and counts read them."""
    found = PlanAction.objects.select_related("agency").prefetch_related("updates")
    return [
        PlanLine(
            title=a.title,
            owner=a.owner,
            agency=a.agency.name,
            due=a.due_date,
            rag=a.get_rag_display(),
            status=a.status,
            priority=a.priority,
            updates=tuple(
                RagChange(u.on, u.get_rag_display(), u.text, u.author_name)
                for u in sorted(a.updates.all(), key=lambda u: (u.on, u.id))
            ),
        )
        for a in found.order_by("due_date", "id")
    ]


# --- Forward plan -----------------------------------------------------------------------


def _check_item(kind: str, status: str) -> None:
    _check_choice(kind, ItemKind, "kind", "kind of item")
    _check_choice(status, ItemStatus, "status", "status")


@transaction.atomic
def create_item(
    *,
    meeting_date: date,
    title: str,
    kind: str,
    lead: str = "",
    agency: Agency | None = None,
    notes: str = "",
    status: str = ItemStatus.PLANNED,
    created_by=None,
) -> ForwardPlanItem:
    _check_item(kind, status)
    item = ForwardPlanItem.objects.create(
        meeting_date=meeting_date,
        title=title,
        kind=kind,
        lead=lead,
        agency=agency,
        notes=notes,
        status=status,
        created_by=created_by,
    )
    record_create(None, item, summary=f"Added to the forward plan: {title}"[:300])
    return item


def edit_item(
    *,
    item: ForwardPlanItem,
    version: int,
    meeting_date: date,
    title: str,
    kind: str,
    status: str,
    lead: str = "",
    agency: Agency | None = None,
    notes: str = "",
) -> ForwardPlanItem:
    _check_item(kind, status)
    compare_and_swap(
        item,
        version=version,
        meeting_date=meeting_date,
        title=title,
        kind=kind,
        status=status,
        lead=lead,
        agency=agency,
        notes=notes,
    )
    return item


def forward_items(since: date | None = None):
    found = ForwardPlanItem.objects.select_related("agency").order_by("meeting_date", "title")
    return found.filter(meeting_date__gte=since) if since else found


def forward_lines() -> list[ForwardLine]:
    return [
        ForwardLine(
            meeting=i.meeting_date,
            title=i.title,
            kind=i.get_kind_display(),
            lead=i.lead,
            agency=i.agency.name if i.agency else "",
            status=i.get_status_display(),
            notes=i.notes,
        )
        for i in forward_items()
    ]

"""The board pack's "Action plan" and "Forward plan" sections.

Built from the plan's lines and counts already made by the application layer
(`saferhub.app.board_plan`), so nothing here counts or decides what an audience may see
beyond the one choice this module owns: a public pack names agencies, never officers, and
leaves out the free text of updates and notes, which may name people.
"""

from __future__ import annotations

from datetime import date

from saferhub.reports.document import Section, Table
from saferhub.rules.board_plan import ForwardLine, PlanCounts, PlanLine, rag_history

ACTION_PLAN = "Action plan"
FORWARD_PLAN = "Forward plan"
PUBLIC_NOTE = (
    "This version is for the public: it names the agency responsible for each action and "
    "item, not the officer, and leaves out the text of updates and notes."
)


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def action_plan_section(
    lines: list[PlanLine], counts: PlanCounts, *, on: date, public: bool
) -> Section:
    """The open actions with owner, due date, RAG and latest update, then the RAG history."""
    open_lines = [line for line in lines if line.status == "open"]
    if public:
        columns = ["Action", "Agency", "Due", "RAG", "Last updated"]
    else:
        columns = ["Action", "Owner", "Agency", "Due", "RAG", "Latest update"]
    rows = []
    for line in open_lines:
        latest = line.latest
        due = _day(line.due) + (" (overdue)" if line.is_overdue(on) else "")
        if public:
            rows.append(
                [line.title, line.agency, due, line.rag, _day(latest.on) if latest else None]
            )
        else:
            update = f"{_day(latest.on)}: {latest.text}" if latest else None
            rows.append([line.title, line.owner, line.agency, due, line.rag, update])
    plan = Table(
        title="Open actions",
        columns=columns,
        rows=rows,
        rag_column="RAG",
        notes=(
            "RAG: Red, off track and needs the board's help; Amber, at risk; Green, on track.",
            f"Overdue: still open after the due date, on {_day(on)}.",
        ),
    )
    history_rows = [
        [line.title, _day(change.on), change.rag]
        for line in open_lines
        for change in rag_history(line.updates)
    ]
    history = Table(
        title="RAG history",
        columns=["Action", "Date", "RAG"],
        rows=history_rows,
        rag_column="RAG",
        notes=("Each date on which an action's RAG status was set or changed, oldest first.",),
    )
    paragraphs = [counts.sentence()]
    if public:
        paragraphs.append(PUBLIC_NOTE)
    return Section(title=ACTION_PLAN, paragraphs=tuple(paragraphs), blocks=(plan, history))


def forward_plan_section(
    groups: list[tuple[date, list[ForwardLine]]], *, meeting: date, public: bool
) -> Section:
    """The items for this meeting and later ones, one table per meeting."""
    blocks = []
    for day, items in groups:
        if public:
            columns = ["Item", "Kind", "Agency", "Status"]
            rows = [[i.title, i.kind, i.agency or None, i.status] for i in items]
        else:
            columns = ["Item", "Kind", "Lead", "Agency", "Status", "Notes"]
            rows = [
                [i.title, i.kind, i.lead or None, i.agency or None, i.status, i.notes or None]
                for i in items
            ]
        blocks.append(Table(title=f"Meeting of {_day(day)}", columns=columns, rows=rows))
    count = sum(len(items) for _, items in groups)
    paragraphs = [
        f"{count} item{'s' if count != 1 else ''} planned for {len(groups)} "
        f"meeting{'s' if len(groups) != 1 else ''} from {_day(meeting)}."
        if groups
        else f"No items are planned for meetings from {_day(meeting)}."
    ]
    if public:
        paragraphs.append(PUBLIC_NOTE)
    return Section(title=FORWARD_PLAN, paragraphs=tuple(paragraphs), blocks=tuple(blocks))

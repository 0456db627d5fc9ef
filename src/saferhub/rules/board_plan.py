"""The board's action plan and forward plan: what counts as overdue, how RAG is counted,
which RAG changes make the history, and how forward-plan items group by meeting.

The Safer Communities Partnership Board keeps an action plan under the five priorities of
its Community Safety Strategy and a forward plan of the items coming to each quarterly
meeting. A RAG status here is set by the action's owner with each update (it is a
judgement, not computed from indicators as `rules.rag` does for the dashboard):

- Red: off track, needs the board's help;
- Amber: at risk, but the owner has a plan to recover;
- Green: on track.

Our rules, made exact:

- an action is overdue on a day when it is still open and its due date is before that day;
- the plan's counts are of open actions only (done and dropped actions are history);
- the RAG history is the action's updates in date order, keeping the first and every one
  whose RAG differs from the one before it;
- a due date must fall within `DUE_DATE_YEARS` years either side of today, which catches a
  mistyped year (2062 for 2026) without refusing a long-running action.

Pure: no Django, no I/O and no clock reads; callers pass the day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

RAG_ORDER = ("Red", "Amber", "Green")
OPEN = "open"
DUE_DATE_YEARS = 5


@dataclass(frozen=True)
class RagChange:
    """One dated update of an action, with the RAG its owner gave it then."""

    on: date
    rag: str
    text: str = ""
    author: str = ""


@dataclass(frozen=True)
class PlanLine:
    """One action of the plan, as the board pack and the overview read it."""

    title: str
    owner: str
    agency: str
    due: date
    rag: str
    status: str = OPEN
    priority: str = ""
    updates: tuple[RagChange, ...] = field(default=())  # oldest first

    @property
    def latest(self) -> RagChange | None:
        return self.updates[-1] if self.updates else None

    def is_overdue(self, on: date) -> bool:
        return is_overdue(self.due, self.status, on)


def is_overdue(due: date, status: str, on: date) -> bool:
    """Still open after its due date."""
    return status == OPEN and due < on


@dataclass(frozen=True)
class PlanCounts:
    """How many open actions there are, by RAG, and how many are overdue."""

    total: int
    red: int
    amber: int
    green: int
    overdue: int

    def by_rag(self) -> dict[str, int]:
        return {"Red": self.red, "Amber": self.amber, "Green": self.green}

    def sentence(self) -> str:
        noun = "action" if self.total == 1 else "actions"
        return (
            f"{self.total} open {noun}: {self.red} Red, {self.amber} Amber, "
            f"{self.green} Green; {self.overdue} overdue."
        )


def count_plan(lines: Iterable[PlanLine], on: date) -> PlanCounts:
    """The open actions on `on` by RAG, and those overdue then: the one count of the plan."""
    open_lines = [line for line in lines if line.status == OPEN]
    rags = [line.rag for line in open_lines]
    return PlanCounts(
        total=len(open_lines),
        red=rags.count("Red"),
        amber=rags.count("Amber"),
        green=rags.count("Green"),
        overdue=sum(line.is_overdue(on) for line in open_lines),
    )


def rag_history(updates: Sequence[RagChange]) -> list[RagChange]:
    """The updates where the RAG changed (the first always counts), oldest first."""
    ordered = sorted(enumerate(updates), key=lambda pair: (pair[1].on, pair[0]))
    changes: list[RagChange] = []
    for _, update in ordered:
        if not changes or changes[-1].rag != update.rag:
            changes.append(update)
    return changes


def due_date_problem(due: date, today: date, what: str = "due date") -> str | None:
    """Why a due date (or another planned date, named by `what`) cannot be right, or None
    when it is plausible."""
    earliest = _years_from(today, -DUE_DATE_YEARS)
    latest = _years_from(today, DUE_DATE_YEARS)
    if due < earliest or due > latest:
        return (
            f"The {what} must be between {earliest:%d %B %Y} and {latest:%d %B %Y}; check the year."
        )
    return None


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class ForwardLine:
    """One item on the forward plan: what comes to which meeting, led by whom."""

    meeting: date
    title: str
    kind: str
    lead: str = ""
    agency: str = ""
    status: str = "Planned"
    notes: str = ""


def forward_from(lines: Iterable[ForwardLine], meeting: date) -> list[tuple[date, list]]:
    """Items for `meeting` and later, grouped by meeting date, the soonest first."""
    groups: dict[date, list[ForwardLine]] = {}
    for line in sorted(lines, key=lambda item: (item.meeting, item.title.casefold())):
        if line.meeting >= meeting:
            groups.setdefault(line.meeting, []).append(line)
    return list(groups.items())

"""Where a serious violence incident goes: a SIRM within 24 hours, the Adults at Risk Panel, or
neither.

The rule, in the partnership's words (BRIEF, "Adults at Risk Panel and SIRM"):

- A Serious Incident Response Meeting (SIRM) is held within 24 hours of serious violence
  when the victim or the suspect is under 25 and any of these applies: a borough resident;
  served an Osman warning; linked to gang activity; known to children's services.
- A SIRM is always held when children live in the household.
- Cases aged 19 or over that don't qualify go to the Adults at Risk Panel.

"Aged 19 or over" is read as: the victim or the suspect is 19 or over. A case where both are
under 19 and no SIRM criterion applies goes to neither (children's services and youth justice
lead). Every decision lists its reasons, met or not, so the coordinator can check it; a
coordinator may override it, and the override must give a reason. This module reads no clock:
the caller passes the incident's time and `now`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from saferhub.rules.panels import FieldProblem, RecordError

UNDER_AGE = 25  # "under 25": the victim or suspect is 24 or younger
ADULT_PANEL_AGE = 19  # "aged 19 or over" goes to the Adults at Risk Panel
MAX_AGE = 120
SIRM_WITHIN = timedelta(hours=24)


class Route(StrEnum):
    SIRM = "sirm"
    ADULTS_AT_RISK = "adults_at_risk"
    NEITHER = "neither"

    @property
    def label(self) -> str:
        return _ROUTE_LABELS[self]


_ROUTE_LABELS = {
    Route.SIRM: "A SIRM within 24 hours",
    Route.ADULTS_AT_RISK: "The Adults at Risk Panel",
    Route.NEITHER: "Neither panel",
}

# The four facts that, with someone under 25, call a SIRM; each with its plain label.
CRITERIA: dict[str, str] = {
    "borough_resident": "A borough resident",
    "osman_warning": "Served an Osman warning",
    "gang_link": "Linked to gang activity",
    "known_to_childrens_services": "Known to children's services",
}


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """What the rule needs: ages (None when not known) and the criteria facts."""

    victim_age: int | None
    suspect_age: int | None
    borough_resident: bool = False
    osman_warning: bool = False
    gang_link: bool = False
    known_to_childrens_services: bool = False
    children_in_household: bool = False

    def __post_init__(self) -> None:
        problems = [
            FieldProblem(name, f"Enter an age from 0 to {MAX_AGE}, or leave it blank.")
            for name in ("victim_age", "suspect_age")
            if (age := getattr(self, name)) is not None
            and (not isinstance(age, int) or isinstance(age, bool) or not 0 <= age <= MAX_AGE)
        ]
        if self.victim_age is None and self.suspect_age is None:
            problems.append(
                FieldProblem("victim_age", "Enter the victim's or the suspect's age, or both.")
            )
        if problems:
            raise RecordError(problems)

    @property
    def ages(self) -> list[int]:
        return [a for a in (self.victim_age, self.suspect_age) if a is not None]

    def met(self) -> list[str]:
        return [code for code in CRITERIA if getattr(self, code)]


@dataclass(frozen=True, slots=True)
class Reason:
    met: bool
    text: str


@dataclass(frozen=True, slots=True)
class Decision:
    route: Route
    reasons: tuple[Reason, ...]
    overridden: bool = False
    override_reason: str = ""
    suggested: Route | None = None  # the rule's own route, when overridden

    @property
    def holds_sirm(self) -> bool:
        return self.route is Route.SIRM


def decide(facts: IncidentFacts) -> Decision:
    """Apply the SIRM rule to an incident; every step of the reasoning is returned."""
    under = [a for a in facts.ages if a < UNDER_AGE]
    young = bool(under)
    met = facts.met()
    reasons = [
        Reason(
            young,
            f"The victim or suspect is under {UNDER_AGE}"
            + (f" (aged {', '.join(str(a) for a in under)})." if young else "."),
        ),
        *(
            Reason(code in met, CRITERIA[code] + (": yes." if code in met else ": no."))
            for code in CRITERIA
        ),
        Reason(
            facts.children_in_household,
            "Children live in the household: "
            + ("yes, so a SIRM is always held." if facts.children_in_household else "no."),
        ),
    ]
    if facts.children_in_household:
        return Decision(Route.SIRM, tuple(reasons))
    if young and met:
        return Decision(Route.SIRM, tuple(reasons))
    adult = any(a >= ADULT_PANEL_AGE for a in facts.ages)
    reasons.append(
        Reason(
            adult,
            f"The victim or suspect is aged {ADULT_PANEL_AGE} or over"
            + (
                ", so the case goes to the Adults at Risk Panel."
                if adult
                else f"; both are under {ADULT_PANEL_AGE}, so neither panel takes the case."
            ),
        )
    )
    return Decision(Route.ADULTS_AT_RISK if adult else Route.NEITHER, tuple(reasons))


def override(decision: Decision, route: Route | str, reason: str) -> Decision:
    """A coordinator's decision in place of the rule's; the reason is required and kept."""
    try:
        chosen = Route(route)
    except ValueError:
        raise RecordError(FieldProblem("route", "Choose where the case goes.")) from None
    if not reason or not reason.strip():
        raise RecordError(
            FieldProblem("override_reason", "Give the reason for changing the decision.")
        )
    if chosen is decision.route and not decision.overridden:
        raise RecordError(
            FieldProblem("route", f"The rule already decided: {chosen.label.lower()}.")
        )
    return Decision(
        chosen,
        decision.reasons,
        overridden=True,
        override_reason=reason.strip(),
        suggested=decision.suggested or decision.route,
    )


# --- the 24-hour clock --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Clock:
    """Where a SIRM stands against its 24 hours from the incident."""

    due: datetime
    remaining: timedelta  # negative once overdue
    held: bool
    met: bool | None  # None while the clock is still running

    @property
    def breached(self) -> bool:
        return self.met is False

    @property
    def label(self) -> str:
        if self.held:
            return "Held within 24 hours" if self.met else "Held after 24 hours"
        if self.met is False:
            return f"Overdue by {_hours_minutes(-self.remaining)}"
        return f"{_hours_minutes(self.remaining)} left"


def _hours_minutes(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"


def sirm_clock(occurred_at: datetime, now: datetime, held_at: datetime | None = None) -> Clock:
    """The clock for an incident at `occurred_at`: met when held at most 24 hours later.

    The clock starts at the incident, as the rule says "within 24 hours of serious violence".
    """
    if occurred_at.tzinfo is None or now.tzinfo is None:
        raise ValueError("sirm_clock needs timezone-aware times.")
    due = occurred_at + SIRM_WITHIN
    if held_at is not None:
        return Clock(due, due - held_at, True, held_at <= due)
    remaining = due - now
    return Clock(due, remaining, False, None if remaining >= timedelta(0) else False)

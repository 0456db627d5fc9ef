"""The multi-agency panel engine's rules: case lifecycle, panel configuration, listing checks.

One engine runs every panel that works the same way: the Domestic Abuse MARAC, the
Community Safety (ASB) MARAC and the Adults at Risk Panel. A case is referred, screened
by the coordinator, listed for a meeting, heard, given actions, reviewed and closed.
What differs between panels is configuration: referral criteria, how often the panel
meets, how many cases a meeting should take, its member agencies and the fields a
referral must have. The defaults below are documented in docs/panels.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from saferhub.errors import ConfigurationError, SaferHubError

# ---------------------------------------------------------------------------------------------
# Errors a user can cause on a referral or a case


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One thing wrong with one field of a form or record, worded for the person filling it in."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class RecordError(SaferHubError):
    """A referral, listing or case change is not allowed. Nothing was saved.

    Carries every problem found, each naming its field, so a form can show them beside
    the fields and the user can fix everything in one pass.
    """

    exit_code = 3

    def __init__(self, problems: FieldProblem | Iterable[FieldProblem], hint: str | None = None):
        self.problems = [problems] if isinstance(problems, FieldProblem) else list(problems)
        if not self.problems:
            raise ValueError("A RecordError needs at least one problem.")
        super().__init__("\n".join(str(p) for p in self.problems), hint)

    def for_field(self, name: str) -> list[str]:
        return [p.message for p in self.problems if p.field == name]


def raise_if_problems(problems: Iterable[FieldProblem]) -> None:
    found = list(problems)
    if found:
        raise RecordError(found)


# ---------------------------------------------------------------------------------------------
# Case lifecycle


class CaseState(StrEnum):
    REFERRED = "referred"
    SCREENED = "screened"
    LISTED = "listed"
    HEARD = "heard"
    ACTIONS = "actions"
    REVIEW = "review"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    CaseState.REFERRED: "Referred",
    CaseState.SCREENED: "Screened",
    CaseState.LISTED: "Listed for a meeting",
    CaseState.HEARD: "Heard",
    CaseState.ACTIONS: "Actions in progress",
    CaseState.REVIEW: "Under review",
    CaseState.CLOSED: "Closed",
}

# The moves a case may make. Besides the main line referred → … → closed:
# - a referral can be closed before it is heard (withdrawn, a duplicate, or screened out);
# - a listed case can go back to screened when it is taken off an agenda (deferred);
# - a case under review can be listed again when the risk has not come down.
TRANSITIONS: Mapping[CaseState, tuple[CaseState, ...]] = {
    CaseState.REFERRED: (CaseState.SCREENED, CaseState.CLOSED),
    CaseState.SCREENED: (CaseState.LISTED, CaseState.CLOSED),
    CaseState.LISTED: (CaseState.HEARD, CaseState.SCREENED),
    CaseState.HEARD: (CaseState.ACTIONS,),
    CaseState.ACTIONS: (CaseState.REVIEW,),
    CaseState.REVIEW: (CaseState.CLOSED, CaseState.LISTED),
    CaseState.CLOSED: (),
}


class TransitionError(RecordError):
    """A case was asked to move to a state it cannot reach from where it is."""


def _state(value: CaseState | str, what: str) -> CaseState:
    try:
        return CaseState(value)
    except ValueError:
        known = ", ".join(s.value for s in CaseState)
        raise ConfigurationError(
            f"'{value}' is not a case state ({what}); use one of: {known}."
        ) from None


def allowed_next(state: CaseState | str) -> tuple[CaseState, ...]:
    """The states a case in `state` may move to, main line first."""
    return TRANSITIONS[_state(state, "current state")]


def transition(current: CaseState | str, target: CaseState | str) -> CaseState:
    """Return the new state, or raise TransitionError saying which moves are allowed."""
    source, goal = _state(current, "current state"), _state(target, "new state")
    allowed = TRANSITIONS[source]
    if goal not in allowed:
        if allowed:
            options = ", ".join(f"'{s.label.lower()}'" for s in allowed)
            message = (
                f"A case that is '{source.label.lower()}' cannot become "
                f"'{goal.label.lower()}'; it can become: {options}."
            )
        else:
            message = "A closed case cannot change; refer the victim again to open a new case."
        raise TransitionError(FieldProblem("status", message))
    return goal


# ---------------------------------------------------------------------------------------------
# Meeting cadence

_CADENCE_RE = re.compile(
    r"^\s*(?:(weekly)|(monthly)|every\s+(\d+)\s+(week|month)s?)\s*$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Cadence:
    """How often a panel meets: every `every` weeks or months from its first meeting."""

    every: int
    unit: str  # "week" | "month"

    def __post_init__(self) -> None:
        if self.unit not in {"week", "month"}:
            raise ConfigurationError(f"Cadence unit '{self.unit}' must be 'week' or 'month'.")
        if not isinstance(self.every, int) or not 1 <= self.every <= 52:
            raise ConfigurationError(
                f"Cadence 'every {self.every} {self.unit}s' must be a whole number from 1 to 52."
            )

    @classmethod
    def parse(cls, text: str) -> Cadence:
        """Read "weekly", "monthly", "every 6 weeks" or "every 2 months"."""
        match = _CADENCE_RE.match(str(text))
        if not match:
            raise ConfigurationError(
                f"'{text}' is not a meeting cadence.",
                "Write weekly, monthly, 'every 6 weeks' or 'every 2 months'.",
            )
        weekly, monthly, count, unit = match.groups()
        if weekly:
            return cls(1, "week")
        if monthly:
            return cls(1, "month")
        return cls(int(count), unit.lower())

    @property
    def label(self) -> str:
        if self.every == 1:
            return "weekly" if self.unit == "week" else "monthly"
        return f"every {self.every} {self.unit}s"

    def _nth(self, first: date, n: int) -> date:
        if self.unit == "week":
            return first + timedelta(weeks=self.every * n)
        # relativedelta from the first meeting (not step by step) so the 31st stays the 31st
        # where a month has one, and falls on the month's last day where it has not.
        return first + relativedelta(months=self.every * n)

    def meetings(self, first: date, start: date, end: date) -> list[date]:
        """The meeting dates from `start` to `end` inclusive, counting from the first meeting."""
        dates: list[date] = []
        n = 0
        if self.unit == "week" and start > first:
            n = (start - first).days // (7 * self.every)
        while (day := self._nth(first, n)) <= end:
            if day >= start:
                dates.append(day)
            n += 1
        return dates

    def next_meeting(self, first: date, on_or_after: date) -> date:
        """The first scheduled meeting on or after the given day."""
        n = 0
        if self.unit == "week" and on_or_after > first:
            n = (on_or_after - first).days // (7 * self.every)
        while (day := self._nth(first, n)) < on_or_after:
            n += 1
        return day


# ---------------------------------------------------------------------------------------------
# Panel configuration


@dataclass(frozen=True, slots=True)
class ReferralCriterion:
    """A referral criterion a panel accepts, e.g. the DA MARAC's 'visible high risk'."""

    code: str
    label: str


# The referral fields a panel may make mandatory. "victim" is always required.
REFERRAL_FIELDS: Mapping[str, str] = {
    "victim": "the person the referral is about",
    "perpetrators": "who is causing the harm, at least one",
    "relationship_to_victim": "each perpetrator's relationship to the victim",
    "children_in_household": "the children in the household and their ages, or 'none'",
    "safe_contact": "whether it is safe to contact the person, and how",
    "referring_agency": "the agency making the referral",
    "risk_checklist": "the risk checklist answers",
    "referral_criteria": "which referral criteria are met",
}
# Fields where an empty list does not answer the question; for children an empty list
# means the referrer said "none".
_NEEDS_AT_LEAST_ONE = frozenset({"perpetrators", "referral_criteria"})

_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class PanelConfig:
    """One panel's settings, checked when built so a bad setting never reaches a meeting."""

    code: str
    name: str
    cadence: Cadence
    case_cap: int
    referral_criteria: tuple[ReferralCriterion, ...]
    member_agencies: tuple[str, ...]
    mandatory_fields: tuple[str, ...] = ("victim",)
    # How long after the hearing a case's actions are reviewed; SafeLives suggests 6-8 weeks.
    review_after_days: int = 42

    def __post_init__(self) -> None:
        where = f"Panel '{self.code}'"
        if not isinstance(self.code, str) or not _CODE_RE.match(self.code):
            raise ConfigurationError(
                f"Panel code '{self.code}' must be lower-case letters, digits and underscores."
            )
        if not str(self.name).strip():
            raise ConfigurationError(f"{where}: name must not be empty.")
        if not isinstance(self.cadence, Cadence):
            raise ConfigurationError(
                f"{where}: cadence must be a Cadence, e.g. Cadence.parse('weekly')."
            )
        if not isinstance(self.case_cap, int) or self.case_cap < 1:
            raise ConfigurationError(
                f"{where}: case_cap must be a whole number of at least 1, not {self.case_cap!r}."
            )
        criteria = tuple(self.referral_criteria)
        if not criteria:
            raise ConfigurationError(
                f"{where}: referral_criteria must list at least one criterion."
            )
        codes = [c.code for c in criteria]
        for index, criterion in enumerate(criteria, start=1):
            if not _CODE_RE.match(criterion.code) or not criterion.label.strip():
                raise ConfigurationError(
                    f"{where}: referral_criteria item {index} needs a lower-case code and a label."
                )
        if len(set(codes)) != len(codes):
            raise ConfigurationError(f"{where}: referral_criteria has a repeated code.")
        agencies = tuple(a.strip() for a in self.member_agencies)
        if not agencies or any(not a for a in agencies):
            raise ConfigurationError(
                f"{where}: member_agencies must list at least one agency, none blank."
            )
        if len({a.casefold() for a in agencies}) != len(agencies):
            raise ConfigurationError(f"{where}: member_agencies lists an agency twice.")
        fields = tuple(self.mandatory_fields)
        for name in fields:
            if name not in REFERRAL_FIELDS:
                raise ConfigurationError(
                    f"{where}: mandatory_fields has '{name}', which is not a referral field.",
                    f"Use any of: {', '.join(REFERRAL_FIELDS)}.",
                )
        if "victim" not in fields:
            fields = ("victim", *fields)
        if not isinstance(self.review_after_days, int) or self.review_after_days < 1:
            raise ConfigurationError(f"{where}: review_after_days must be at least 1.")
        object.__setattr__(self, "referral_criteria", criteria)
        object.__setattr__(self, "member_agencies", agencies)
        object.__setattr__(self, "mandatory_fields", fields)

    def criterion(self, code: str) -> ReferralCriterion:
        for criterion in self.referral_criteria:
            if criterion.code == code:
                return criterion
        known = ", ".join(c.code for c in self.referral_criteria)
        raise ConfigurationError(
            f"'{code}' is not a referral criterion of {self.name}; use one of: {known}."
        )


# The four SafeLives criteria (BRIEF: Domestic Abuse MARAC; seed 004 §4.1.11 Principle 1).
DA_CRITERIA = (
    ReferralCriterion(
        "visible_high_risk", "Visible high risk (risk checklist score at or above the threshold)"
    ),
    ReferralCriterion("professional_judgement", "Professional judgement, with the reasons stated"),
    ReferralCriterion(
        "potential_escalation", "Potential escalation (repeated incidents in recent months)"
    ),
    ReferralCriterion(
        "repeat", "Repeat: a new incident within 12 months of the last MARAC referral"
    ),
)

DA_MARAC = PanelConfig(
    code="da_marac",
    name="Domestic Abuse MARAC",
    cadence=Cadence(1, "week"),
    # SafeLives recommends no more than 15-20 cases a meeting (seed 004 §4.1.7). We warn
    # from the 16th case: the lower end of that range, so a coordinator hears of it as soon
    # as a meeting is over the recommended load, while Barnet's busiest weeks (15) pass.
    case_cap=15,
    referral_criteria=DA_CRITERIA,
    # The core MARAC agencies named in seed 004 §4.1.5.
    member_agencies=(
        "Police",
        "IDVA service",
        "Housing",
        "Children's services",
        "Probation",
        "Primary health",
        "Mental health",
        "Substance misuse",
        "Adult social care",
    ),
    # The details seed 004 (Principle 2) says referrals too often leave out.
    mandatory_fields=(
        "victim",
        "perpetrators",
        "relationship_to_victim",
        "children_in_household",
        "safe_contact",
        "referring_agency",
        "referral_criteria",
    ),
)

ASB_MARAC = PanelConfig(
    code="asb_marac",
    name="Community Safety MARAC",
    cadence=Cadence(6, "week"),
    # About 4 new cases a meeting and about 19 open cases (BRIEF); a meeting that hears
    # every open case plus its new ones passes 20 only when the caseload has grown.
    case_cap=24,
    referral_criteria=(
        ReferralCriterion(
            "persistent_asb", "Persistent anti-social behaviour not resolved by one agency"
        ),
        ReferralCriterion(
            "vulnerable_victim", "A victim whose vulnerability puts them at high risk of harm"
        ),
        ReferralCriterion(
            "case_review", "Recommended by an ASB case review (the Community Trigger)"
        ),
        ReferralCriterion(
            "professional_judgement", "Professional judgement, with the reasons stated"
        ),
    ),
    member_agencies=(
        "Police",
        "Council community safety",
        "Housing",
        "Adult social care",
        "Mental health",
        "Children's services",
    ),
    mandatory_fields=("victim", "referring_agency", "referral_criteria", "safe_contact"),
)

ADULTS_AT_RISK = PanelConfig(
    code="adults_at_risk",
    name="Adults at Risk Panel",
    cadence=Cadence(1, "month"),
    case_cap=12,
    referral_criteria=(
        ReferralCriterion(
            "serious_violence", "Victim or suspect of serious violence, aged 19 or over"
        ),
        ReferralCriterion("exploitation", "At risk of criminal or sexual exploitation"),
        ReferralCriterion(
            "professional_judgement", "Professional judgement, with the reasons stated"
        ),
    ),
    member_agencies=(
        "Police",
        "Council community safety",
        "Probation",
        "Housing",
        "Mental health",
        "Substance misuse",
        "Youth justice",
    ),
    mandatory_fields=("victim", "referring_agency", "referral_criteria"),
)

# A SIRM is called for one incident within 24 hours (saferhub.rules.sirm decides when); its
# cases then run on the engine like any panel's: actions, a review, closure. The cadence is
# that of the weekly check on open SIRM cases; the meeting itself is arranged per incident.
SIRM = PanelConfig(
    code="sirm",
    name="Serious Incident Response Meeting",
    cadence=Cadence(1, "week"),
    case_cap=10,
    referral_criteria=(
        ReferralCriterion("children_in_household", "Children live in the household"),
        ReferralCriterion(
            "under_25_with_criterion",
            "Victim or suspect under 25, and a borough resident, served an Osman warning, "
            "linked to gang activity or known to children's services",
        ),
        ReferralCriterion("coordinator_decision", "The coordinator's decision, with the reason"),
    ),
    member_agencies=(
        "Police",
        "Council community safety",
        "Children's services",
        "Youth justice",
        "Housing",
        "Education",
    ),
    mandatory_fields=("victim", "referring_agency", "referral_criteria"),
    # Actions agreed at a SIRM are urgent: review them after four weeks, not six.
    review_after_days=28,
)

DEFAULT_PANELS: Mapping[str, PanelConfig] = {
    panel.code: panel for panel in (DA_MARAC, ASB_MARAC, ADULTS_AT_RISK, SIRM)
}


def panel_config(code: str) -> PanelConfig:
    try:
        return DEFAULT_PANELS[code]
    except KeyError:
        raise ConfigurationError(
            f"'{code}' is not a panel; use one of: {', '.join(DEFAULT_PANELS)}."
        ) from None


# ---------------------------------------------------------------------------------------------
# Referral and listing checks


def _is_missing(name: str, value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | frozenset | dict):
        return name in _NEEDS_AT_LEAST_ONE and not value
    return False


def missing_fields(config: PanelConfig, values: Mapping[str, object]) -> list[FieldProblem]:
    """A problem for each mandatory field that is absent or blank in `values`."""
    return [
        FieldProblem(name, f"Enter {REFERRAL_FIELDS[name]}.")
        for name in config.mandatory_fields
        if _is_missing(name, values.get(name))
    ]


@dataclass(frozen=True, slots=True)
class CapWarning:
    """Listing would take a meeting past the panel's recommended number of cases."""

    meeting_date: date
    listed: int
    cap: int
    message: str = field(default="")


def cap_warning(
    config: PanelConfig, meeting_date: date, already_listed: int, adding: int = 1
) -> CapWarning | None:
    """A warning when `already_listed + adding` cases exceed the panel's cap; None otherwise.

    The cap warns, it never refuses: the coordinator decides whether to hold a case over.
    """
    if already_listed < 0 or adding < 1:
        raise ConfigurationError("Listing counts must be: already listed ≥ 0 and adding ≥ 1.")
    total = already_listed + adding
    if total <= config.case_cap:
        return None
    return CapWarning(
        meeting_date,
        total,
        config.case_cap,
        f"The meeting on {meeting_date:%d %B %Y} would have {total} cases; "
        f"{config.name} aims for no more than {config.case_cap}. "
        "Consider listing some cases for the next meeting.",
    )


def listing_date_problem(meeting_date: date, today: date) -> FieldProblem | None:
    """A new listing must be for a meeting today or later; `today` is passed in, never read."""
    if meeting_date < today:
        return FieldProblem(
            "meeting_date",
            f"The meeting on {meeting_date:%d %B %Y} has already taken place; "
            f"choose a meeting on or after {today:%d %B %Y}.",
        )
    return None


def check_new_listing(meeting_date: date, today: date) -> None:
    """Raise RecordError when a new listing is for a meeting in the past."""
    problem = listing_date_problem(meeting_date, today)
    if problem:
        raise RecordError(problem)


# ---------------------------------------------------------------------------------------------
# Who sees a victim's address and safe contact details


def may_see_contact_details(
    *,
    role: str,
    is_referring_agency: bool,
    is_idva_agency: bool,
) -> bool:
    """Contact details go only to those who must reach the victim safely.

    The coordinator (who arranges contact), an administrator (subject access), and
    practitioners of the referring agency or the allocated IDVA service. Everyone else at
    the meeting (viewers, analysts, other agencies) sees that details exist, not what they are.
    """
    if role in {"coordinator", "administrator"}:
        return True
    return role == "practitioner" and (is_referring_agency or is_idva_agency)

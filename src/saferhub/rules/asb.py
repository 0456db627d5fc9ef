"""The ASB case review ("Community Trigger") threshold, and working-day deadlines.

Source: Anti-social Behaviour, Crime and Policing Act 2014, section 104, and the Home Office
statutory guidance for frontline professionals: a review must be held when the threshold is
met. Section 104(4) sets it at three qualifying complaints, or a different number the
review procedures specify; section 104(11) makes a complaint qualifying when it is made
within one month of the behaviour and the application within six months of the complaint.
Many partnerships add a "community limb": a number of individuals (Barnet says five)
complaining about the same issue within six months. Both numbers and both windows are
configurable here.

The guidance asks that reviews be completed promptly; partnerships commonly commit to about
20 working days. Working days skip weekends and the bank holidays of England and Wales; the
holiday calendar is passed in, so this module reads no clock and no file.

Pure: no Django, no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from saferhub.errors import ConfigurationError
from saferhub.rules.need_to_know import add_months

INDIVIDUAL = "individual"
COMMUNITY = "community"

# Why a complaint is not counted, in words the page shows beside it.
MADE_BEFORE_INCIDENT = "it is dated before the incident it is about"
MADE_AFTER_REQUEST = "it was made after the review was asked for"
OUTSIDE_WINDOW = "it was made more than {months} months before the review was asked for"
LATE_REPORT = "it was made more than {months} month{s} after the incident"
NOT_APPLICANT = "it was made by someone other than the person asking for the review"


@dataclass(frozen=True)
class ThresholdConfig:
    """A partnership's threshold. The defaults are the statutory ones, with Barnet's
    community limb of five individuals."""

    complaints: int = 3
    window_months: int = 6
    report_within_months: int = 1
    community_individuals: int = 5
    community_window_months: int = 6
    review_working_days: int = 20

    def __post_init__(self) -> None:
        for name, low, high in (
            ("complaints", 1, 50),
            ("window_months", 1, 36),
            ("report_within_months", 1, 12),
            ("community_individuals", 1, 500),
            ("community_window_months", 1, 36),
            ("review_working_days", 1, 250),
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ConfigurationError(
                    f"The case review setting '{name}' is {value!r}.",
                    f"Use a whole number from {low} to {high}.",
                )


DEFAULT_THRESHOLD = ThresholdConfig()


@dataclass(frozen=True)
class Complaint:
    """One complaint about anti-social behaviour, as the review request cites it.

    `complainant` identifies who made it (a person or a household); `issue` what it is about,
    so the community limb can count individuals reporting the same issue.
    """

    id: str
    complainant: str
    incident_date: date
    made_on: date
    issue: str = ""


@dataclass(frozen=True)
class Exclusion:
    complaint: Complaint
    reason: str


@dataclass(frozen=True)
class ThresholdResult:
    met: bool
    limb: str | None  # INDIVIDUAL, COMMUNITY or None
    counted: tuple[Complaint, ...]  # the applicant's qualifying complaints
    excluded: tuple[Exclusion, ...]
    individuals: tuple[str, ...]  # complainants counted for the community limb
    window_start: date
    config: ThresholdConfig
    explanation: str


def _exclusion(
    complaint: Complaint, applied_on: date, window_start: date, config: ThresholdConfig
) -> str | None:
    if complaint.made_on < complaint.incident_date:
        return MADE_BEFORE_INCIDENT
    if complaint.made_on > applied_on:
        return MADE_AFTER_REQUEST
    if complaint.made_on < window_start:
        return OUTSIDE_WINDOW.format(months=config.window_months)
    if complaint.made_on > add_months(complaint.incident_date, config.report_within_months):
        months = config.report_within_months
        return LATE_REPORT.format(months=months, s="" if months == 1 else "s")
    return None


def community_individuals(
    complaints: Iterable[Complaint], *, issue: str, applied_on: date, config: ThresholdConfig
) -> tuple[str, ...]:
    """Distinct complainants who reported `issue` in the community window before `applied_on`,
    each with at least one complaint made within the reporting time of its incident."""
    start = add_months(applied_on, -config.community_window_months)
    found = set()
    for c in complaints:
        if c.issue != issue or not start <= c.made_on <= applied_on:
            continue
        if c.incident_date <= c.made_on <= add_months(c.incident_date, config.report_within_months):
            found.add(c.complainant)
    return tuple(sorted(found))


def check_threshold(
    *,
    applicant: str,
    complaints: Iterable[Complaint],
    applied_on: date,
    issue: str = "",
    config: ThresholdConfig = DEFAULT_THRESHOLD,
) -> ThresholdResult:
    """Whether a review request meets the threshold, and why: the applicant's complaints that
    count, those that do not with the reason, and the community limb's individuals."""
    complaints = sorted(complaints, key=lambda c: (c.made_on, c.incident_date, c.id))
    window_start = add_months(applied_on, -config.window_months)
    counted: list[Complaint] = []
    excluded: list[Exclusion] = []
    for complaint in complaints:
        if complaint.complainant != applicant:
            continue
        reason = _exclusion(complaint, applied_on, window_start, config)
        if reason is None:
            counted.append(complaint)
        else:
            excluded.append(Exclusion(complaint, reason))
    individuals = community_individuals(
        complaints, issue=issue, applied_on=applied_on, config=config
    )
    if len(counted) >= config.complaints:
        limb = INDIVIDUAL
    elif len(individuals) >= config.community_individuals:
        limb = COMMUNITY
    else:
        limb = None
    return ThresholdResult(
        met=limb is not None,
        limb=limb,
        counted=tuple(counted),
        excluded=tuple(excluded),
        individuals=individuals,
        window_start=window_start,
        config=config,
        explanation=_explain(limb, len(counted), len(individuals), config),
    )


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _explain(limb: str | None, counted: int, individuals: int, config: ThresholdConfig) -> str:
    prompt = _plural(config.report_within_months, "month", "months")
    own = (
        f"{_plural(counted, 'qualifying complaint', 'qualifying complaints')} in the "
        f"{config.window_months} months before the request, each made within {prompt} of "
        f"its incident (the threshold is {config.complaints})"
    )
    community = (
        f"{_plural(individuals, 'individual', 'individuals')} reported the same issue in "
        f"{config.community_window_months} months (the community threshold is "
        f"{config.community_individuals})"
    )
    if limb == INDIVIDUAL:
        return f"The threshold is met: {own}."
    if limb == COMMUNITY:
        return f"The threshold is met by the community limb: {community}."
    return f"The threshold is not met: {own}, and {community}."


# --- working days ----------------------------------------------------------------------------


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: Collection[date]) -> date:
    """The working day that is `days` working days after `start` (start itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    left = days
    while left:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def working_days_between(start: date, end: date, holidays: Collection[date]) -> int:
    """Working days after `start` up to and including `end` (0 when end is not after start)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count

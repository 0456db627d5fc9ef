"""Quarterly statistics for the Community Safety MARAC, the Adults at Risk Panel and SIRMs.

Plain Python over two canonical tables (no Django), so the web page, a report and the tests
call the same functions:

- a case row: `reference, panel, person_id, referral_date, heard_date, is_repeat,
  reviewed_on, closed_on` (dates or None);
- an incident row (SIRMs): `reference, route, occurred_at, sirm_held_at` (aware datetimes).

Each measure's definition is its docstring, repeated in docs/measures/panels.md. A quarter is
a financial quarter (Q1 is April–June). `as_of` is the day the figures are run: a review due
after it is not yet "not met", and a SIRM whose 24 hours have not run out is not yet a breach.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any

from saferhub.errors import ConfigurationError
from saferhub.rules.periods import FinancialQuarter
from saferhub.rules.sirm import sirm_clock

CASE_COLUMNS = (
    "reference",
    "panel",
    "person_id",
    "referral_date",
    "heard_date",
    "is_repeat",
    "reviewed_on",
    "closed_on",
)
INCIDENT_COLUMNS = ("reference", "route", "occurred_at", "sirm_held_at")


@dataclass(frozen=True, slots=True)
class CaseRow:
    reference: str
    panel: str
    person_id: int
    referral_date: date
    heard_date: date | None = None
    is_repeat: bool = False
    reviewed_on: date | None = None
    closed_on: date | None = None


@dataclass(frozen=True, slots=True)
class IncidentRow:
    reference: str
    route: str
    occurred_at: datetime
    sirm_held_at: datetime | None = None


def case_rows(rows: Iterable[Mapping[str, Any]]) -> list[CaseRow]:
    """Check and type the canonical case table; a missing column is named."""
    out = []
    for index, row in enumerate(rows, start=1):
        missing = [c for c in CASE_COLUMNS if c not in row]
        if missing:
            raise ConfigurationError(f"Case row {index} has no column {missing[0]!r}.")
        out.append(CaseRow(**{c: row[c] for c in CASE_COLUMNS}))
    return out


def incident_rows(rows: Iterable[Mapping[str, Any]]) -> list[IncidentRow]:
    out = []
    for index, row in enumerate(rows, start=1):
        missing = [c for c in INCIDENT_COLUMNS if c not in row]
        if missing:
            raise ConfigurationError(f"Incident row {index} has no column {missing[0]!r}.")
        out.append(IncidentRow(**{c: row[c] for c in INCIDENT_COLUMNS}))
    return out


def _in(day: date | None, quarter: FinancialQuarter) -> bool:
    return day is not None and quarter.start <= day <= quarter.end


# --- one measure per figure ---------------------------------------------------------------------


def referrals(cases: Sequence[CaseRow], quarter: FinancialQuarter) -> int:
    """Referrals: cases whose referral date falls in the quarter."""
    return sum(_in(c.referral_date, quarter) for c in cases)


def cases_heard(cases: Sequence[CaseRow], quarter: FinancialQuarter) -> int:
    """Cases heard: cases first heard at a meeting in the quarter (each case counted once)."""
    return sum(_in(c.heard_date, quarter) for c in cases)


def repeats(cases: Sequence[CaseRow], quarter: FinancialQuarter) -> int:
    """Repeats: referrals in the quarter of someone the same panel had a referral for in the
    365 days before."""
    return sum(_in(c.referral_date, quarter) and c.is_repeat for c in cases)


def open_cases(cases: Sequence[CaseRow], quarter: FinancialQuarter) -> int:
    """Open cases: cases referred by the quarter's last day and not closed by then."""
    end = quarter.end
    return sum(c.referral_date <= end and (c.closed_on is None or c.closed_on > end) for c in cases)


def _review_due(case: CaseRow, review_after_days: int) -> date | None:
    return None if case.heard_date is None else case.heard_date + timedelta(days=review_after_days)


def reviews_met(cases: Sequence[CaseRow], quarter: FinancialQuarter, review_after_days: int) -> int:
    """Reviews met: cases whose review fell due in the quarter (the hearing plus the panel's
    review period) and were reviewed on or before that day."""
    return sum(
        _in(due := _review_due(c, review_after_days), quarter)
        and c.reviewed_on is not None
        and c.reviewed_on <= due
        for c in cases
    )


def reviews_not_met(
    cases: Sequence[CaseRow], quarter: FinancialQuarter, review_after_days: int, as_of: date
) -> int:
    """Reviews not met: cases whose review fell due in the quarter and were reviewed after that
    day, or not reviewed at all by the day the figures are run (a review not yet due is not
    counted). A case closed before its review counts as reviewed on its closing day."""
    count = 0
    for c in cases:
        due = _review_due(c, review_after_days)
        if not _in(due, quarter):
            continue
        done = c.reviewed_on or c.closed_on
        if (done is not None and done > due) or (done is None and due < as_of):
            count += 1
    return count


def median_days_to_review(cases: Sequence[CaseRow], quarter: FinancialQuarter) -> float | None:
    """Time to review: the median number of days from the hearing to the review, over the
    cases reviewed in the quarter; none when no case was reviewed."""
    days = [
        (c.reviewed_on - c.heard_date).days
        for c in cases
        if _in(c.reviewed_on, quarter) and c.heard_date is not None
    ]
    return float(median(days)) if days else None


def sirms_called(incidents: Sequence[IncidentRow], quarter: FinancialQuarter) -> int:
    """SIRMs called: incidents in the quarter that were sent to a SIRM."""
    return sum(i.route == "sirm" and _in(i.occurred_at.date(), quarter) for i in incidents)


def sirms_within_24_hours(incidents: Sequence[IncidentRow], quarter: FinancialQuarter) -> int:
    """SIRMs within 24 hours: SIRMs called in the quarter that met no later than 24 hours
    after the incident."""
    return sum(
        i.route == "sirm"
        and _in(i.occurred_at.date(), quarter)
        and sirm_clock(i.occurred_at, i.occurred_at, i.sirm_held_at).met is True
        for i in incidents
    )


def sirm_breaches(
    incidents: Sequence[IncidentRow], quarter: FinancialQuarter, now: datetime
) -> int:
    """SIRM breaches: SIRMs called in the quarter that met more than 24 hours after the
    incident, or had not met when their 24 hours ran out (as of `now`)."""
    return sum(
        i.route == "sirm"
        and _in(i.occurred_at.date(), quarter)
        and sirm_clock(i.occurred_at, now, i.sirm_held_at).breached
        for i in incidents
    )


# --- the table a page, a report and the public version share -----------------------------------

COUNT_MEASURES = (
    ("referrals", "Referrals"),
    ("cases_heard", "Cases heard"),
    ("repeats", "Repeat referrals"),
    ("open_cases", "Open cases at the quarter's end"),
    ("reviews_met", "Reviews on time"),
    ("reviews_not_met", "Reviews late or missed"),
)
SIRM_MEASURES = (
    ("sirms_called", "SIRMs called"),
    ("sirms_within_24_hours", "SIRMs held within 24 hours"),
    ("sirm_breaches", "SIRMs not held within 24 hours"),
)


@dataclass(frozen=True)
class PanelStatistics:
    """One panel's figures for a run of quarters; `rows` are (label, value per quarter)."""

    panel: str
    quarters: tuple[FinancialQuarter, ...]
    counts: dict[str, list[int]]
    median_days_to_review: list[float | None]
    labels: dict[str, str] = field(default_factory=dict)
    reviews_done: list[int] = field(default_factory=list)  # how many reviews each median is of
    audience: str = "partnership"  # who the figures are published for (app.publish.panel)

    def rows(self) -> list[tuple[str, list[object]]]:
        rows: list[tuple[str, list[object]]] = [
            (self.labels[key], list(values)) for key, values in self.counts.items()
        ]
        rows.append(
            (
                "Median days from hearing to review",
                ["–" if v is None else v for v in self.median_days_to_review],
            )
        )
        return rows


def panel_statistics(
    cases: Sequence[CaseRow],
    *,
    panel: str,
    last: FinancialQuarter,
    quarters: int,
    review_after_days: int,
    as_of: datetime,
    incidents: Sequence[IncidentRow] = (),
) -> PanelStatistics:
    """Every figure for `quarters` quarters ending with `last`, for one panel's cases."""
    if not 1 <= quarters <= 12:
        raise ConfigurationError("Show from 1 to 12 quarters.")
    own = [c for c in cases if c.panel == panel]
    span = tuple(last + (i - quarters + 1) for i in range(quarters))
    today = as_of.date()
    counts = {
        "referrals": [referrals(own, q) for q in span],
        "cases_heard": [cases_heard(own, q) for q in span],
        "repeats": [repeats(own, q) for q in span],
        "open_cases": [open_cases(own, q) for q in span],
        "reviews_met": [reviews_met(own, q, review_after_days) for q in span],
        "reviews_not_met": [reviews_not_met(own, q, review_after_days, today) for q in span],
    }
    labels = dict(COUNT_MEASURES)
    if panel == "sirm":
        counts["sirms_called"] = [sirms_called(incidents, q) for q in span]
        counts["sirms_within_24_hours"] = [sirms_within_24_hours(incidents, q) for q in span]
        counts["sirm_breaches"] = [sirm_breaches(incidents, q, as_of) for q in span]
        labels.update(SIRM_MEASURES)
    done = [sum(_in(c.reviewed_on, q) and c.heard_date is not None for c in own) for q in span]
    return PanelStatistics(
        panel, span, counts, [median_days_to_review(own, q) for q in span], labels, done
    )

"""Domestic Abuse MARAC quarterly statistics, as returned to SafeLives.

Every figure is counted over the canonical table of MARAC cases heard: one row per case
heard at a meeting (columns in `CASE_COLUMNS`, documented in docs/measures/marac.md).
The web app builds that table from its database; tests and the synthetic demo build it
from `synth/marac.py`'s extract. Each count below is an Ibis expression over the table,
so the same definition runs on DuckDB, PostgreSQL or Spark.

The figures are read beside SafeLives' expected ranges (`SAFELIVES_RANGES`), which are
shipped as data with their source.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends import BaseBackend

from saferhub.errors import ConfigurationError
from saferhub.rules.demographics import ETHNICITIES, ethnicity_grouped
from saferhub.rules.marac import PreviousReferral, RepeatRule
from saferhub.rules.periods import FinancialQuarter

# column -> (what it holds, Ibis type check)
CASE_COLUMNS: dict[str, tuple[str, str]] = {
    "case_id": ("the case's identifier", "string"),
    "date_heard": ("the date of the meeting that heard the case", "date"),
    "victim_gender": ("M, F, X (other) or U (not stated)", "string"),
    "victim_lgbt": ("the victim identifies as LGBT+ (empty: not known)", "boolean"),
    "victim_disabled": ("the victim has a disability (empty: not known)", "boolean"),
    "victim_ethnicity": ("ONS 2021 ethnicity code, e.g. B1, or NS", "string"),
    "victim_age": ("the victim's age in whole years on the referral date", "integer"),
    "youngest_perpetrator_age": ("age of the youngest perpetrator on the referral date", "integer"),
    "children_in_household": ("number of children in the victim's household", "integer"),
    "referring_agency_type": ("'police' or 'partner'", "string"),
    "is_repeat": ("the referral is a repeat under rules.marac.RepeatRule", "boolean"),
}

_ARROW_TYPES = {
    "string": pa.string(),
    "date": pa.date32(),
    "boolean": pa.bool_(),
    "integer": pa.int64(),
}
CASE_SCHEMA = pa.schema(
    [(column, _ARROW_TYPES[kind]) for column, (_, kind) in CASE_COLUMNS.items()]
)

MINORITISED_CODES: tuple[str, ...] = tuple(
    code
    for code, _, _ in ETHNICITIES
    if ethnicity_grouped(code) == "Black, Asian & minority ethnic"
)


def case_table(rows: Iterable[Mapping[str, Any]]) -> ir.Table:
    """An in-memory canonical table from Python rows (dicts keyed by `CASE_COLUMNS`).

    The web app and the synthetic data feed the measures through this; None is "not known".
    """
    return ibis.memtable(pa.Table.from_pylist(list(rows), schema=CASE_SCHEMA))


def check_case_table(cases: ir.Table) -> None:
    """Refuse a table that lacks a canonical column or holds the wrong type in one."""
    schema = cases.schema()
    problems = []
    for column, (meaning, kind) in CASE_COLUMNS.items():
        if column not in schema:
            problems.append(f"missing column '{column}' ({meaning})")
            continue
        dtype = schema[column]
        ok = {
            "string": dtype.is_string(),
            "date": dtype.is_date() or dtype.is_timestamp(),
            "boolean": dtype.is_boolean(),
            # Whole numbers arrive as floats from pandas when a value is missing.
            "integer": dtype.is_integer() or dtype.is_floating(),
        }[kind]
        if not ok:
            problems.append(f"column '{column}' is {dtype}; it must be {kind} ({meaning})")
    if problems:
        raise ConfigurationError(
            "The MARAC case table is not in the canonical shape: " + "; ".join(problems) + "."
        )


def _count(condition: ir.BooleanValue) -> ir.IntegerScalar:
    # Unknown (null) answers are not counted as "yes", and an empty quarter counts 0, not null.
    return condition.fill_null(False).cast("int64").sum().fill_null(0)


# --- the measures: one function per published figure --------------------------------------


def cases_heard(cases: ir.Table) -> ir.IntegerScalar:
    """The number of cases heard at MARAC meetings in the period
    (SafeLives quarterly return; BRIEF)."""
    return cases.count()


def repeat_cases(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard that were repeats: a referral within 365 days of the victim's last MARAC
    referral with the same perpetrator (SafeLives repeat definition, seed 004 Principle 2)."""
    return _count(cases.is_repeat)


def children_in_households(cases: ir.Table) -> ir.IntegerScalar:
    """The total number of children living in the households of victims whose cases were heard
    (seed 004 §4.1.2, "Number of children in the household")."""
    return cases.children_in_household.sum().fill_null(0)


def families_with_children(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard where at least one child lives in the victim's household
    (seed 004 §4.1.2, "Number of families with children")."""
    return _count(cases.children_in_household > 0)


def male_victims(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard where the victim is male (SafeLives expects 5-10%; BRIEF)."""
    return _count(cases.victim_gender == "M")


def lgbt_victims(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard where the victim identifies as lesbian, gay, bisexual or trans
    (SafeLives expects 2.5-5.8%; BRIEF). Not known counts as not LGBT+."""
    return _count(cases.victim_lgbt)


def disabled_victims(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard where the victim has a disability (SafeLives expects 19% or more; BRIEF).
    Not known counts as not disabled."""
    return _count(cases.victim_disabled)


def minoritised_victims(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard where the victim is Black, Asian or from another racially minoritised group:
    every ONS 2021 group except White and Not stated (BRIEF; grouping as rules.demographics)."""
    return _count(cases.victim_ethnicity.isin(MINORITISED_CODES))


def victims_aged_16_17(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard where the victim was aged 16 or 17 on the referral date (BRIEF)."""
    return _count(cases.victim_age.between(16, 17))


def cases_with_perpetrator_under_18(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard where at least one perpetrator was under 18 on the referral date (BRIEF)."""
    return _count(cases.youngest_perpetrator_age < 18)


def police_referrals(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard that were referred by the police (BRIEF: police vs partner referrals)."""
    return _count(cases.referring_agency_type == "police")


def partner_referrals(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard that were referred by any agency other than the police (BRIEF)."""
    return _count(cases.referring_agency_type == "partner")


MEASURES = {
    "cases_heard": cases_heard,
    "repeat_cases": repeat_cases,
    "children": children_in_households,
    "families_with_children": families_with_children,
    "male": male_victims,
    "lgbt": lgbt_victims,
    "disabled": disabled_victims,
    "minoritised": minoritised_victims,
    "aged_16_17": victims_aged_16_17,
    "perpetrator_under_18": cases_with_perpetrator_under_18,
    "police_referrals": police_referrals,
    "partner_referrals": partner_referrals,
}


def quarterly_counts(cases: ir.Table, first: FinancialQuarter, last: FinancialQuarter) -> ir.Table:
    """One row per financial quarter from `first` to `last` that heard a case, with every count.

    A case belongs to the quarter of its `date_heard`. Quarters with no cases have no row;
    `quarterly_statistics` fills them with zeros.
    """
    check_case_table(cases)
    heard = (
        cases.date_heard.cast("date")
        if cases.schema()["date_heard"].is_timestamp()
        else cases.date_heard
    )
    month, year = heard.month(), heard.year()
    in_range = cases.filter(heard.between(first.start, last.end)).mutate(
        fy_start=ibis.ifelse(month >= 4, year, year - 1),
        fq=((month + 8) % 12) // 3 + 1,
    )
    return in_range.group_by(["fy_start", "fq"]).aggregate(
        **{name: measure(in_range) for name, measure in MEASURES.items()}
    )


# --- the stored repeat flags against the repeat rule ------------------------------------------


@dataclass(frozen=True, slots=True)
class Referral:
    """One MARAC referral with the repeat flag stored for it: what the repeat check reads.

    The check needs every referral of each victim, including those before the quarters
    reported, because a repeat looks back 365 days.
    """

    case_id: str
    victim_id: str
    referral_date: date
    is_repeat: bool
    perpetrator_ids: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class RepeatDisagreement:
    """A case whose stored repeat flag is not what the repeat rule says."""

    case_id: str
    stored: bool
    by_rule: bool
    reason: str  # the rule's own explanation

    @property
    def text(self) -> str:
        stored = "a repeat" if self.stored else "not a repeat"
        by_rule = "is" if self.by_rule else "is not"
        return f"Case {self.case_id} is recorded as {stored}, but it {by_rule} one: {self.reason}"


@dataclass(frozen=True, slots=True)
class RepeatFlagCheck:
    """The stored repeat flags of the cases counted, checked against the repeat rule."""

    checked: int
    disagreements: tuple[RepeatDisagreement, ...]
    rule: RepeatRule = field(default_factory=RepeatRule)

    @property
    def agrees(self) -> bool:
        return not self.disagreements

    def to_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "rule_days": self.rule.days,
            "same_perpetrator": self.rule.same_perpetrator,
            "disagreements": [
                {
                    "case_id": d.case_id,
                    "stored_is_repeat": d.stored,
                    "rule_is_repeat": d.by_rule,
                    "reason": d.reason,
                }
                for d in self.disagreements
            ],
        }


def check_repeat_flags(
    referrals: Iterable[Referral],
    case_ids: Iterable[str] | None = None,
    rule: RepeatRule | None = None,
) -> RepeatFlagCheck:
    """Check each stored repeat flag against the repeat rule (rules.marac.RepeatRule: the same
    victim referred within 365 days, 366 is a new case; SafeLives' definition).

    `referrals` is every referral of the victims concerned; only the cases in `case_ids`
    (by default all of them) are checked. The repeat figure counts stored flags, so a flag
    the rule disagrees with would change a published figure: the report names each one.
    """
    rule = rule or RepeatRule()
    every = list(referrals)
    wanted = None if case_ids is None else set(case_ids)
    by_victim: dict[str, list[Referral]] = {}
    for referral in every:
        by_victim.setdefault(referral.victim_id, []).append(referral)
    checked = 0
    disagreements = []
    for referral in sorted(every, key=lambda r: (r.referral_date, r.case_id)):
        if wanted is not None and referral.case_id not in wanted:
            continue
        checked += 1
        previous = [
            PreviousReferral(other.case_id, other.referral_date, other.perpetrator_ids)
            for other in by_victim[referral.victim_id]
            if other.case_id != referral.case_id
        ]
        result = rule.check(referral.referral_date, previous, referral.perpetrator_ids)
        if result.is_repeat != referral.is_repeat:
            disagreements.append(
                RepeatDisagreement(
                    referral.case_id, referral.is_repeat, result.is_repeat, result.reason
                )
            )
    return RepeatFlagCheck(checked, tuple(disagreements), rule)


# --- results ----------------------------------------------------------------------------------


def cases_per_10000_adult_women(cases: int, adult_women: int) -> float:
    """Cases heard per 10,000 women aged 16 and over in the area (SafeLives volume measure;
    expected about 40 a year, so about 10 a quarter; BRIEF)."""
    if adult_women <= 0:
        raise ConfigurationError(
            f"The adult female population is {adult_women}; give the number of women aged 16+."
        )
    return cases * 10_000 / adult_women


def percent(count: int, base: int) -> float | None:
    """count as a percentage of base; None (shown as a dash) when the base is 0."""
    return None if base == 0 else 100 * count / base


@dataclass(frozen=True, slots=True)
class QuarterFigures:
    """Every count for one quarter. Percentages are of cases heard."""

    quarter: FinancialQuarter
    cases_heard: int = 0
    repeat_cases: int = 0
    children: int = 0
    families_with_children: int = 0
    male: int = 0
    lgbt: int = 0
    disabled: int = 0
    minoritised: int = 0
    aged_16_17: int = 0
    perpetrator_under_18: int = 0
    police_referrals: int = 0
    partner_referrals: int = 0

    def pct(self, name: str) -> float | None:
        return percent(getattr(self, name), self.cases_heard)

    def to_dict(self) -> dict[str, Any]:
        counts = {name: getattr(self, name) for name in MEASURES}
        return {
            "quarter": self.quarter.key,
            "label": self.quarter.label,
            "counts": counts,
            "percentages": {
                name: self.pct(name) for name in MEASURES if name not in {"cases_heard", "children"}
            },
        }


@dataclass(frozen=True, slots=True)
class ExpectedRange:
    """A published benchmark a figure is read against, with where it comes from."""

    measure: str  # a key of MEASURES, or "per_10000_adult_women"
    label: str
    low: float | None
    high: float | None
    unit: str  # "%" or "per 10,000 adult women a quarter"
    kind: str  # "range": we say below / within / above; "reference": shown, not judged
    source: str

    @property
    def text(self) -> str:
        if self.high is None:
            return f"{self.low:g}{self.unit if self.unit == '%' else ''} or more"
        if self.low == self.high:
            return f"about {self.low:g}"
        return f"{self.low:g}\u2013{self.high:g}{'%' if self.unit == '%' else ''}"

    def reading(self, value: float | None) -> str:
        if value is None:
            return "no cases"
        if self.kind == "reference":
            return "for reference"
        if self.low is not None and value < self.low:
            return "below expected range"
        if self.high is not None and value > self.high:
            return "above expected range"
        return "within expected range"


_SAFELIVES = (
    "SafeLives' expected rates for a MARAC, as a Safer Communities Partnership Board reports them"
)
SAFELIVES_RANGES: tuple[ExpectedRange, ...] = (
    ExpectedRange("male", "Male victims", 5.0, 10.0, "%", "range", _SAFELIVES),
    ExpectedRange("lgbt", "LGBT+ victims", 2.5, 5.8, "%", "range", _SAFELIVES),
    ExpectedRange("disabled", "Disabled victims", 19.0, None, "%", "range", _SAFELIVES),
    ExpectedRange(
        "per_10000_adult_women",
        "Cases per 10,000 adult women",
        10.0,
        10.0,
        "per 10,000 adult women a quarter",
        "reference",
        "SafeLives recommended volume of about 40 cases per 10,000 adult women a year, "
        "divided by 4 for a quarter",
    ),
    ExpectedRange(
        "repeat_cases",
        "Repeat cases",
        31.0,
        33.0,
        "%",
        "reference",
        "National repeat rate of 31-33% (33% in 2022/23). "
        "A national figure, not a SafeLives expected range",
    ),
)


@dataclass(frozen=True, slots=True)
class MaracStatistics:
    """Quarterly figures for a run of quarters, with the population and ranges they are read by."""

    quarters: tuple[QuarterFigures, ...]
    adult_women: int | None
    ranges: tuple[ExpectedRange, ...] = SAFELIVES_RANGES
    # None: the referral history was not given, so the stored flags were not checked.
    repeat_check: RepeatFlagCheck | None = None

    @property
    def latest(self) -> QuarterFigures:
        return self.quarters[-1]

    def rate(self, figures: QuarterFigures) -> float | None:
        if self.adult_women is None:
            return None
        return cases_per_10000_adult_women(figures.cases_heard, self.adult_women)

    def value_for(self, figures: QuarterFigures, expected: ExpectedRange) -> float | None:
        if expected.measure == "per_10000_adult_women":
            return self.rate(figures)
        return figures.pct(expected.measure)

    def to_dict(self) -> dict[str, Any]:
        return {
            "adult_women": self.adult_women,
            "quarters": [
                {**q.to_dict(), "per_10000_adult_women": self.rate(q)} for q in self.quarters
            ],
            "expected_ranges": [
                {
                    "measure": r.measure,
                    "label": r.label,
                    "low": r.low,
                    "high": r.high,
                    "unit": r.unit,
                    "kind": r.kind,
                    "source": r.source,
                    "latest_value": self.value_for(self.latest, r),
                    "latest_reading": r.reading(self.value_for(self.latest, r)),
                }
                for r in self.ranges
            ],
            "repeat_flag_check": self.repeat_check.to_dict() if self.repeat_check else None,
        }


_local = threading.local()


def embedded_engine() -> BaseBackend:
    """This thread's own in-memory DuckDB: a DuckDB connection must not be shared by threads."""
    engine = getattr(_local, "engine", None)
    if engine is None:
        engine = _local.engine = ibis.duckdb.connect()
    return engine


def quarterly_statistics(
    cases: ir.Table,
    quarters: Sequence[FinancialQuarter],
    adult_women: int | None = None,
    *,
    engine: BaseBackend | None = None,
    referrals: Iterable[Referral] | None = None,
    repeat_rule: RepeatRule | None = None,
) -> MaracStatistics:
    """Run `quarterly_counts` once and return the figures for each of `quarters`, in order.

    `adult_women` is the area's female population aged 16 and over, for the volume rate;
    without it the rate is left out. `engine` runs the expression: by default this thread's
    embedded DuckDB (right for `case_table`); pass the backend a table lives in otherwise.
    `referrals`, every referral of the victims heard (with earlier ones), checks each stored
    repeat flag of the cases counted against the repeat rule (`check_repeat_flags`).
    """
    if not quarters:
        raise ConfigurationError("Ask for at least one quarter of MARAC statistics.")
    ordered = sorted(set(quarters))
    if adult_women is not None:
        cases_per_10000_adult_women(0, adult_women)  # validates the population early
    expression = quarterly_counts(cases, ordered[0], ordered[-1])
    rows = (engine or embedded_engine()).to_pyarrow(expression).to_pylist()
    by_quarter = {(int(row["fy_start"]), int(row["fq"])): row for row in rows}
    figures = []
    for quarter in ordered:
        row = by_quarter.get((quarter.start_year, quarter.quarter))
        counts = {name: int(row[name]) for name in MEASURES} if row else {}
        figures.append(QuarterFigures(quarter, **counts))
    check = None
    if referrals is not None:
        heard = cases.filter(
            cases.date_heard.cast("date").between(ordered[0].start, ordered[-1].end)
        ).select("case_id")
        case_ids = (engine or embedded_engine()).to_pyarrow(heard)["case_id"].to_pylist()
        check = check_repeat_flags(referrals, case_ids, repeat_rule)
    return MaracStatistics(tuple(figures), adult_women, repeat_check=check)

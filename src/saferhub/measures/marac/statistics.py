"""MARAC quarterly statistics: every count for each quarter, the rates and percentages made
from them, and the check of the stored repeat flags."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import ibis.expr.types as ir
from ibis.backends import BaseBackend

from saferhub.errors import ConfigurationError
from saferhub.measures.engine import to_arrow
from saferhub.measures.marac.counts import MEASURES, quarterly_counts
from saferhub.measures.marac.ranges import SAFELIVES_RANGES, ExpectedRange
from saferhub.measures.marac.repeat_check import Referral, RepeatFlagCheck, check_repeat_flags
from saferhub.rules.marac import RepeatRule
from saferhub.rules.periods import FinancialQuarter


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
    without it the rate is left out. `engine` runs the expression: by default the embedded
    DuckDB (right for `case_table`); pass the backend a table lives in otherwise.
    `referrals`, every referral of the victims heard (with earlier ones), checks each stored
    repeat flag of the cases counted against the repeat rule (`check_repeat_flags`).
    """
    if not quarters:
        raise ConfigurationError("Ask for at least one quarter of MARAC statistics.")
    ordered = sorted(set(quarters))
    if adult_women is not None:
        cases_per_10000_adult_women(0, adult_women)  # validates the population early
    expression = quarterly_counts(cases, ordered[0], ordered[-1])
    rows = to_arrow(expression, engine).to_pylist()
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
        case_ids = to_arrow(heard, engine)["case_id"].to_pylist()
        check = check_repeat_flags(referrals, case_ids, repeat_rule)
    return MaracStatistics(tuple(figures), adult_women, repeat_check=check)

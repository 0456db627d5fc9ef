"""Monthly exceptions: is a month's count unusually high or low for the time of year?

The board's dashboard flags "unusually high or low volume" months (seed 003) without
saying how. Our method, explained for readers in docs/exceptions.md:

1. Expected count for month t. Take the same calendar month in each of the previous
   `years` years (t−12, t−24, …). Each such month is compared with the average month of
   the 12 months before it; the ratio of their sums is the seasonal factor of that
   calendar month (e.g. 1.10 for a month that is usually 10% busier than the year's
   average). The expected count is that factor times the average month of the 12 months
   before t, so it follows both the season and the current level of crime.
2. Usual variation. Counts of crime vary more than pure chance (a Poisson count) would
   allow. The dispersion factor is how much more: the mean squared Pearson residual of
   the same prediction made for each of the `dispersion_months` months before t (at
   least 1, i.e. never narrower than Poisson).
3. Expected range. On the square-root scale, where counts have a near-constant spread,
   the range is sqrt(E + 3/8) ± z·sqrt(dispersion)/2 (Anscombe's transform), turned back
   into counts; z is set by `probability` (0.99 → 2.58). A month above the range is
   flagged "high", below it "low".

A month is not assessed (no flag, with the reason) when there is too little history:
the 12 months before it and at least `min_years` same-month years (each with its own
previous 12 months) are needed, and `min_dispersion_months` months to measure the usual
variation. With the default settings that is 3½ to 4 years of monthly data.

Pure: no I/O, no clock. The measure hands over one area's monthly counts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from statistics import NormalDist

from saferhub.errors import ConfigurationError
from saferhub.rules.periods import Month

Number = int | float


class Flag(StrEnum):
    HIGH = "high"
    LOW = "low"


@dataclass(frozen=True)
class ExceptionSettings:
    years: int = 3  # same calendar month in up to this many previous years
    min_years: int = 2  # ... and at least this many of them
    probability: float = 0.99  # share of ordinary months that fall inside the expected range
    dispersion_months: int = 12  # months before t whose prediction errors give the spread
    min_dispersion_months: int = 6

    def __post_init__(self) -> None:
        if not 1 <= self.min_years <= self.years:
            raise ConfigurationError(
                f"Exceptions: min_years ({self.min_years}) must be between 1 and years "
                f"({self.years})."
            )
        if not 0.5 <= self.probability < 1:
            raise ConfigurationError(
                f"Exceptions: probability {self.probability} must be at least 0.5 and below 1 "
                "(e.g. 0.99 for a 99% expected range)."
            )
        if not 1 <= self.min_dispersion_months <= self.dispersion_months:
            raise ConfigurationError(
                "Exceptions: min_dispersion_months must be between 1 and dispersion_months."
            )

    @property
    def z(self) -> float:
        return NormalDist().inv_cdf(0.5 + self.probability / 2)


@dataclass(frozen=True)
class MonthCheck:
    """The verdict on one month: its count, the expected range, and a flag if outside it."""

    month: Month
    observed: float | None
    expected: float | None = None
    low: float | None = None
    high: float | None = None
    flag: Flag | None = None
    reason: str | None = None  # why the month was not assessed

    @property
    def assessed(self) -> bool:
        return self.low is not None and self.high is not None


class MonthlyHistory:
    """One area's monthly counts, with prefix sums so any 12-month mean costs O(1).

    Build it once per area and measure and check as many months as needed: expected
    counts are remembered between checks.
    """

    def __init__(self, counts: Mapping[Month, Number | None]) -> None:
        known = {m: float(v) for m, v in counts.items() if v is not None}
        self.first = min(known).index if known else 0
        last = max(known).index if known else -1
        self.values: list[float | None] = [None] * (last - self.first + 1)
        for month, value in known.items():
            self.values[month.index - self.first] = value
        self.sums = [0.0]
        self.present = [0]
        for value in self.values:
            self.sums.append(self.sums[-1] + (value or 0.0))
            self.present.append(self.present[-1] + (value is not None))
        self.expected_cache: dict[tuple[int, ExceptionSettings], float | None] = {}

    def value(self, index: int) -> float | None:
        position = index - self.first
        return self.values[position] if 0 <= position < len(self.values) else None

    def mean_of_year_before(self, index: int) -> float | None:
        """Mean monthly count of the 12 months before month `index`, if all are known."""
        start, end = index - 12 - self.first, index - self.first
        if start < 0 or end > len(self.values):
            return None
        if self.present[end] - self.present[start] != 12:
            return None
        return (self.sums[end] - self.sums[start]) / 12


def expected_count(
    counts: Mapping[Month, Number | None], month: Month, settings: ExceptionSettings
) -> float | None:
    """The count expected for `month` from its history (step 1 of the module doc), or None."""
    return _expected(MonthlyHistory(counts), month.index, settings)


def _expected(history: MonthlyHistory, index: int, settings: ExceptionSettings) -> float | None:
    if (index, settings) in history.expected_cache:
        return history.expected_cache[(index, settings)]
    result: float | None = None
    level = history.mean_of_year_before(index)
    if level is not None:
        same_month_total = 0.0
        level_total = 0.0
        used = 0
        for year in range(1, settings.years + 1):
            past = index - 12 * year
            observed = history.value(past)
            past_level = history.mean_of_year_before(past)
            if observed is None or past_level is None:
                continue
            same_month_total += observed
            level_total += past_level
            used += 1
        if used >= settings.min_years:
            if level_total > 0:
                result = level * same_month_total / level_total
            else:  # a history of zeros: expect the same-month average (zero)
                result = same_month_total / used
    history.expected_cache[(index, settings)] = result
    return result


def _dispersion(history: MonthlyHistory, index: int, settings: ExceptionSettings) -> float | None:
    squares: list[float] = []
    for back in range(1, settings.dispersion_months + 1):
        past = index - back
        observed = history.value(past)
        expected = _expected(history, past, settings)
        if observed is None or expected is None or expected <= 0:
            continue
        squares.append((observed - expected) ** 2 / expected)
    if len(squares) < settings.min_dispersion_months:
        return None
    return max(1.0, sum(squares) / len(squares))


def expected_range(expected: float, dispersion: float, z: float) -> tuple[float, float]:
    """The (low, high) counts that ordinary months fall within (step 3 of the module doc)."""
    root = math.sqrt(expected + 3 / 8)
    half_width = z * math.sqrt(dispersion) / 2
    low = 0.0 if root <= half_width else max(0.0, (root - half_width) ** 2 - 3 / 8)
    high = (root + half_width) ** 2 - 3 / 8
    return low, high


def check_months(
    counts: Mapping[Month, Number | None] | MonthlyHistory,
    months: Iterable[Month],
    settings: ExceptionSettings = ExceptionSettings(),
) -> list[MonthCheck]:
    """Check each of `months` against its expected range; see the module docstring."""
    history = counts if isinstance(counts, MonthlyHistory) else MonthlyHistory(counts)
    z = settings.z
    checks: list[MonthCheck] = []
    for month in months:
        observed = history.value(month.index)
        if observed is None:
            checks.append(MonthCheck(month, None, reason="there is no count for this month"))
            continue
        expected = _expected(history, month.index, settings)
        if expected is None:
            checks.append(
                MonthCheck(
                    month,
                    observed,
                    reason=f"needs the 12 months before it and the same month in at least "
                    f"{settings.min_years} earlier years",
                )
            )
            continue
        dispersion = _dispersion(history, month.index, settings)
        if dispersion is None:
            checks.append(
                MonthCheck(
                    month,
                    observed,
                    expected,
                    reason="not enough history to measure how much months usually vary",
                )
            )
            continue
        low, high = expected_range(expected, dispersion, z)
        flag = Flag.HIGH if observed > high else Flag.LOW if observed < low else None
        checks.append(MonthCheck(month, observed, expected, low, high, flag))
    return checks

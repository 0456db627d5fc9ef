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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from statistics import NormalDist

import numpy as np

from saferhub.errors import ConfigurationError
from saferhub.rules.periods import Month

Number = int | float


class Flag(StrEnum):
    HIGH = "high"
    LOW = "low"


_HIGH, _LOW = Flag.HIGH, Flag.LOW


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

    @cached_property
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


class MonthlyHistory(Mapping[Month, float]):
    """One area's monthly counts (a mapping of month to count), with prefix sums so any
    12-month mean costs O(1).

    Build it once per area and measure and check as many months as needed: expected
    counts and verdicts are remembered between checks (per settings).

    `expected` and `dispersion` with `reference=True` follow the module docstring month by
    month and are the definition. A whole-London dashboard checks tens of thousands of
    months, so by default the same arithmetic runs once over the whole series with numpy
    (`_series`); a property test keeps the two in agreement.
    """

    def __init__(self, counts: Mapping[Month, Number | None]) -> None:
        known = {m.index: float(v) for m, v in counts.items() if v is not None}
        first = min(known) if known else 0
        values: list[float | None] = [None] * ((max(known) - first + 1) if known else 0)
        for index, value in known.items():
            values[index - first] = value
        self._start(first, values)

    @classmethod
    def from_values(cls, first: int, values: Sequence[float | None]) -> MonthlyHistory:
        """Counts for consecutive months from the month with index `first` (None or NaN:
        no count)."""
        history = cls.__new__(cls)
        history._start(first, [None if v is None or v != v else float(v) for v in values])
        return history

    def _start(self, first: int, values: list[float | None]) -> None:
        self.first = first
        self.values = values
        self.sums = [0.0]
        self.present = [0]
        for value in self.values:
            self.sums.append(self.sums[-1] + (value or 0.0))
            self.present.append(self.present[-1] + (value is not None))
        self._expected: dict[ExceptionSettings, dict[int, float | None]] = {}
        self._checks: dict[ExceptionSettings, dict[int, MonthCheck]] = {}
        self._vectors: dict[ExceptionSettings, tuple[list[float], list[float]]] = {}
        # Checks almost always use one settings object: remember it, so the hot path
        # compares identity instead of hashing the settings for every month.
        self._last: tuple[ExceptionSettings | None, dict[int, MonthCheck]] = (None, {})
        self._last_vectors: tuple[ExceptionSettings | None, tuple[list[float], list[float]]] = (
            None,
            ([], []),
        )

    def __getitem__(self, month: Month) -> float:
        value = self.value(month.index)
        if value is None:
            raise KeyError(month)
        return value

    def __iter__(self) -> Iterator[Month]:
        for position, value in enumerate(self.values):
            if value is not None:
                yield Month.from_index(self.first + position)

    def __len__(self) -> int:
        return self.present[-1]

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

    def expected(
        self, index: int, settings: ExceptionSettings, *, reference: bool = False
    ) -> float | None:
        """Step 1 of the module doc for the month with this index."""
        position = index - self.first
        if not reference and 0 <= position < len(self.values):
            return _number(self._series(settings)[0][position])
        cache = self._expected.setdefault(settings, {})
        if index not in cache:
            cache[index] = self._compute_expected(index, settings)
        return cache[index]

    def _compute_expected(self, index: int, settings: ExceptionSettings) -> float | None:
        level = self.mean_of_year_before(index)
        if level is None:
            return None
        same_month_total = 0.0
        level_total = 0.0
        used = 0
        for year in range(1, settings.years + 1):
            past = index - 12 * year
            observed = self.value(past)
            past_level = self.mean_of_year_before(past)
            if observed is None or past_level is None:
                continue
            same_month_total += observed
            level_total += past_level
            used += 1
        if used < settings.min_years:
            return None
        if level_total > 0:
            return level * same_month_total / level_total
        return same_month_total / used  # a history of zeros: expect the same-month average

    def dispersion(
        self, index: int, settings: ExceptionSettings, *, reference: bool = False
    ) -> float | None:
        """Step 2 of the module doc: how much more than Poisson the months vary."""
        position = index - self.first
        if not reference and 0 <= position < len(self.values):
            return _number(self._series(settings)[1][position])
        squares: list[float] = []
        for past in range(index - settings.dispersion_months, index):
            observed = self.value(past)
            expected = self.expected(past, settings, reference=True)
            if observed is None or expected is None:
                continue
            if expected <= 0:
                if observed == 0:
                    squares.append(0.0)  # predicted exactly; a zero mean has no Pearson residual
                continue
            squares.append((observed - expected) ** 2 / expected)
        if len(squares) < settings.min_dispersion_months:
            return None
        return max(1.0, sum(squares) / len(squares))

    def _series(self, settings: ExceptionSettings) -> tuple[list[float], list[float]]:
        """Expected counts and dispersions for every month of the series (NaN: none)."""
        if self._last_vectors[0] is settings:
            return self._last_vectors[1]
        vectors = self._vectors.get(settings)
        if vectors is not None:
            self._last_vectors = (settings, vectors)
            return vectors
        n = len(self.values)
        values = np.array([np.nan if v is None else v for v in self.values], dtype=float)
        sums = np.asarray(self.sums)
        present = np.asarray(self.present)
        level = np.full(n, np.nan)
        if n > 12:
            complete = present[12:n] - present[: n - 12] == 12
            level[12:] = np.where(complete, (sums[12:n] - sums[: n - 12]) / 12, np.nan)
        same_month = np.zeros(n)
        level_sum = np.zeros(n)
        used = np.zeros(n)
        for year in range(1, settings.years + 1):
            shift = 12 * year
            if shift >= n:
                break
            observed = np.full(n, np.nan)
            observed[shift:] = values[: n - shift]
            past_level = np.full(n, np.nan)
            past_level[shift:] = level[: n - shift]
            valid = ~np.isnan(observed) & ~np.isnan(past_level)
            same_month += np.where(valid, observed, 0.0)
            level_sum += np.where(valid, past_level, 0.0)
            used += valid
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = np.where(
                level_sum > 0, level * same_month / level_sum, same_month / np.maximum(used, 1)
            )
        expected = np.where((used >= settings.min_years) & ~np.isnan(level), scaled, np.nan)

        known = ~np.isnan(values) & ~np.isnan(expected)
        with np.errstate(divide="ignore", invalid="ignore"):
            pearson = (values - expected) ** 2 / expected
        usable = known & ((expected > 0) | (values == 0))
        squares = np.where(usable & (expected > 0), pearson, 0.0)
        square_sums = np.concatenate([[0.0], np.cumsum(squares)])
        counts = np.concatenate([[0], np.cumsum(usable)])
        window = settings.dispersion_months
        starts = np.maximum(np.arange(n) - window, 0)
        ends = np.arange(n)
        count = counts[ends] - counts[starts]
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = (square_sums[ends] - square_sums[starts]) / count
        dispersion = np.where(
            count >= settings.min_dispersion_months, np.maximum(1.0, mean), np.nan
        )
        vectors = (expected.tolist(), dispersion.tolist())  # plain lists: fast to index
        self._vectors[settings] = vectors
        self._last_vectors = (settings, vectors)
        return vectors

    def check(self, month: Month, settings: ExceptionSettings) -> MonthCheck:
        return self.check_all([month], settings)[0]

    def check_all(self, months: Iterable[Month], settings: ExceptionSettings) -> list[MonthCheck]:
        last, cache = self._last
        if last is not settings:
            cache = self._checks.setdefault(settings, {})
            self._last = (settings, cache)
        checks = []
        for month in months:
            index = month.index
            check = cache.get(index)
            if check is None:
                check = cache[index] = _check(self, month, index, settings)
            checks.append(check)
        return checks


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def expected_count(
    counts: Mapping[Month, Number | None], month: Month, settings: ExceptionSettings
) -> float | None:
    """The count expected for `month` from its history (step 1 of the module doc), or None."""
    return MonthlyHistory(counts).expected(month.index, settings)


def expected_range(expected: float, dispersion: float, z: float) -> tuple[float, float]:
    """The (low, high) counts that ordinary months fall within (step 3 of the module doc)."""
    root = math.sqrt(expected + 3 / 8)
    half_width = z * math.sqrt(dispersion) / 2
    low = 0.0 if root <= half_width else max(0.0, (root - half_width) ** 2 - 3 / 8)
    high = (root + half_width) ** 2 - 3 / 8
    return low, high


def _check(
    history: MonthlyHistory, month: Month, index: int, settings: ExceptionSettings
) -> MonthCheck:
    observed = history.value(index)
    if observed is None:
        return MonthCheck(month, None, reason="there is no count for this month")
    # A month with a count lies inside the series, so the whole-series arithmetic has it.
    expected_all, dispersion_all = history._series(settings)
    position = index - history.first
    expected = _number(expected_all[position])
    if expected is None:
        return MonthCheck(
            month,
            observed,
            reason=f"needs the 12 months before it and the same month in at least "
            f"{settings.min_years} earlier years",
        )
    dispersion = _number(dispersion_all[position])
    if dispersion is None:
        return MonthCheck(
            month,
            observed,
            expected,
            reason="not enough history to measure how much months usually vary",
        )
    low, high = expected_range(expected, dispersion, settings.z)
    flag = _HIGH if observed > high else _LOW if observed < low else None
    return MonthCheck(month, observed, expected, low, high, flag)


def check_months(
    counts: Mapping[Month, Number | None] | MonthlyHistory,
    months: Iterable[Month],
    settings: ExceptionSettings = ExceptionSettings(),
) -> list[MonthCheck]:
    """Check each of `months` against its expected range; see the module docstring."""
    history = counts if isinstance(counts, MonthlyHistory) else MonthlyHistory(counts)
    return history.check_all(months, settings)

"""Reporting periods: calendar months, rolling windows and financial quarters.

The financial year runs April to March. Q1 is April-June, Q2 July-September,
Q3 October-December and Q4 January-March. Labels look like "2023/24 Q2"
(also accepted: "2023/24-Q2").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import total_ordering

from saferhub.errors import ConfigurationError

_MONTH_RE = re.compile(r"^\s*(\d{4})-?(\d{2})\s*$")
_QUARTER_RE = re.compile(r"^\s*(\d{4})/(\d{2})[\s-]*Q([1-4])\s*$", re.IGNORECASE)


@total_ordering
@dataclass(frozen=True, slots=True)
class Month:
    """A calendar month. Adding an int moves that many months; subtracting months gives the gap."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ConfigurationError(f"Month {self.month} is not between 1 and 12.")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Read "2023-09" or "202309"."""
        match = _MONTH_RE.match(str(text))
        if not match:
            raise ConfigurationError(
                f"'{text}' is not a month.", "Write months as YYYY-MM, for example 2023-09."
            )
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise ConfigurationError(f"'{text}' has month {month}, which is not between 01 and 12.")
        return cls(year, month)

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def index(self) -> int:
        """Months since year 0: makes arithmetic and ordering trivial."""
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> Month:
        return cls(index // 12, index % 12 + 1)

    def __add__(self, months: int) -> Month:
        return Month.from_index(self.index + months)

    def __sub__(self, other: int | Month) -> Month | int:  # type: ignore[override]
        if isinstance(other, Month):
            return self.index - other.index
        return Month.from_index(self.index - other)

    def __lt__(self, other: Month) -> bool:
        return self.index < other.index

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return (self + 1).first_day - timedelta(days=1)

    @property
    def key(self) -> str:
        """ "YYYY-MM", the form used in files and JSON."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """ "September 2023", as the board reports write it."""
        return self.first_day.strftime("%B %Y")

    @property
    def short_label(self) -> str:
        return self.first_day.strftime("%b %Y")

    @property
    def financial_quarter(self) -> FinancialQuarter:
        start_year = self.year if self.month >= 4 else self.year - 1
        return FinancialQuarter(start_year, (self.month - 4) % 12 // 3 + 1)

    def __str__(self) -> str:
        return self.key


def month_range(first: Month, last: Month) -> list[Month]:
    """Every month from first to last inclusive (empty when last is before first)."""
    return [Month.from_index(i) for i in range(first.index, last.index + 1)]


@dataclass(frozen=True, slots=True)
class Window:
    """A run of consecutive months, first to last inclusive."""

    first: Month
    last: Month

    @classmethod
    def ending(cls, last: Month, months: int) -> Window:
        """The `months` months ending with `last`: rolling 12 months to M is ending(M, 12)."""
        if months < 1:
            raise ConfigurationError(f"A window needs at least one month, not {months}.")
        return cls(last - (months - 1), last)  # type: ignore[arg-type]

    @property
    def months(self) -> list[Month]:
        return month_range(self.first, self.last)

    def __len__(self) -> int:
        return self.last.index - self.first.index + 1

    def shifted(self, months: int) -> Window:
        return Window(self.first + months, self.last + months)

    @property
    def year_earlier(self) -> Window:
        """The same months a year before: the comparison for the recent-months figure."""
        return self.shifted(-12)

    @property
    def preceding(self) -> Window:
        """The window of the same length just before: rolling 12 months vs the previous 12."""
        return self.shifted(-len(self))

    def __contains__(self, month: Month) -> bool:
        return self.first.index <= month.index <= self.last.index

    @property
    def label(self) -> str:
        if self.first == self.last:
            return self.first.label
        return f"{self.first.label} to {self.last.label}"


@total_ordering
@dataclass(frozen=True, slots=True)
class FinancialQuarter:
    """A quarter of the April-March financial year starting in `start_year`."""

    start_year: int
    quarter: int

    def __post_init__(self) -> None:
        if not 1 <= self.quarter <= 4:
            raise ConfigurationError(f"Quarter {self.quarter} is not between 1 and 4.")

    @classmethod
    def parse(cls, text: str) -> FinancialQuarter:
        """Read "2023/24 Q2" or "2023/24-Q2"."""
        match = _QUARTER_RE.match(str(text))
        if not match:
            raise ConfigurationError(
                f"'{text}' is not a financial quarter.", "Write quarters like 2023/24-Q2."
            )
        start, end2, quarter = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if (start + 1) % 100 != end2:
            raise ConfigurationError(
                f"'{text}' is not a financial year: "
                f"{start}/ must be followed by {(start + 1) % 100:02d}."
            )
        return cls(start, quarter)

    @property
    def first_month(self) -> Month:
        return Month(self.start_year, 4) + (self.quarter - 1) * 3

    @property
    def window(self) -> Window:
        return Window(self.first_month, self.first_month + 2)

    @property
    def start(self) -> date:
        return self.first_month.first_day

    @property
    def end(self) -> date:
        return self.window.last.last_day

    def __add__(self, quarters: int) -> FinancialQuarter:
        index = self.start_year * 4 + self.quarter - 1 + quarters
        return FinancialQuarter(index // 4, index % 4 + 1)

    def __lt__(self, other: FinancialQuarter) -> bool:
        return (self.start_year, self.quarter) < (other.start_year, other.quarter)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d} Q{self.quarter}"

    @property
    def key(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}-Q{self.quarter}"

    def __str__(self) -> str:
        return self.label


def financial_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"

"""What the needs analysis returns, and every output renders: cross-tabulations with
their percentage base, comparisons between two areas, and the analysis as a whole."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from saferhub.rules import needs as rules
from saferhub.rules.needs import Base, Item

YES, NO, PEOPLE = "Yes", "No", "People"
ASSESSED, NOT_ASSESSED = "Assessed", "Not assessed"


@dataclass(frozen=True)
class CrossTab:
    """A cross-tabulation: counts per row, column and answer, and the percentage base.

    Yes/no tables have answers ("Yes", "No") and one row per question (a need, a
    registration); count tables have the one answer "People" and one row per category.
    """

    key: str
    title: str
    row_heading: str
    rows: tuple[Item, ...]
    columns: tuple[str, ...]
    answers: tuple[str, ...]
    counts: Mapping[tuple[str, str, str], int]  # (row code, column, answer) -> people
    base: Base
    population: int  # everyone counted in the table: the total base
    population_label: str  # who they are: "assessed people", "people on the caseload"
    notes: tuple[str, ...] = ()
    hidden: frozenset[tuple[str, str, str]] = frozenset()  # suppressed for disclosure

    @property
    def is_yes_no(self) -> bool:
        return len(self.answers) > 1

    def raw_count(self, row: str, column: str, answer: str) -> int:
        return self.counts.get((row, column, answer), 0)

    def count(self, row: str, column: str, answer: str) -> int | None:
        """The count, or None when it is suppressed."""
        if (row, column, answer) in self.hidden:
            return None
        return self.raw_count(row, column, answer)

    def denominator(self, row: str, column: str, answer: str | None = None) -> int:
        """What a cell's percentage is out of, following the table's base."""
        if self.base is Base.TOTAL:
            return self.population
        if self.base is Base.ROW:
            return sum(self.raw_count(row, c, a) for c in self.columns for a in self.answers)
        if self.is_yes_no:
            return sum(self.raw_count(row, column, a) for a in self.answers)
        return sum(self.raw_count(r.code, column, answer or self.answers[0]) for r in self.rows)

    def percent(self, row: str, column: str, answer: str) -> float | None:
        """The cell as a percentage of its base, to 2 places; None when suppressed or 0/0."""
        count = self.count(row, column, answer)
        if count is None:
            return None
        return rules.percent(count, self.denominator(row, column, answer))

    def column_total(self, column: str) -> int:
        """People in one column (for yes/no tables, the people answering the first row)."""
        if self.is_yes_no:
            row = self.rows[0].code
            return sum(self.raw_count(row, column, a) for a in self.answers)
        return sum(self.raw_count(r.code, column, self.answers[0]) for r in self.rows)

    @property
    def base_description(self) -> str:
        if self.base is Base.TOTAL:
            return f"% of all {self.population:,} {self.population_label} in the table"
        if self.base is Base.ROW:
            return "% of the row: each row's figures add up to 100%"
        return f"% of the column: the {self.population_label} in each group"


@dataclass(frozen=True)
class ComparisonRow:
    code: str
    label: str
    count: int | None
    base: int
    percent: float | None
    other_count: int | None
    other_base: int
    other_percent: float | None

    @property
    def difference(self) -> float | None:
        """Percentage points (BRIEF: proportions are compared in points)."""
        if self.percent is None or self.other_percent is None:
            return None
        return round(self.percent - self.other_percent, 2)


@dataclass(frozen=True)
class Comparison:
    """One area's share of people with each need or registration against another area's."""

    key: str
    title: str
    area: str
    other_area: str
    population_label: str  # what each share is out of
    rows: tuple[ComparisonRow, ...]


@dataclass(frozen=True)
class NotAssessed:
    crn: str
    setting: str
    sentence_type: str
    tier: str


@dataclass(frozen=True)
class NeedsAnalysis:
    """Everything the needs report shows, computed once."""

    source: str
    as_of: date
    as_of_given: bool
    area: str
    people: int
    assessed: int
    tables: tuple[CrossTab, ...]
    comparisons: tuple[Comparison, ...] = ()
    not_assessed: tuple[NotAssessed, ...] = ()
    public: bool = False
    lists_people: bool = True  # False once published for anyone beyond probation

    def table(self, key: str) -> CrossTab:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


def with_base(table: CrossTab, base: Base) -> CrossTab:
    """The same table on another percentage base."""
    return replace(table, base=base)

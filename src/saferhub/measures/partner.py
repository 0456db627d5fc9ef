"""Partner breakdowns for the board pack: CCTV incidents, Prevent referrals, hate crime and
ASB tools and powers (docs/measures/partner.md).

Every figure is counted from the partner breakdowns table (`saferhub.sources.
partner_breakdowns.SCHEMA`): one count per area, month, measure and category. One function
per published figure; `partner_figures` gathers them for one area and period. Change follows
`saferhub.rules.change`: % change = (current − previous) / previous, n/a when previous is 0;
shares are compared in percentage points.

Counts here are the true counts. Disclosure control (hiding 1 to 4 for the public, leaving
out Prevent detail) happens once, when the figures are published (`saferhub.app.publish`),
which is why every count field may also hold a marker such as "<5" once published.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from saferhub.rules.change import percent_change, percentage_point_change
from saferhub.rules.disclosure import Audience
from saferhub.rules.periods import FinancialQuarter, Month, Window
from saferhub.sources.partner_breakdowns import (
    ALL_HATE_CRIME,
    CCTV_HOUR,
    CCTV_TYPE,
    CCTV_WARD,
    HATE_CRIME,
    HATE_STRANDS,
    INCIDENT_TYPES,
    NATIONAL,
    PREVENT,
    PREVENT_CATEGORIES,
    PREVENT_NATIONAL,
    TOOL_CATEGORIES,
    TOOLS,
    TOTAL,
)

Count = int | str  # a count, or once published for the public, the marker that hides it
HOUR_BAND_HOURS = 4  # the day in six bands of four hours, as control rooms plan shifts
# How many months of national Prevent figures stand in when none cover the area's period.
NATIONAL_FALLBACK_MONTHS = 12


@dataclass(frozen=True)
class CategoryCount:
    category: str
    count: Count
    percent: float | None  # % of the breakdown's total; None: no total, or hidden


@dataclass(frozen=True)
class Breakdown:
    """One measure's counts by category over a window, with each category's % of the total."""

    measure: str
    area: str
    window: Window
    rows: tuple[CategoryCount, ...]
    total: Count
    months_without: tuple[Month, ...] = ()  # months of the window with no figures

    def largest(self, n: int = 3) -> list[CategoryCount]:
        """The `n` categories with the most (visible) counts, most first, ties by order."""
        shown = [r for r in self.rows if isinstance(r.count, int) and r.count > 0]
        return sorted(shown, key=lambda r: -r.count)[:n]  # type: ignore[operator]


@dataclass(frozen=True)
class ChangeRow:
    category: str
    previous: Count | None  # None: no figures for that period
    current: Count | None
    change_pct: float | None  # n/a (None) when previous is 0, unknown or hidden


@dataclass(frozen=True)
class PreventRow(ChangeRow):
    share_pct: float | None = None  # % of the area's total referrals in the current period
    national_share_pct: float | None = None
    difference_pp: float | None = None  # share minus national share, in percentage points


@dataclass(frozen=True)
class PreventComparison:
    area: str
    current: Window
    previous: Window
    label: str  # e.g. "2023/24 Q1 and Q2"
    previous_label: str
    rows: tuple[PreventRow, ...]  # the total first
    national: Window | None  # the months of national figures compared with
    months_without: tuple[Month, ...] = ()
    detail_withheld: bool = False  # set when published: only the total is shown

    @property
    def total(self) -> PreventRow:
        return self.rows[0]


@dataclass(frozen=True)
class HateCrime:
    """All hate crime and each strand. One crime may be flagged under several strands."""

    area: str
    current: Window
    previous: Window
    total: ChangeRow
    strands: tuple[ChangeRow, ...]
    months_without: tuple[Month, ...] = ()
    # Strands are flags, not a split: they overlap, so they do not add up to the total.
    non_exclusive: bool = True


@dataclass(frozen=True)
class ToolsByMonth:
    area: str
    window: Window
    tools: tuple[str, ...]
    months: tuple[Month, ...]  # months with figures
    counts: tuple[tuple[Count, ...], ...]  # one row per month, one count per tool
    totals: tuple[Count, ...]  # per tool, over the months
    months_without: tuple[Month, ...] = ()


@dataclass(frozen=True)
class PartnerFigures:
    area: str
    window: Window  # the recent months (CCTV, hate crime, tools and powers)
    cctv_by_ward: Breakdown | None
    cctv_by_type: Breakdown | None
    cctv_by_hour: Breakdown | None
    prevent: PreventComparison | None
    hate_crime: HateCrime | None
    tools: ToolsByMonth | None
    audience: Audience = Audience.PARTNERSHIP


# ---------------------------------------------------------------------------------------------
# Reading the table


def _counts(
    table: pa.Table, area: str, measure: str, window: Window
) -> tuple[dict[str, int], tuple[Month, ...]]:
    """Sum of each category over the window's months; and the months with no figures."""
    totals: dict[str, int] = defaultdict(int)
    present: set[Month] = set()
    for row in _rows(table, area, measure):
        month = Month.of(row["month"])
        if month in window:
            totals[row["category"]] += row["value"]
            present.add(month)
    return dict(totals), tuple(m for m in window.months if m not in present)


def _rows(table: pa.Table, area: str, measure: str) -> list[dict]:
    # Filtered in Arrow first: a borough's six years of breakdowns are thousands of rows.
    wanted = pc.and_(
        pc.equal(table["measure"], measure),
        pc.or_(pc.equal(table["area_name"], area), pc.equal(table["area_code"], area)),
    )
    return table.filter(wanted).select(["month", "category", "value"]).to_pylist()


def _percent(count: int, total: int) -> float | None:
    return count / total * 100 if total else None


def _breakdown(
    measure: str,
    area: str,
    window: Window,
    counts: dict[str, int],
    missing: tuple[Month, ...],
    order: list[str],
) -> Breakdown | None:
    if not counts:
        return None
    total = sum(counts.values())
    rows = tuple(
        CategoryCount(c, counts.get(c, 0), _percent(counts.get(c, 0), total)) for c in order
    )
    return Breakdown(measure, area, window, rows, total, missing)


# ---------------------------------------------------------------------------------------------
# CCTV


def cctv_by_ward(table: pa.Table, area: str, window: Window) -> Breakdown | None:
    """CCTV incidents in each ward over the window, with each ward's % of all incidents.

    Wards in alphabetical order; the total is the sum over wards. None without figures."""
    counts, missing = _counts(table, area, CCTV_WARD, window)
    order = sorted(counts, key=str.casefold)
    return _breakdown(CCTV_WARD, area, window, counts, missing, order)


def cctv_by_incident_type(table: pa.Table, area: str, window: Window) -> Breakdown | None:
    """CCTV incidents of each incident type over the window, with each type's % of all.

    Types in the format's order; types with no incidents are left out."""
    counts, missing = _counts(table, area, CCTV_TYPE, window)
    order = [t for t in INCIDENT_TYPES if counts.get(t)] or list(counts)
    return _breakdown(CCTV_TYPE, area, window, counts, missing, order)


def hour_band(hour: str) -> str:
    """The band of the day an hour ("00" to "23") falls in, e.g. "04:00 to 07:59"."""
    start = int(hour) // HOUR_BAND_HOURS * HOUR_BAND_HOURS
    return f"{start:02d}:00 to {start + HOUR_BAND_HOURS - 1:02d}:59"


def cctv_by_hour_band(table: pa.Table, area: str, window: Window) -> Breakdown | None:
    """CCTV incidents by the four-hour band of the day they began in, over the window, with
    each band's % of all; every band is listed, in time order."""
    by_hour, missing = _counts(table, area, CCTV_HOUR, window)
    counts: dict[str, int] = defaultdict(int)
    for hour, count in by_hour.items():
        counts[hour_band(hour)] += count
    bands = [hour_band(f"{h:02d}") for h in range(0, 24, HOUR_BAND_HOURS)]
    return _breakdown(CCTV_HOUR, area, window, dict(counts), missing, bands)


# ---------------------------------------------------------------------------------------------
# Prevent


def prevent_period(to: Month) -> tuple[Window, str]:
    """The Prevent reporting period at `to`: the last complete financial quarter, with the
    quarter before it when both are in the same half of the financial year (Q1 and Q2, or
    Q3 and Q4), as the Prevent returns compare half-years. Its label, e.g. "2023/24 Q1 and Q2".
    """
    quarter = to.financial_quarter
    if quarter.window.last != to:
        quarter = quarter + -1
    if quarter.quarter in (2, 4):
        first: FinancialQuarter = quarter + -1
        year = quarter.label.split(" ")[0]
        return Window(first.first_month, quarter.window.last), (
            f"{year} Q{first.quarter} and Q{quarter.quarter}"
        )
    return quarter.window, quarter.label


def prevent_referrals(table: pa.Table, area: str, to: Month) -> PreventComparison | None:
    """Prevent referrals in the period at `to` (`prevent_period`) against the same period a
    year earlier, by category, with the % change, each category's share of the area's total
    referrals and the national share, and their difference in percentage points.

    The total is the "Total" category as given (categories overlap: age, gender and concern
    each split the same referrals). National shares come from national counts over the same
    months; when none are given for them, from the latest 12 months of national figures
    before the period ends. None without figures for the area in either period.
    """
    current, label = prevent_period(to)
    previous = current.year_earlier
    now, missing_now = _counts(table, area, PREVENT, current)
    before, missing_before = _counts(table, area, PREVENT, previous)
    if not now and not before:
        return None
    national_window, national = _national(table, current)
    categories = [c for c in PREVENT_CATEGORIES if c == TOTAL or c in now or c in before]
    total_now = now.get(TOTAL, 0)
    national_total = national.get(TOTAL, 0)
    rows = []
    for category in categories:
        count_now = now.get(category, 0) if now else None
        count_before = before.get(category, 0) if before else None
        share = _percent(count_now, total_now) if count_now is not None else None
        national_share = _percent(national.get(category, 0), national_total) if national else None
        is_total = category == TOTAL
        rows.append(
            PreventRow(
                category,
                count_before,
                count_now,
                percent_change(count_now, count_before),
                None if is_total else share,
                None if is_total else national_share,
                None if is_total else percentage_point_change(share, national_share),
            )
        )
    year = previous.last.financial_quarter.start_year
    previous_label = label.replace(label[:7], f"{year}/{(year + 1) % 100:02d}", 1)
    return PreventComparison(
        area,
        current,
        previous,
        label,
        previous_label,
        tuple(rows),
        national_window,
        tuple(sorted({*missing_before, *missing_now})) if now and before else (),
    )


def _national(table: pa.Table, current: Window) -> tuple[Window | None, dict[str, int]]:
    rows = _rows(table, NATIONAL, PREVENT_NATIONAL)
    months = sorted({Month.of(r["month"]) for r in rows})
    covering = [m for m in months if m in current]
    if covering:
        window = Window(covering[0], covering[-1])
    else:
        earlier = [m for m in months if m < current.first]
        if not earlier:
            return None, {}
        window = Window.ending(earlier[-1], NATIONAL_FALLBACK_MONTHS)
    counts, _ = _counts(table, NATIONAL, PREVENT_NATIONAL, window)
    return (window, counts) if counts.get(TOTAL) else (None, {})


# ---------------------------------------------------------------------------------------------
# Hate crime


def hate_crime(table: pa.Table, area: str, window: Window) -> HateCrime | None:
    """All hate crime and each strand over the window against the same months a year earlier,
    with the % change. Strands are flags that overlap, so they are never summed: the total is
    the "All hate crime" figure as given. None without figures in the window."""
    previous = window.year_earlier
    now, missing = _counts(table, area, HATE_CRIME, window)
    before, _ = _counts(table, area, HATE_CRIME, previous)
    if not now:
        return None

    def row(category: str) -> ChangeRow:
        count_before = before.get(category, 0) if before else None
        count_now = now.get(category, 0)
        return ChangeRow(category, count_before, count_now, percent_change(count_now, count_before))

    strands = tuple(row(s) for s in HATE_STRANDS if s in now or s in before)
    return HateCrime(area, window, previous, row(ALL_HATE_CRIME), strands, missing)


# ---------------------------------------------------------------------------------------------
# ASB tools and powers


def tools_and_powers(table: pa.Table, area: str, window: Window) -> ToolsByMonth | None:
    """Uses of each ASB tool and power in each month of the window, and over the window.

    Every tool is listed (a tool never used shows 0s). None without figures in the window."""
    by_month: dict[Month, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in _rows(table, area, TOOLS):
        month = Month.of(r["month"])
        if month in window:
            by_month[month][r["category"]] += r["value"]
    if not by_month:
        return None
    months = tuple(m for m in window.months if m in by_month)
    counts = tuple(tuple(by_month[m].get(t, 0) for t in TOOL_CATEGORIES) for m in months)
    totals = tuple(sum(column) for column in zip(*counts, strict=True))
    missing = tuple(m for m in window.months if m not in by_month)
    return ToolsByMonth(area, window, TOOL_CATEGORIES, months, counts, totals, missing)


def partner_figures(table: pa.Table, *, area: str, to: Month, months: int) -> PartnerFigures:
    """Every partner figure for `area`: the recent `months` months to `to` for CCTV, hate
    crime and tools and powers; the Prevent period at `to` (`prevent_period`)."""
    window = Window.ending(to, months)
    return PartnerFigures(
        area,
        window,
        cctv_by_ward(table, area, window),
        cctv_by_incident_type(table, area, window),
        cctv_by_hour_band(table, area, window),
        prevent_referrals(table, area, to),
        hate_crime(table, area, window),
        tools_and_powers(table, area, window),
    )

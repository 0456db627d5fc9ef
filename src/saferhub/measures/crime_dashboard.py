"""One borough's crime dashboard: the measures executed, and their figures as results.

`compute_dashboards` runs the Ibis expressions of `saferhub.measures.crime` once for every
borough, measure and reporting month asked for, then adds what the rules decide from
those figures (change, RAG status, monthly exceptions). `crime_dashboard` picks out one
borough's board dashboard (seed 003 overview; seed 004 slides). The web page, the CLI
report and the JSON output all render these objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from saferhub.errors import ConfigurationError, InputError, Problem
from saferhub.measures.catalogue import Catalogue, MeasureDefinition, default_catalogue
from saferhub.measures.crime import (
    CrimeData,
    default_peer_groups,
    population_year,
)
from saferhub.measures.crime_queries import MONTHLY, dashboard_queries
from saferhub.measures.engine import to_arrow
from saferhub.rules.change import Direction, direction, percent_change
from saferhub.rules.exceptions import ExceptionSettings, MonthCheck, MonthlyHistory, check_months
from saferhub.rules.periods import Month, Window, month_range
from saferhub.rules.rag import Assessment, Polarity, Rag, RagSettings, assess, rag_status
from saferhub.sources.london import Borough, bcu_members, require_borough

# Months of history each dashboard row needs: the rolling 12 months and the 12 before.
WINDOW_SPAN = 24


@dataclass(frozen=True)
class PeerGroup:
    """The areas a borough is ranked within besides London, e.g. its police command unit."""

    name: str
    members: tuple[str, ...]

    @classmethod
    def of(cls, borough: Borough) -> PeerGroup:
        """The default: the borough's BCU (North West BCU: Barnet, Brent, Harrow)."""
        return cls(borough.bcu_label, tuple(b.name for b in bcu_members(borough.bcu)))

    @classmethod
    def parse(cls, text: str, borough: Borough) -> PeerGroup:
        """A comma-separated list of boroughs; the dashboard's own borough is always in it."""
        names = [part.strip() for part in text.split(",") if part.strip()]
        if not names:
            raise ConfigurationError(
                "--peer-group lists no boroughs.", "Write e.g. Barnet,Brent,Harrow."
            )
        members = [require_borough(n, "Peer group member").name for n in names]
        if borough.name not in members:
            members.insert(0, borough.name)
        return cls("Peer group", tuple(dict.fromkeys(members)))


@dataclass(frozen=True)
class DashboardSettings:
    recent_months: int = 3
    rag: RagSettings = field(default_factory=RagSettings)
    exceptions: ExceptionSettings = field(default_factory=ExceptionSettings)

    def __post_init__(self) -> None:
        if not 1 <= self.recent_months <= 12:
            raise ConfigurationError(
                f"The recent period must be 1 to 12 months, not {self.recent_months}.",
                "Boards usually use 3 (a quarter) or 4.",
            )


# The result objects below are built tens of thousands of times for a London-wide
# dashboard; frozen dataclasses cost several times more to build (each field goes through
# object.__setattr__), so these are plain slotted dataclasses, read-only by convention.


@dataclass(slots=True)
class Comparison:
    """A volume in a window against the same measure in an earlier window."""

    window: Window
    previous_window: Window
    volume: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        """% change; None is "n/a" (previous 0, or a figure is missing)."""
        return percent_change(self.volume, self.previous)

    @property
    def direction(self) -> Direction | None:
        return direction(self.volume, self.previous)


@dataclass(slots=True)
class Rank:
    position: int
    of: int

    def __str__(self) -> str:
        return f"{self.position}/{self.of}"


@dataclass(slots=True)
class Indicator:
    """One performance indicator behind the RAG status."""

    name: str  # "rolling_12" | "recent"
    comparison: Comparison
    assessment: Assessment | None


@dataclass(slots=True)
class MeasureResult:
    """Everything the dashboard says about one measure for one borough and month."""

    measure: MeasureDefinition
    area: str
    end: Month
    recent: Comparison
    rolling: Comparison
    rate: float | None  # per 1,000 (see measure.rate_per), over the rolling 12 months
    london_rank: Rank | None
    peer_rank: Rank | None
    indicators: tuple[Indicator, ...]
    rag: Rag | None
    exceptions: tuple[MonthCheck, ...]
    counts: Mapping[Month, float] = field(repr=False, compare=False)  # every known month

    @property
    def monthly(self) -> tuple[tuple[Month, float | None], ...]:
        """The 24 months to `end` with their volumes (None where missing)."""
        return tuple((m, self.counts.get(m)) for m in Window.ending(self.end, WINDOW_SPAN).months)


@dataclass(frozen=True)
class CrimeDashboard:
    """One borough's board dashboard for the period ending `end`."""

    area: Borough
    end: Month
    settings: DashboardSettings
    peer_group: PeerGroup
    catalogue: Catalogue
    results: tuple[MeasureResult, ...]  # the area's results, in catalogue order
    peer_results: Mapping[str, tuple[MeasureResult, ...]]  # measure key -> each peer's result
    not_reported: tuple[tuple[MeasureDefinition, str], ...]  # measure, why it is left out
    sources: tuple[str, ...] = field(default=())  # provenance lines

    @property
    def recent_window(self) -> Window:
        return Window.ending(self.end, self.settings.recent_months)

    @property
    def rolling_window(self) -> Window:
        return Window.ending(self.end, 12)


def check_coverage(data: CrimeData, catalogue: Catalogue, ends: Iterable[Month]) -> None:
    """Refuse a dashboard the MPS files cannot fully support (a partial sum would mislead)."""
    if not any(m.source == "mps" for m in catalogue.measures):
        return
    covered = data.counts.covered("borough")
    needed: set[Month] = set()
    for end in ends:
        needed.update(month_range(end - (WINDOW_SPAN - 1), end))  # type: ignore[arg-type]
    missing = sorted(needed - covered)
    if not missing:
        return
    files = ", ".join(r.file for r in data.counts.releases) or "the MPS files"
    if covered:
        have = f"cover {min(covered).label} to {max(covered).label} by borough"
        gaps = set(month_range(min(covered), max(covered))) - covered
        if gaps:
            have += f", with no data for {', '.join(m.label for m in sorted(gaps)[:3])}"
    else:
        have = "have no borough-level figures (ward files leave out crimes not placed in a ward)"
    shown = ", ".join(m.label for m in missing[:3]) + (" …" if len(missing) > 3 else "")
    raise InputError(
        Problem(
            files,
            None,
            None,
            f"{have}; a dashboard to {max(needed).label} needs every month from "
            f"{min(needed).label}, and {len(missing)} are missing ({shown}).",
        ),
        "Add an MPS borough file that has those months, or choose an earlier --to month.",
    )


def check_population_years(data: CrimeData, ends: Iterable[Month]) -> None:
    """Refuse rates a population-by-year file has no year for (never a rate without one)."""
    by_year = data.population_by_year_source
    if by_year is None:
        return
    missing = sorted({population_year(end) for end in ends} - set(by_year.years))
    if missing:
        raise InputError(
            Problem(
                by_year.file,
                None,
                "Year",
                f"has no population for {', '.join(map(str, missing))}, which the rates for "
                f"the months asked for need; it covers {by_year.years[0]} to "
                f"{by_year.years[-1]}.",
            ),
            "Give a population file that has that year, or leave out --population-by-year "
            "to use the single-year estimates.",
        )


def compute_dashboards(
    data: CrimeData,
    catalogue: Catalogue,
    ends: Sequence[Month],
    settings: DashboardSettings,
    peer_groups: Mapping[str, str] | None = None,
    areas: Iterable[str] | None = None,
    backend: ibis.BaseBackend | None = None,
) -> dict[tuple[str, str, Month], MeasureResult]:
    """Run the measures once and build a result per (measure key, area, end month).

    `areas` limits which boroughs get result objects (ranks always use all of them).
    """
    check_coverage(data, catalogue, ends)
    check_population_years(data, ends)
    peer_groups = dict(peer_groups or default_peer_groups())
    wanted = set(areas) if areas is not None else None
    queries, tables = dashboard_queries(
        data,
        catalogue,
        ends,
        settings.recent_months,
        peer_groups,
        sorted(wanted) if wanted is not None else None,
    )
    # The monthly volumes feed both the windows and the exception checks: compute them once.
    monthly = to_arrow(queries.monthly, backend, tables=tables)
    rows = to_arrow(queries.table, backend, tables={**tables, MONTHLY: monthly}).to_pylist()
    histories = _histories(monthly, wanted)

    measures = {m.key: m for m in catalogue.measures}
    periods = {end.first_day: _Periods(end, settings.recent_months) for end in ends}
    results: dict[tuple[str, str, Month], MeasureResult] = {}
    for row in rows:
        measure = measures[row["measure_key"]]
        history = histories.get((measure.key, row["area_name"])) or MonthlyHistory({})
        result = _result(measure, row, periods[row["end"]], history, settings)
        results[(measure.key, row["area_name"], result.end)] = result
    return results


def _histories(monthly: pa.Table, wanted: set[str] | None) -> dict[tuple[str, str], MonthlyHistory]:
    """Each measure and area's monthly counts, from rows sorted by measure, area and month."""
    if monthly.num_rows == 0:
        return {}
    keys = pc.binary_join_element_wise(monthly["measure_key"], monthly["area_name"], "\x1f")
    codes = keys.dictionary_encode().combine_chunks().indices.to_numpy()
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], len(codes)]
    indices = monthly["month_index"].to_numpy()
    volumes = monthly["volume"].to_numpy(zero_copy_only=False)
    measure_keys = monthly["measure_key"]
    areas = monthly["area_name"]
    histories: dict[tuple[str, str], MonthlyHistory] = {}
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        area = areas[start].as_py()
        if wanted is not None and area not in wanted:
            continue
        first = int(indices[start])
        values = np.full(int(indices[end - 1]) - first + 1, np.nan)
        values[indices[start:end] - first] = volumes[start:end]
        histories[(measure_keys[start].as_py(), area)] = MonthlyHistory.from_values(
            first, values.tolist()
        )
    return histories


class _Periods:
    """The windows of one reporting month, built once for every result that shares them."""

    def __init__(self, end: Month, recent_months: int) -> None:
        self.end = end
        self.recent = Window.ending(end, recent_months)
        self.recent_previous = self.recent.year_earlier
        self.rolling = Window.ending(end, 12)
        self.rolling_previous = self.rolling.preceding
        self.recent_months = tuple(self.recent.months)


def _result(
    measure: MeasureDefinition,
    row: dict,
    periods: _Periods,
    history: MonthlyHistory,
    settings: DashboardSettings,
) -> MeasureResult:
    recent = Comparison(periods.recent, periods.recent_previous, row["recent"], row["recent_prev"])
    rolling = Comparison(periods.rolling, periods.rolling_previous, row["r12"], row["r12_prev"])
    indicators = tuple(
        Indicator(name, comparison, assess(comparison.direction, measure.polarity))
        for name, comparison in (("rolling_12", rolling), ("recent", recent))
    )
    rag = None
    if measure.polarity is not Polarity.NONE:
        rag = rag_status([i.assessment for i in indicators], settings.rag)
    return MeasureResult(
        measure=measure,
        area=row["area_name"],
        end=periods.end,
        recent=recent,
        rolling=rolling,
        rate=row["rate"],
        london_rank=Rank(row["london_rank"], row["london_of"]) if row["london_rank"] else None,
        peer_rank=Rank(row["peer_rank"], row["peer_of"]) if row["peer_rank"] else None,
        indicators=indicators,
        rag=rag,
        exceptions=tuple(check_months(history, periods.recent_months, settings.exceptions)),
        counts=history,
    )


def crime_dashboard(
    data: CrimeData,
    area: str,
    end: Month,
    settings: DashboardSettings = DashboardSettings(),
    catalogue: Catalogue | None = None,
    peer_group: PeerGroup | None = None,
    backend: ibis.BaseBackend | None = None,
) -> CrimeDashboard:
    """One borough's board dashboard to month `end` (seed 003 overview; seed 004 slides)."""
    catalogue = catalogue or default_catalogue()
    borough = require_borough(area)
    peer_group = peer_group or PeerGroup.of(borough)
    groups = default_peer_groups()
    for member in peer_group.members:
        groups[member] = peer_group.name
    results = compute_dashboards(
        data, catalogue, [end], settings, groups, peer_group.members, backend
    )
    own: list[MeasureResult] = []
    peers: dict[str, tuple[MeasureResult, ...]] = {}
    not_reported: list[tuple[MeasureDefinition, str]] = []
    for measure in catalogue.measures:
        result = results.get((measure.key, borough.name, end))
        if result is None or not _any_figure(result):
            not_reported.append((measure, _why_missing(measure, data)))
            continue
        own.append(result)
        peers[measure.key] = tuple(
            results[(measure.key, name, end)]
            for name in peer_group.members
            if (measure.key, name, end) in results
        )
    return CrimeDashboard(
        area=borough,
        end=end,
        settings=settings,
        peer_group=peer_group,
        catalogue=catalogue,
        results=tuple(own),
        peer_results=peers,
        not_reported=tuple(not_reported),
        sources=provenance(data, end),
    )


def _any_figure(result: MeasureResult) -> bool:
    windows = (result.recent, result.rolling)
    return any(v is not None for c in windows for v in (c.volume, c.previous))


def _why_missing(measure: MeasureDefinition, data: CrimeData) -> str:
    if measure.source == "series":
        if data.series_source is None:
            return "no partner series file was given"
        return "the series files have no complete figures for this borough and period"
    return "the MPS files have no complete figures for this borough and period"


def provenance(data: CrimeData, end: Month | None = None) -> tuple[str, ...]:
    lines = []
    for release in data.counts.releases:
        used = (
            f"{release.months_used[0].label} to {release.months_used[-1].label}"
            if release.months_used
            else "no months (newer files replace all of them)"
        )
        lines.append(
            f"{release.file}: MPS recorded crime by {release.level}, "
            f"{release.first.label} to {release.last.label}; months used: {used}."
        )
    lines.extend(data.counts.notes)
    estimates = data.population_source
    by_year = data.population_by_year_source
    if by_year is None:
        lines.append(
            f"{estimates.file}: GLA {estimates.year} population and household estimates. "
            f"Every rate uses the {estimates.year} estimates, whatever its period."
        )
    else:
        lines.append(
            f"{estimates.file}: GLA {estimates.year} household estimates, used for every "
            "rate per 1,000 households (the population-by-year file has no households)."
        )
        if end is not None:
            year = population_year(end)
            lines.append(
                f"{by_year.file}: population by borough and year. Rates per 1,000 residents "
                f"over the 12 months to {end.label} use the {year} population "
                f"({by_year.source_of(year) or 'not in the file'}), the year nearest the "
                "middle of those 12 months."
            )
        else:
            lines.append(
                f"{by_year.file}: population by borough and year; each rate per 1,000 "
                "residents uses the population of the year nearest the middle of its period."
            )
    if data.series_source is not None:
        lines.extend(
            f"{name}: partner-supplied measure series." for name in data.series_source.files
        )
    return tuple(lines)

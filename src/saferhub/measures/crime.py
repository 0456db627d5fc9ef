"""The crime dashboard's measures, as Ibis expressions (one definition per published number).

Each public function builds an Ibis expression over canonical tables; nothing here reads a
file or knows about Django. The expressions run on DuckDB by default and on any Ibis
backend that has the tables. `compute_dashboards` executes them once for every borough,
measure and reporting month asked for, and `crime_dashboard` picks out one borough's board
dashboard. Definitions are listed in docs/measures/crime.md.

Periods (BRIEF "Periods"; seed 003 glossary): for a dashboard to month M, the recent N
months end with M and are compared with the same N months a year earlier; the rolling 12
months end with M and are compared with the 12 months before them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from saferhub.errors import ConfigurationError, InputError, Problem
from saferhub.measures.catalogue import Catalogue, MeasureDefinition, default_catalogue
from saferhub.rules.change import Direction, direction, percent_change
from saferhub.rules.exceptions import ExceptionSettings, MonthCheck, MonthlyHistory, check_months
from saferhub.rules.periods import Month, Window, month_range
from saferhub.rules.rag import Assessment, Polarity, Rag, RagSettings, assess, rag_status
from saferhub.sources.london import (
    LONDON_BOROUGH_COUNT,
    Borough,
    bcu_members,
    borough_names,
    london_boroughs,
    require_borough,
)
from saferhub.sources.mps import CrimeCounts
from saferhub.sources.population import Population
from saferhub.sources.series import SCHEMA as SERIES_SCHEMA
from saferhub.sources.series import MeasureSeries

# Months of history each dashboard row needs: the rolling 12 months and the 12 before.
WINDOW_SPAN = 24


@dataclass(frozen=True)
class CrimeData:
    """The canonical tables the measures read, as Ibis tables."""

    crime: ir.Table  # sources.mps.CANONICAL_SCHEMA
    series: ir.Table  # sources.series.SCHEMA
    population: ir.Table  # sources.population.SCHEMA
    counts: CrimeCounts
    population_source: Population
    series_source: MeasureSeries | None = None

    @classmethod
    def from_sources(
        cls, counts: CrimeCounts, population: Population, series: MeasureSeries | None = None
    ) -> CrimeData:
        series_table = series.table if series is not None else SERIES_SCHEMA.empty_table()
        return cls(
            ibis.memtable(counts.table),
            ibis.memtable(series_table),
            ibis.memtable(population.table),
            counts,
            population,
            series,
        )


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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Rank:
    position: int
    of: int

    def __str__(self) -> str:
        return f"{self.position}/{self.of}"


@dataclass(frozen=True)
class Indicator:
    """One performance indicator behind the RAG status."""

    name: str  # "rolling_12" | "recent"
    comparison: Comparison
    assessment: Assessment | None


@dataclass(frozen=True)
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


# -- Ibis measure expressions -------------------------------------------------------------


def monthly_volume(data: CrimeData, catalogue: Catalogue) -> ir.Table:
    """The number of recorded crimes (or partner-recorded events) per borough per month.

    Definition: for a police measure, the sum over its MPS categories of the crimes the
    Metropolitan Police recorded in a borough in a calendar month, counting 0 where the
    file has no row (BRIEF "Where the data comes from"; London Datastore MPS files).
    For a partner measure, the sum of the values of its series names for that borough and
    month; a month with no value stays missing. Columns: measure_key, area_name, month,
    volume.
    """
    parts: list[ir.Table] = []
    mps_measures = [m for m in catalogue.measures if m.source == "mps"]
    if mps_measures:
        parts.append(_mps_monthly(data, mps_measures))
    series_measures = [m for m in catalogue.measures if m.source == "series"]
    if series_measures:
        selectors = ibis.memtable(
            pa.table(
                {
                    "measure_key": [m.key for m in series_measures for _ in m.series],
                    "series_measure": [name for m in series_measures for name in m.series],
                }
            )
        )
        series = data.series
        joined = series.join(selectors, series.measure == selectors.series_measure)
        parts.append(
            joined.group_by(["measure_key", "area_name", "month"]).agg(
                volume=joined.value.sum().cast("float64")
            )
        )
    result = parts[0]
    for part in parts[1:]:
        result = result.union(part)
    return result


def _mps_monthly(data: CrimeData, measures: list[MeasureDefinition]) -> ir.Table:
    selectors = ibis.memtable(
        pa.table(
            {
                "measure_key": [m.key for m in measures for _ in m.categories],
                "major": [c.major for m in measures for c in m.categories],
                "minor": [c.minor for m in measures for c in m.categories],
            },
            schema=pa.schema(
                [("measure_key", pa.string()), ("major", pa.string()), ("minor", pa.string())]
            ),
        )
    )
    crime = data.crime.filter(data.crime.area_type == "borough")
    joined = crime.join(
        selectors,
        [
            crime.major_category == selectors.major,
            selectors.minor.isnull() | (crime.minor_category == selectors.minor),
        ],
    )
    counted = joined.group_by(["measure_key", "area_name", "month"]).agg(
        counted=joined["count"].sum().cast("float64")
    )
    # The wide files only list a category where it had crime in the file's period, so
    # every borough, measure and covered month gets a row, with 0 where nothing was counted.
    months = sorted(data.counts.covered("borough"))
    grid = (
        crime.select("area_name")
        .distinct()
        .cross_join(ibis.memtable(pa.table({"measure_key": [m.key for m in measures]})))
        .cross_join(
            ibis.memtable(pa.table({"month": pa.array([m.first_day for m in months], pa.date32())}))
        )
    )
    dense = grid.left_join(counted, ["measure_key", "area_name", "month"])
    return dense.select(
        measure_key=grid.measure_key,
        area_name=grid.area_name,
        month=grid.month,
        volume=dense.counted.fill_null(0.0),
    )


def _periods_table(ends: Sequence[Month], recent_months: int) -> ir.Table:
    rows = []
    for end in ends:
        recent = Window.ending(end, recent_months)
        rolling = Window.ending(end, 12)
        rows.append(
            {
                "end": end.first_day,
                "recent_first": recent.first.first_day,
                "recent_prev_first": recent.year_earlier.first.first_day,
                "recent_prev_last": recent.year_earlier.last.first_day,
                "r12_first": rolling.first.first_day,
                "r12_prev_first": rolling.preceding.first.first_day,
                "r12_prev_last": rolling.preceding.last.first_day,
            }
        )
    return ibis.memtable(
        pa.Table.from_pylist(rows, schema=pa.schema([(k, pa.date32()) for k in rows[0]]))
    )


def period_volumes(monthly: ir.Table, ends: Sequence[Month], recent_months: int) -> ir.Table:
    """Volumes for the recent N months, the same months a year earlier, the rolling 12 months
    and the 12 months before, per measure, borough and reporting month.

    Definition: the sum of the monthly volumes in each window (BRIEF "Periods"; seed 004:
    "551 cases of Residential Burglary in the 4 months of June 2023 to September 2023 … in
    the same period 12 months prior there were 566"). A window with a month missing has
    no volume (null), never a partial sum.
    """
    periods = _periods_table(ends, recent_months)
    joined = monthly.join(
        periods, [monthly.month >= periods.r12_prev_first, monthly.month <= periods.end]
    )
    month = joined.month
    windows = {
        "recent": (month >= joined.recent_first, recent_months),
        "recent_prev": (
            (month >= joined.recent_prev_first) & (month <= joined.recent_prev_last),
            recent_months,
        ),
        "r12": (month >= joined.r12_first, 12),
        "r12_prev": (month <= joined.r12_prev_last, 12),
    }
    sums = {
        f"{name}_sum": joined.volume.sum(where=condition)
        for name, (condition, _) in windows.items()
    }
    counts = {
        f"{name}_n": joined.volume.count(where=condition)
        for name, (condition, _) in windows.items()
    }
    totals = joined.group_by(["measure_key", "area_name", "end"]).agg(**sums, **counts)
    return totals.select(
        "measure_key",
        "area_name",
        "end",
        **{
            name: ibis.ifelse(
                totals[f"{name}_n"] == length, totals[f"{name}_sum"], ibis.null("float64")
            )
            for name, (_, length) in windows.items()
        },
    )


def rate_per_thousand(volumes: ir.Table, data: CrimeData, catalogue: Catalogue) -> ir.Table:
    """The rolling-12-month volume per 1,000 residents, or per 1,000 households for
    residential burglary (seed 003 glossary "Peer comparison"; BRIEF "Rates and peer rank").

    Denominators are the GLA population and household estimates; a measure without a
    `rate_per` in the catalogue, or an area without an estimate, has no rate. Adds `rate`.
    """
    info = ibis.memtable(
        pa.table(
            {
                "measure_key": [m.key for m in catalogue.measures],
                "rate_per": [m.rate_per for m in catalogue.measures],
            },
            schema=pa.schema([("measure_key", pa.string()), ("rate_per", pa.string())]),
        )
    )
    population = data.population
    joined = volumes.join(info, "measure_key").left_join(
        population, volumes.area_name == population.area_name
    )
    denominator = ibis.cases(
        (joined.rate_per == "population", joined.population),
        (joined.rate_per == "households", joined.households),
        else_=ibis.null("float64"),
    )
    return joined.select(
        *[joined[c] for c in volumes.columns], rate=joined.r12 / denominator * 1000.0
    )


def london_rank(rated: ir.Table) -> ir.Table:
    """Rank of each borough's rate among London's 32 boroughs: 1 is the lowest rate (best).

    Definition: seed 003 glossary "London Rank" and BRIEF "Rates and peer rank". Only the
    32 boroughs are ranked (not the airports or aviation security units, not the City of
    London). Boroughs with the same rate share the lower rank and the next rank is skipped
    (1, 2, 2, 4). A rank exists only when all 32 boroughs have a rate, so it is always
    "out of 32". Adds `london_rank` and `london_of`.
    """
    in_london = rated.area_name.isin(list(borough_names())) & rated.rate.notnull()
    key = ibis.ifelse(in_london, rated.rate, ibis.null("float64"))
    group = ["measure_key", "end"]
    with_key = rated.mutate(_london_key=key)
    ranked = with_key.mutate(
        _london_position=ibis.rank().over(group_by=group, order_by=with_key._london_key) + 1,
        _london_n=with_key._london_key.count().over(group_by=group),
    )
    complete = ranked._london_key.notnull() & (ranked._london_n == LONDON_BOROUGH_COUNT)
    return ranked.mutate(
        london_rank=ibis.ifelse(complete, ranked._london_position, ibis.null("int64")),
        london_of=ibis.ifelse(complete, ranked._london_n, ibis.null("int64")),
    ).drop("_london_key", "_london_position", "_london_n")


def peer_rank(rated: ir.Table, peer_groups: Mapping[str, str]) -> ir.Table:
    """Rank of each borough's rate within its peer group, e.g. the North West BCU (seed 004:
    "In the NW BCU comparison 1/3 is the best, 3/3 is the worst").

    `peer_groups` maps a borough to its group's name. Same tie rule as the London rank; a
    rank exists only when every member of the group has a rate. Adds `peer_group`,
    `peer_rank` and `peer_of`.
    """
    sizes: dict[str, int] = {}
    for group in peer_groups.values():
        sizes[group] = sizes.get(group, 0) + 1
    members = ibis.memtable(
        pa.table(
            {
                "peer_area": list(peer_groups),
                "peer_group": list(peer_groups.values()),
                "peer_size": [sizes[g] for g in peer_groups.values()],
            }
        )
    )
    joined = rated.left_join(members, rated.area_name == members.peer_area)
    joined = joined.select(*rated.columns, "peer_group", "peer_size")
    key = ibis.ifelse(
        joined.peer_group.notnull() & joined.rate.notnull(), joined.rate, ibis.null("float64")
    )
    group = ["measure_key", "end", "peer_group"]
    with_key = joined.mutate(_peer_key=key)
    ranked = with_key.mutate(
        _peer_position=ibis.rank().over(group_by=group, order_by=with_key._peer_key) + 1,
        _peer_n=with_key._peer_key.count().over(group_by=group),
    )
    complete = ranked._peer_key.notnull() & (ranked._peer_n == ranked.peer_size)
    return ranked.mutate(
        peer_rank=ibis.ifelse(complete, ranked._peer_position, ibis.null("int64")),
        peer_of=ibis.ifelse(complete, ranked._peer_n, ibis.null("int64")),
    ).drop("_peer_key", "_peer_position", "_peer_n", "peer_size")


def dashboard_table(
    data: CrimeData,
    catalogue: Catalogue,
    ends: Sequence[Month],
    recent_months: int,
    peer_groups: Mapping[str, str],
    monthly: ir.Table | None = None,
) -> ir.Table:
    """Every figure of the board's dashboard (seed 003 overview), one row per measure,
    borough and reporting month: the four window volumes, the rate, the London rank and
    the peer rank, composed from the functions above (see each for its definition).

    `monthly` is `monthly_volume(data, catalogue)`, when the caller already has it.
    """
    if monthly is None:
        monthly = monthly_volume(data, catalogue)
    volumes = period_volumes(monthly, ends, recent_months)
    return peer_rank(london_rank(rate_per_thousand(volumes, data, catalogue)), peer_groups)


# -- Execution: figures → result objects ---------------------------------------------------


def default_peer_groups() -> dict[str, str]:
    """Every borough in its police command unit (BCU)."""
    return {b.name: b.bcu_label for b in london_boroughs()}


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
    backend = backend or ibis.duckdb.connect()
    peer_groups = dict(peer_groups or default_peer_groups())
    # The monthly volumes feed both the windows and the exception checks: compute them once.
    monthly = backend.to_pyarrow(monthly_volume(data, catalogue))
    table = dashboard_table(
        data, catalogue, ends, settings.recent_months, peer_groups, ibis.memtable(monthly)
    )
    wanted = set(areas) if areas is not None else None
    if wanted is not None:
        table = table.filter(table.area_name.isin(list(wanted)))
    rows = backend.to_pyarrow(table).to_pylist()
    months: dict[date, Month] = {}  # one Month per date: tens of thousands of rows share them
    history: dict[tuple[str, str], dict[Month, float]] = {}
    columns = monthly.to_pydict()
    for key, area, day, volume in zip(
        columns["measure_key"],
        columns["area_name"],
        columns["month"],
        columns["volume"],
        strict=True,
    ):
        if wanted is not None and area not in wanted:
            continue
        month = months.get(day) or months.setdefault(day, Month.of(day))
        history.setdefault((key, area), {})[month] = volume

    measures = {m.key: m for m in catalogue.measures}
    periods = {end.first_day: _Periods(end, settings.recent_months) for end in ends}
    checkers: dict[tuple[str, str], MonthlyHistory] = {}
    results: dict[tuple[str, str, Month], MeasureResult] = {}
    for row in rows:
        measure = measures[row["measure_key"]]
        key = (measure.key, row["area_name"])
        counts = history.get(key, {})
        if key not in checkers:
            checkers[key] = MonthlyHistory(counts)
        result = _result(measure, row, periods[row["end"]], counts, checkers[key], settings)
        results[(measure.key, row["area_name"], result.end)] = result
    return results


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
    counts: Mapping[Month, float],
    checker: MonthlyHistory,
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
        exceptions=tuple(check_months(checker, periods.recent_months, settings.exceptions)),
        counts=counts,
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
        sources=provenance(data),
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


def provenance(data: CrimeData) -> tuple[str, ...]:
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
    lines.append(
        f"{data.population_source.file}: GLA {data.population_source.year} population and "
        "household estimates."
    )
    if data.series_source is not None:
        lines.extend(
            f"{name}: partner-supplied measure series." for name in data.series_source.files
        )
    return tuple(lines)

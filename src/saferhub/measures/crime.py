"""The crime dashboard's measures, as Ibis expressions (one definition per published number).

Each public function builds an Ibis expression over canonical tables; nothing here reads a
file, runs a query or knows about Django. The expressions run on DuckDB by default and on
any Ibis backend that has the tables; `saferhub.measures.crime_dashboard` executes them and
turns the figures into result objects. Definitions are listed in docs/measures/crime.md.

Periods (BRIEF "Periods"; seed 003 glossary): for a dashboard to month M, the recent N
months end with M and are compared with the same N months a year earlier; the rolling 12
months end with M and are compared with the 12 months before them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from saferhub.measures.catalogue import Catalogue, MeasureDefinition
from saferhub.rules.periods import Month, Window
from saferhub.sources.london import LONDON_BOROUGH_COUNT, borough_names, london_boroughs
from saferhub.sources.mps import CrimeCounts
from saferhub.sources.population import Population
from saferhub.sources.population_by_year import PopulationByYear
from saferhub.sources.series import SCHEMA as SERIES_SCHEMA
from saferhub.sources.series import MeasureSeries


@dataclass(frozen=True)
class CrimeData:
    """The canonical tables the measures read, as Ibis tables."""

    crime: ir.Table  # sources.mps.CANONICAL_SCHEMA
    series: ir.Table  # sources.series.SCHEMA
    population: ir.Table  # sources.population.SCHEMA
    counts: CrimeCounts
    population_source: Population
    series_source: MeasureSeries | None = None
    # Residents per borough per year: when given, a rate per resident uses the population
    # of its period's year (`population_year`) rather than the single-year estimate.
    population_by_year: ir.Table | None = None  # sources.population_by_year.SCHEMA
    population_by_year_source: PopulationByYear | None = None

    @classmethod
    def from_sources(
        cls,
        counts: CrimeCounts,
        population: Population,
        series: MeasureSeries | None = None,
        *,
        population_by_year: PopulationByYear | None = None,
    ) -> CrimeData:
        series_table = series.table if series is not None else SERIES_SCHEMA.empty_table()
        return cls(
            ibis.memtable(counts.table),
            ibis.memtable(series_table),
            ibis.memtable(population.table),
            counts,
            population,
            series,
            ibis.memtable(population_by_year.table) if population_by_year else None,
            population_by_year,
        )


def population_year(end: Month) -> int:
    """The population year a rate over the 12 months to `end` uses: the calendar year of the
    window's seventh month, so the mid-year (30 June) estimate is the one nearest the
    middle of the 12 months (October 2022 to September 2023 uses 2023). BRIEF "Rates and
    peer rank" defines the rate; this choice of year is SaferHub's, documented with it."""
    return (end - 5).year  # type: ignore[union-attr]


# -- Ibis measure expressions -------------------------------------------------------------


def monthly_volume(data: CrimeData, catalogue: Catalogue) -> ir.Table:
    """The number of recorded crimes (or partner-recorded events) per borough per month.

    Definition: for a police measure, the sum over its MPS categories of the crimes the
    Metropolitan Police recorded in a borough in a calendar month, counting 0 where the
    file has no row for a category; a month for which no file has the borough has no
    volume (BRIEF "Where the data comes from"; London Datastore MPS files).
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
    # every measure gets a row for each borough and month some file gives, with 0 where
    # nothing was counted. A month no file gives for a borough gets no row: its windows
    # are incomplete (no figure), never a zero.
    grid = (
        crime.select("area_name", "month")
        .distinct()
        .cross_join(ibis.memtable(pa.table({"measure_key": [m.key for m in measures]})))
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
    `rate_per` in the catalogue, or an area without an estimate, has no rate. When
    `data.population_by_year` is given, the residents are those of the period's year
    (`population_year`), and households stay the single-year estimate, as the by-year
    file has none. Adds `rate` and `population_year` (the residents' year).
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
    residents, year = joined.population, ibis.literal(data.population_source.year, "int64")
    if data.population_by_year is not None:
        by_year = data.population_by_year.select(
            by_year_area="area_name", by_year_year="year", by_year_population="population"
        )
        # The seventh month of the 12 to `end` is five months before it (population_year).
        wanted = (joined.end - ibis.interval(months=5)).year().cast("int64")
        joined = joined.mutate(_population_year=wanted).left_join(
            by_year,
            [
                ibis._.area_name == by_year.by_year_area,
                ibis._._population_year == by_year.by_year_year,
            ],
        )
        residents, year = joined.by_year_population, joined._population_year
    denominator = ibis.cases(
        (joined.rate_per == "population", residents),
        (joined.rate_per == "households", joined.households),
        else_=ibis.null("float64"),
    )
    return joined.select(
        *[joined[c] for c in volumes.columns],
        rate=joined.r12 / denominator * 1000.0,
        population_year=year,
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


def default_peer_groups() -> dict[str, str]:
    """Every borough in its police command unit (BCU)."""
    return {b.name: b.bcu_label for b in london_boroughs()}

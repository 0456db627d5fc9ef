"""The crime data stored in the app's database as the canonical tables, read by Ibis."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings

from saferhub.app.database import arrow, table
from saferhub.measures.crime import CrimeData
from saferhub.rules.periods import Month, month_range
from saferhub.sources.mps import CANONICAL_SCHEMA, CrimeCounts, ReleaseUse
from saferhub.sources.population import SCHEMA as POPULATION_SCHEMA
from saferhub.sources.population import Population
from saferhub.sources.series import SCHEMA as SERIES_SCHEMA
from saferhub.sources.series import MeasureSeries

_RELEASES = pa.schema(
    [
        ("id", pa.int64()),
        ("file", pa.string()),
        ("level", pa.string()),
        ("first_month", pa.date32()),
        ("last_month", pa.date32()),
        ("first_used", pa.date32()),
        ("last_used", pa.date32()),
    ]
)
_COVERED = pa.schema([("area_type", pa.string()), ("month", pa.date32())])
_POPULATION = pa.schema([*POPULATION_SCHEMA, ("year", pa.int64()), ("file", pa.string())])


def read_sources() -> tuple[CrimeCounts, Population, MeasureSeries | None] | None:
    """The stored crime counts, population and partner figures; None when not all stored."""
    from saferhub.web.insights.models import (
        CrimeCount,
        CrimeRelease,
        PopulationEstimate,
        SeriesValue,
    )

    releases = arrow(table(CrimeRelease).order_by("id"), _RELEASES).to_pylist()
    estimates = arrow(table(PopulationEstimate).order_by("id"), _POPULATION)
    if not releases or estimates.num_rows == 0:
        return None
    counts_t = table(CrimeCount)
    release_t = table(CrimeRelease)
    joined = counts_t.join(release_t, counts_t.release_id == release_t.id).order_by(counts_t.id)
    crime = arrow(
        joined.select(
            area_code=counts_t.area_code.nullif(""),
            area_name=counts_t.area_name,
            area_type=counts_t.area_type,
            borough=counts_t.borough,
            major_category=counts_t.major_category,
            minor_category=counts_t.minor_category,
            month=counts_t.month,
            count=counts_t["count"],
            source_release=release_t.file,
        ),
        CANONICAL_SCHEMA,
    )
    if crime.num_rows == 0:
        return None
    covered: dict[str, set[Month]] = {}
    months = arrow(counts_t.select("area_type", "month").distinct(), _COVERED)
    for row in months.to_pylist():
        covered.setdefault(row["area_type"], set()).add(Month.of(row["month"]))
    uses = tuple(
        ReleaseUse(
            r["file"],
            r["level"],  # type: ignore[arg-type]
            Month.of(r["first_month"]),
            Month.of(r["last_month"]),
            tuple(month_range(Month.of(r["first_used"]), Month.of(r["last_used"])))
            if r["first_used"] and r["last_used"]
            else (),
        )
        for r in releases
    )
    counts = CrimeCounts(crime, uses, {k: frozenset(v) for k, v in covered.items()})
    first = estimates.slice(0, 1).to_pylist()[0]
    population = Population(first["file"], first["year"], estimates.select(POPULATION_SCHEMA.names))
    series_t = table(SeriesValue)
    values = arrow(
        series_t.order_by("id").select(
            "area_code", "area_name", "month", "measure", "value", source=series_t.file
        ),
        SERIES_SCHEMA,
    )
    series = None
    if values.num_rows:
        files = tuple(dict.fromkeys(values.column("source").to_pylist()))
        series = MeasureSeries(files, values)
    return counts, population, with_recorded_series(series)


def asb_installed() -> bool:
    return "saferhub.web.asb" in settings.INSTALLED_APPS


def with_recorded_series(series: MeasureSeries | None) -> MeasureSeries | None:
    """Partner figures, with ASB tools and powers counted from the uses recorded in SaferHub
    when there are any: those replace the same measures from partner files, so no one has to
    key the monthly counts into a spreadsheet."""
    if not asb_installed():
        return series
    from saferhub.app.asb import recorded_tool_series
    from saferhub.measures.asb import TOOL_SERIES_NAMES
    from saferhub.sources.london import find_borough

    areas = set(series.table["area_name"].to_pylist()) if series is not None else set()
    borough = find_borough(areas.pop() if len(areas) == 1 else settings.PARTNERSHIP_AREA)
    if borough is None:
        return series
    recorded = recorded_tool_series(borough.code, borough.name)
    if recorded is None:
        return series
    if series is None:
        return MeasureSeries((recorded["source"][0].as_py(),), recorded)
    # Months before recording began keep the partner file's figures.
    names = pa.array(list(TOOL_SERIES_NAMES.values()))
    first = pc.min(recorded["month"])
    replaced = pc.and_(
        pc.is_in(series.table["measure"], value_set=names),
        pc.greater_equal(series.table["month"], first),
    )
    kept = series.table.filter(pc.invert(replaced))
    table = pa.concat_tables([kept, recorded.cast(SERIES_SCHEMA)])
    return MeasureSeries((*series.files, recorded["source"][0].as_py()), table)


def read_crime_data() -> CrimeData | None:
    sources = read_sources()
    return None if sources is None else CrimeData.from_sources(*sources)

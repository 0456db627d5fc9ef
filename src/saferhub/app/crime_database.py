"""The crime data stored in the app's database as the canonical tables, read by Ibis."""

from __future__ import annotations

import threading
from functools import cache

import ibis.expr.types as ir
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
        ("imported_at", pa.timestamp("us", tz="UTC")),
    ]
)
_POPULATION = pa.schema([*POPULATION_SCHEMA, ("year", pa.int64()), ("file", pa.string())])
_COUNTS = pa.schema(
    [
        ("id", pa.int64()),
        ("release_id", pa.int64()),
        *(f for f in CANONICAL_SCHEMA if f.name != "source_release"),
    ]
)


@cache
def _reads() -> dict[str, ir.Table]:
    """The expressions `read_sources` runs, built once: they never change, and building
    them again for every read would cost more than some of the reads."""
    from saferhub.web.insights.models import (
        CrimeCount,
        CrimeRelease,
        PopulationEstimate,
        SeriesValue,
    )

    counts = table(CrimeCount)
    series = table(SeriesValue)
    return {
        "releases": table(CrimeRelease).order_by("id"),
        "estimates": table(PopulationEstimate).order_by("id"),
        # Not ordered nor joined to the releases here: the rows are put in order, and named
        # by their release, in Arrow (`_crime`), which costs far less than a sort of every
        # row, file name and all, in the database.
        "counts": counts.select(
            "id",
            "release_id",
            area_code=counts.area_code.nullif(""),
            area_name=counts.area_name,
            area_type=counts.area_type,
            borough=counts.borough,
            major_category=counts.major_category,
            minor_category=counts.minor_category,
            month=counts.month,
            count=counts["count"],
        ),
        "series": series.order_by("id").select(
            "area_code", "area_name", "month", "measure", "value", source=series.file
        ),
    }


def _crime(counts: pa.Table, releases: pa.Table) -> pa.Table:
    """The stored counts as the canonical table: in the order they were stored, each row
    named by the file it came from."""
    ordered = counts.take(pc.sort_indices(counts["id"]))
    files = releases["file"].take(pc.index_in(ordered["release_id"], value_set=releases["id"]))
    return ordered.append_column("source_release", files).select(CANONICAL_SCHEMA.names)


def _covered(crime: pa.Table) -> dict[str, frozenset[Month]]:
    """The months stored for each level (borough, ward)."""
    found = crime.group_by(["area_type", "month"]).aggregate([])
    covered: dict[str, set[Month]] = {}
    for level, month in zip(
        found["area_type"].to_pylist(), found["month"].to_pylist(), strict=True
    ):
        covered.setdefault(level, set()).add(Month.of(month))
    return {level: frozenset(months) for level, months in covered.items()}


Sources = tuple[CrimeCounts, Population, MeasureSeries | None]


def read_sources() -> Sources | None:
    """The stored crime counts, population and partner figures; None when not all stored."""
    stored = read_stored()
    if stored is None:
        return None
    counts, population, series = stored
    return counts, population, with_recorded_series(series)


def read_stored() -> Sources | None:
    """What the crime data files gave, as stored (the partner figures without the ASB uses
    recorded in SaferHub); None when not all stored."""
    reads = _reads()
    release_rows = arrow(reads["releases"], _RELEASES)
    estimates = arrow(reads["estimates"], _POPULATION)
    if release_rows.num_rows == 0 or estimates.num_rows == 0:
        return None
    counts = _stored_counts(release_rows)
    if counts is None:
        return None
    first = estimates.slice(0, 1).to_pylist()[0]
    population = Population(first["file"], first["year"], estimates.select(POPULATION_SCHEMA.names))
    values = arrow(reads["series"], SERIES_SCHEMA)
    series = None
    if values.num_rows:
        files = tuple(dict.fromkeys(values.column("source").to_pylist()))
        series = MeasureSeries(files, values)
    return counts, population, series


# The counts of a release are written once, with the release, by the one store of crime data
# (web/insights/data.py `store`, which replaces every release, so new counts always come
# with new releases), and never changed. A release's id and the moment it was imported
# therefore name its counts: the tens of thousands of rows are read again after an import,
# not after every other change to the crime page's data (partner figures, population, a
# recorded ASB use). The last few readings are kept, so a page still showing an older
# import does not evict the newest.
_COUNTS_KEPT = 2
_kept_counts: dict[tuple, CrimeCounts | None] = {}
_kept_lock = threading.Lock()


def _stored_counts(release_rows: pa.Table) -> CrimeCounts | None:
    releases = release_rows.to_pylist()
    key = tuple(tuple(r.values()) for r in releases)
    with _kept_lock:
        if key in _kept_counts:
            return _kept_counts[key]
    crime = _snapshot()
    if crime is None:
        crime = _crime(arrow(_reads()["counts"], _COUNTS), release_rows)
    counts = None
    if crime.num_rows:
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
        counts = CrimeCounts(crime, uses, _covered(crime))
        # Worked out now, once an import, and kept with the counts (cached copies too).
        counts.notes  # noqa: B018
    with _kept_lock:
        _kept_counts[key] = counts
        while len(_kept_counts) > _COUNTS_KEPT:
            del _kept_counts[next(iter(_kept_counts))]
    return counts


def _snapshot() -> pa.Table | None:
    """The stored counts from the one Arrow value the store wrote with them, or None when
    there is none (counts stored before it was kept): then the rows are read."""
    from saferhub.web.insights.models import StoredCounts

    data = StoredCounts.objects.values_list("data", flat=True).first()
    if data is None:
        return None
    with pa.ipc.open_stream(pa.py_buffer(bytes(data))) as reader:
        return reader.read_all()


def forget_stored_counts() -> None:
    """Drop the kept readings, for someone who changed stored counts outside SaferHub."""
    with _kept_lock:
        _kept_counts.clear()


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

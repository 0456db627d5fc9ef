"""Storing validated crime data in the app's database, and reading it back for the measures.

`store` replaces the stored data with what the readers validated (one transaction).
`stored_data` rebuilds the canonical tables from the database as a `CrimeData` the
measures run on; it is kept in memory and rebuilt only when the stored data change, so
the page does not re-read tens of thousands of rows on every request.
"""

from __future__ import annotations

import hashlib
import threading

import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max

from saferhub.measures.crime import CrimeData
from saferhub.rules.periods import Month, month_range
from saferhub.sources.mps import CANONICAL_SCHEMA, CrimeCounts, ReleaseUse
from saferhub.sources.population import SCHEMA as POPULATION_SCHEMA
from saferhub.sources.population import Population
from saferhub.sources.series import SCHEMA as SERIES_SCHEMA
from saferhub.sources.series import MeasureSeries
from saferhub.web.insights.models import CrimeCount, CrimeRelease, PopulationEstimate, SeriesValue

_CRIME_FIELDS = [f.name for f in CANONICAL_SCHEMA if f.name != "source_release"]
_LOCK = threading.Lock()
_CACHE: dict[str, object] = {}


def _insert_counts(counts: CrimeCounts, releases: dict[str, CrimeRelease]) -> int:
    """Insert the counts with one prepared statement: a borough file is tens of thousands of
    rows, and building a model object for each took most of a demo's start-up time.
    """
    columns = counts.table.to_pydict()
    meta = CrimeCount._meta
    fields = [meta.get_field(name) for name in (*_CRIME_FIELDS, "release")]
    quote = connection.ops.quote_name
    # Only the model's own table and column names go into the text; the values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    adapt = connection.ops.adapt_datefield_value
    rows = [
        (code or "", name, kind, borough, major, minor, adapt(month), count, releases[source].pk)
        for code, name, kind, borough, major, minor, month, count, source in zip(
            *(columns[f.name] for f in CANONICAL_SCHEMA), strict=True
        )
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])
    return len(rows)


@transaction.atomic
def store(
    counts: CrimeCounts, population: Population, series: MeasureSeries | None
) -> dict[str, int]:
    """Replace the stored crime data; returns how many rows of each kind were stored."""
    CrimeRelease.objects.all().delete()
    PopulationEstimate.objects.all().delete()
    SeriesValue.objects.all().delete()
    releases = {}
    for use in counts.releases:
        releases[use.file] = CrimeRelease.objects.create(
            file=use.file,
            level=use.level,
            first_month=use.first.first_day,
            last_month=use.last.first_day,
            first_used=use.months_used[0].first_day if use.months_used else None,
            last_used=use.months_used[-1].first_day if use.months_used else None,
        )
    stored = _insert_counts(counts, releases)
    PopulationEstimate.objects.bulk_create(
        [
            PopulationEstimate(
                area_code=row["area_code"],
                area_name=row["area_name"],
                population=row["population"],
                households=row["households"],
                year=population.year,
                file=population.file,
            )
            for row in population.table.to_pylist()
        ]
    )
    values = series.table.to_pylist() if series is not None else []
    SeriesValue.objects.bulk_create(
        [
            SeriesValue(
                area_code=row["area_code"],
                area_name=row["area_name"],
                month=row["month"],
                measure=row["measure"],
                value=row["value"],
                file=row["source"],
            )
            for row in values
        ],
        batch_size=5000,
    )
    return {"crime counts": stored, "partner figures": len(values)}


def _version() -> tuple:
    """Changes whenever the stored data do: every store() stamps new releases (row ids
    alone are not enough, as SQLite reuses them once every row has been deleted)."""
    return (
        tuple(
            CrimeRelease.objects.aggregate(
                n=Count("pk"), last=Max("pk"), at=Max("imported_at")
            ).values()
        ),
        tuple(CrimeCount.objects.aggregate(n=Count("pk"), last=Max("pk")).values()),
        tuple(PopulationEstimate.objects.aggregate(n=Count("pk"), last=Max("pk")).values()),
        tuple(SeriesValue.objects.aggregate(n=Count("pk"), last=Max("pk")).values()),
        _recorded_series_version(),
    )


def data_version() -> str:
    """A short key for caches of pages built from the stored data."""
    return hashlib.sha256(repr(_version()).encode()).hexdigest()[:16]


def stored_data() -> CrimeData | None:
    """The stored data as the measures' canonical tables, or None when nothing is stored."""
    version = _version()
    if not version[1][0] or not version[2][0]:
        return None
    with _LOCK:
        if _CACHE.get("version") == version:
            return _CACHE["data"]  # type: ignore[return-value]
        data = _build()
        _CACHE.update(version=version, data=data)
        return data


def _column(values: list, kind: pa.DataType) -> pa.Array:
    """A column read straight from the database cursor (SQLite gives dates as text)."""
    if pa.types.is_date(kind) and values and isinstance(values[0], str):
        return pc.cast(pa.array(values, pa.string()), kind)
    return pa.array(values, kind)


def _build() -> CrimeData:
    releases = {r.pk: r for r in CrimeRelease.objects.all()}
    # A plain cursor, not model instances: tens of thousands of rows, read in one go.
    fields = ", ".join(_CRIME_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {fields}, release_id FROM {CrimeCount._meta.db_table} ORDER BY id"  # noqa: S608
        )
        rows = cursor.fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [()] * (len(_CRIME_FIELDS) + 1)
    arrays = [pa.array([c or None for c in columns[0]], pa.string())]
    arrays += [
        _column(list(columns[i]), CANONICAL_SCHEMA.field(name).type)
        for i, name in enumerate(_CRIME_FIELDS)
        if i
    ]
    names = {pk: r.file for pk, r in releases.items()}
    arrays.append(pa.array([names[pk] for pk in columns[-1]], pa.string()))
    table = pa.Table.from_arrays(arrays, schema=CANONICAL_SCHEMA)
    covered: dict[str, set[Month]] = {}
    for level, day in CrimeCount.objects.values_list("area_type", "month").distinct():
        covered.setdefault(level, set()).add(Month.of(day))
    uses = tuple(
        ReleaseUse(
            r.file,
            r.level,  # type: ignore[arg-type]
            Month.of(r.first_month),
            Month.of(r.last_month),
            tuple(month_range(Month.of(r.first_used), Month.of(r.last_used)))
            if r.first_used and r.last_used
            else (),
        )
        for r in releases.values()
    )
    counts = CrimeCounts(table, uses, {k: frozenset(v) for k, v in covered.items()})

    estimates = list(PopulationEstimate.objects.all())
    population = Population(
        estimates[0].file,
        estimates[0].year,
        pa.Table.from_pylist(
            [
                {
                    "area_code": e.area_code,
                    "area_name": e.area_name,
                    "population": e.population,
                    "households": e.households,
                }
                for e in estimates
            ],
            schema=POPULATION_SCHEMA,
        ),
    )
    values = list(
        SeriesValue.objects.order_by("pk").values_list(
            "area_code", "area_name", "month", "measure", "value", "file"
        )
    )
    series = None
    if values:
        series_table = pa.Table.from_pylist(
            [dict(zip(SERIES_SCHEMA.names, v, strict=True)) for v in values], schema=SERIES_SCHEMA
        )
        files = tuple(dict.fromkeys(v[-1] for v in values))
        series = MeasureSeries(files, series_table)
    series = _with_recorded_series(series)
    return CrimeData.from_sources(counts, population, series)


def _asb_installed() -> bool:
    return "saferhub.web.asb" in settings.INSTALLED_APPS


def _recorded_series_version() -> tuple:
    if not _asb_installed():
        return ()
    from saferhub.web.asb.statistics import tool_use_version

    return tool_use_version()


def _with_recorded_series(series: MeasureSeries | None) -> MeasureSeries | None:
    """Partner figures, with ASB tools and powers counted from the uses recorded in SaferHub
    when there are any: those replace the same measures from partner files, so no one has to
    key the monthly counts into a spreadsheet."""
    if not _asb_installed():
        return series
    from saferhub.measures.asb import TOOL_SERIES_NAMES
    from saferhub.sources.london import find_borough
    from saferhub.web.asb.statistics import recorded_tool_series

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


def months_with_dashboards(data: CrimeData) -> list[Month]:
    """Months a dashboard can end in: those with the 24 months before them all covered."""
    covered = data.counts.covered("borough")
    return sorted(
        (m for m in covered if all((m - back) in covered for back in range(1, 24))), reverse=True
    )


def partnership_area(data: CrimeData) -> str | None:
    """The borough the partner figures are for, when they are for exactly one."""
    if data.series_source is None:
        return None
    areas = set(data.series_source.table["area_name"].to_pylist())
    return areas.pop() if len(areas) == 1 else None

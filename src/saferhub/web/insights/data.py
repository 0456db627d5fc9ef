"""Storing validated crime data in the app's database.

`store` replaces the stored data with what the readers validated (one transaction) and
makes every cached figure stale; `saferhub.app.crime.stored_data` reads them back by Ibis.
"""

from __future__ import annotations

import pyarrow as pa
from django.db import connection, transaction

from saferhub.app.data_version import bump_data_version
from saferhub.sources.mps import CANONICAL_SCHEMA, CrimeCounts
from saferhub.sources.population import Population
from saferhub.sources.series import MeasureSeries
from saferhub.web.insights.models import (
    CrimeCount,
    CrimeRelease,
    PopulationEstimate,
    SeriesValue,
    StoredCounts,
)

_CRIME_FIELDS = [f.name for f in CANONICAL_SCHEMA if f.name != "source_release"]


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


def as_ipc(table: pa.Table) -> bytes:
    """The table as one Arrow IPC stream (zstd), in the canonical schema."""
    table = table.select(CANONICAL_SCHEMA.names).cast(CANONICAL_SCHEMA)
    sink = pa.BufferOutputStream()
    # Compressed: the names repeat on every row, and the database sends the value as text.
    options = pa.ipc.IpcWriteOptions(compression="zstd")
    with pa.ipc.new_stream(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


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
    StoredCounts.objects.all().delete()
    StoredCounts.objects.create(data=as_ipc(counts.table))
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
    # bulk_create skips save(), so the cached figures are made stale here.
    bump_data_version("insights")
    return {"crime counts": stored, "partner figures": len(values)}

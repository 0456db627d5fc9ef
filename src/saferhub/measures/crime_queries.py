"""The crime dashboard's two queries, built once and run on each request's data.

Building the dashboard's Ibis expressions takes about as long as running them, and a
dashboard is worked out again whenever the data change. When the data are in-memory
tables (as `CrimeData.from_sources` makes them), the queries are built over unbound tables
of the same schemas, kept for each set of options, and run on each request's tables by
`measures.engine.to_arrow`, which binds them by name.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pyarrow as pa

from saferhub.measures.catalogue import Catalogue
from saferhub.measures.crime import CrimeData, dashboard_table, monthly_volume
from saferhub.measures.engine import LruCache
from saferhub.rules.periods import Month

# The name the monthly volumes are bound to when the dashboard table runs.
MONTHLY = "crime_monthly"
# The data's tables, by the names the queries read them under.
_TABLES = {
    "crime": "crime_counts",
    "series": "crime_series",
    "population": "crime_population",
    "population_by_year": "crime_population_by_year",
}
# Option sets asked for between two data changes (months, boroughs): a few dozen.
CACHE_SIZE = 64


@dataclass(frozen=True)
class DashboardQueries:
    """`monthly`: the monthly volumes with a month index, in order. `table`: every figure
    of the dashboard (`dashboard_table`), over the monthly volumes bound as `MONTHLY`."""

    monthly: ir.Table
    table: ir.Table


def dashboard_queries(
    data: CrimeData,
    catalogue: Catalogue,
    ends: Sequence[Month],
    recent_months: int,
    peer_groups: Mapping[str, str],
    areas: Sequence[str] | None,
) -> tuple[DashboardQueries, dict[str, pa.Table]]:
    """The dashboard's queries and the tables to run them with (none when the data are
    not in memory: the queries then read the data's own tables)."""
    in_memory = _in_memory(data)
    ends, areas = tuple(ends), tuple(areas) if areas is not None else None

    def build(source: CrimeData) -> DashboardQueries:
        return _build(source, catalogue, ends, recent_months, peer_groups, areas)

    if in_memory is None:
        return build(data), {}
    unbound = dataclasses.replace(
        data,
        **{field: ibis.table(op.schema, name=_TABLES[field]) for field, op in in_memory.items()},
    )
    key = (
        tuple((field, op.schema) for field, op in in_memory.items()),
        data.population_source.year,  # the only other part of the data the queries read
        catalogue,
        ends,
        recent_months,
        tuple(peer_groups.items()),
        areas,
    )
    tables = {_TABLES[field]: op.data.to_pyarrow(op.schema) for field, op in in_memory.items()}
    return _cache.get(key, lambda: build(unbound)), tables


def _in_memory(data: CrimeData) -> dict[str, ops.InMemoryTable] | None:
    tables = {field: getattr(data, field) for field in _TABLES}
    found = {field: t.op() for field, t in tables.items() if t is not None}
    if all(isinstance(op, ops.InMemoryTable) for op in found.values()):
        return found  # type: ignore[return-value]
    return None


def _build(
    data: CrimeData,
    catalogue: Catalogue,
    ends: Sequence[Month],
    recent_months: int,
    peer_groups: Mapping[str, str],
    areas: Sequence[str] | None,
) -> DashboardQueries:
    volumes = monthly_volume(data, catalogue)
    monthly = volumes.mutate(
        month_index=volumes.month.year() * 12 + volumes.month.month() - 1
    ).order_by(["measure_key", "area_name", "month"])
    table = dashboard_table(
        data,
        catalogue,
        ends,
        recent_months,
        peer_groups,
        ibis.table(monthly.schema(), name=MONTHLY),
    )
    if areas is not None:
        table = table.filter(table.area_name.isin(list(areas)))
    return DashboardQueries(monthly, table)


_cache: LruCache[DashboardQueries] = LruCache(CACHE_SIZE)

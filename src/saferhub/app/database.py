"""The one data seam to the app's own database: Ibis expressions over the Django tables.

`table(Model)` is an Ibis table named and typed from the model's own metadata;
`arrow(expr, schema)` compiles the expression to the SQL of the database Django is
connected to (SQLite or PostgreSQL, whichever `settings.DATABASES["default"]` names),
runs it on Django's own connection and returns Arrow. Running on Django's connection
means a read sees the same transaction, and the same test database, as the ORM, and
never commits or opens anything of its own. Selecting and joining happen in the
database; the measures then run on DuckDB over the canonical tables, exactly as they do
over extract files.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import islice

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

from saferhub.errors import ConfigurationError

DIALECTS = {"sqlite": "sqlite", "postgresql": "postgres"}
# The statistics read a few dozen distinct expressions; a read with literal values in it
# (a date range, an extract's id) adds one per value, so the oldest are let go.
COMPILED_SQL_KEPT = 256
# PostgreSQL sends a large read in messages of this many rows, and they are made Arrow a
# batch at a time, while the server is still sending the rest.
ROWS_PER_MESSAGE = 1000
ROWS_PER_BATCH = 8192


def _ibis_type(field) -> str:
    from django.db import models

    if isinstance(field, models.ForeignKey):
        return _ibis_type(field.target_field)
    if isinstance(field, models.BooleanField):
        return "boolean"
    if isinstance(field, models.DateTimeField):
        return "timestamp"
    if isinstance(field, models.DateField):
        return "date"
    if isinstance(field, models.FloatField):
        return "float64"
    if isinstance(field, models.IntegerField | models.AutoField | models.BigAutoField):
        return "int64"
    return "string"


def table(model) -> ir.Table:
    """The model's database table as an Ibis table, columns named as in the database."""
    fields = [f for f in model._meta.concrete_fields]
    schema = ibis.schema({f.column: _ibis_type(f) for f in fields})
    return ibis.table(schema, name=model._meta.db_table)


@lru_cache(maxsize=COMPILED_SQL_KEPT)
def _compiled(
    op: ops.Relation, names: tuple[str, ...], dialect: str, text: frozenset[str] = frozenset()
) -> str:
    # Ibis operations are immutable, hash once and compare by structure, so an expression
    # built afresh for each read finds the SQL compiled for the same expression before:
    # compiling costs far more than running most of these reads.
    expr = op.to_expr()
    if text:
        columns = {n: expr[n].cast("string") if n in text else expr[n] for n in names}
        return str(ibis.to_sql(expr.select(**columns), dialect=dialect))
    return str(ibis.to_sql(expr.select(*names), dialect=dialect))


def _as_text(type_: pa.DataType) -> bool:
    """Whether SQLite is asked for a column of this type as its stored text: the driver
    would otherwise parse each date and time in Python, one value at a time, where Arrow
    parses the whole column at once."""
    return pa.types.is_date32(type_) or pa.types.is_timestamp(type_)


def sql(expr: ir.Table, schema: pa.Schema, vendor: str) -> str:
    """The SQL `arrow` runs for `expr` on a `vendor` (Django's name) database."""
    dialect = DIALECTS.get(vendor)
    if dialect is None:
        raise ConfigurationError(
            f"SaferHub reads its statistics from SQLite or PostgreSQL, not {vendor}.",
            "Set DATABASE_URL to a postgres:// or sqlite:/// address.",
        )
    text = frozenset(f.name for f in schema if vendor == "sqlite" and _as_text(f.type))
    return _compiled(expr.op(), tuple(schema.names), dialect, text)


def arrow(expr: ir.Table, schema: pa.Schema, raw: tuple[str, ...] = ()) -> pa.Table:
    """Run `expr` on Django's connection; the rows with exactly `schema`'s columns and types.

    SQLite keeps dates and times as text; they are read as text and this is the one place
    they become dates. Columns named in `raw` (JSON) are returned as the database gives
    them, as JSON text. The reads run with the cyclic collector held off, PostgreSQL's a
    batch at a time as the rows arrive.
    """
    from django.db import connection

    query = sql(expr, schema, connection.vendor)
    with _collection_paused(), connection.cursor() as cursor:
        if connection.vendor == "postgresql" and _streams(cursor):
            return _streamed(connection, cursor, query, schema, raw)
        cursor.execute(query)
        rows = cursor.fetchall()
        if connection.vendor == "sqlite":
            return _from_sqlite(rows, schema, raw)
        return rows_to_arrow(rows, schema, raw)


def _streams(cursor) -> bool:
    """Whether the driver can send the rows in messages of many (psycopg 3 on libpq 17+);
    otherwise each row would be a message of its own, far slower than fetching them all."""
    try:
        from psycopg import pq
    except ImportError:
        return False
    return hasattr(cursor.cursor, "stream") and pq.version() >= 170000


def _streamed(connection, cursor, query: str, schema: pa.Schema, raw: tuple[str, ...]):
    """The rows as they arrive, a batch at a time: Arrow takes each batch while the server
    is still sending the next, rather than waiting for the last row to start."""
    started = time.monotonic()
    tables = []
    with connection.wrap_database_errors:
        rows = cursor.cursor.stream(query, size=ROWS_PER_MESSAGE)
        try:
            while batch := list(islice(rows, ROWS_PER_BATCH)):
                tables.append(rows_to_arrow(batch, schema, raw))
        finally:
            # A read stopped early (a value of the wrong type) still takes the rest of the
            # rows, as fetching them all would have: closing the stream instead would cancel
            # the query, and with it the caller's transaction.
            for _ in rows:
                pass
    if connection.queries_logged:
        # As Django's own cursor logs a query, so the read shows among the page's queries.
        elapsed = time.monotonic() - started
        connection.queries_log.append({"sql": query, "time": f"{elapsed:.3f}"})
    return pa.concat_tables(tables) if tables else schema.empty_table()


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector off while a read builds its rows.

    A read makes a tuple per row and an object per value, none of them in a cycle; left
    on, the collector would walk every object the process holds many times over while
    they are made, which costs more than making them.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def rows_to_arrow(rows: Sequence[tuple], schema: pa.Schema, raw: tuple[str, ...] = ()) -> pa.Table:
    """The rows a database cursor gave, as a table with exactly `schema`."""
    try:
        # Every value already of its column's type (PostgreSQL, and SQLite's plain columns):
        # Arrow converts the rows as they are, with no pass over them in Python.
        rows_as = pa.array(rows, pa.struct(list(schema)))
        return pa.Table.from_arrays(rows_as.flatten(), schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return _converted(rows, schema, raw)


def _from_sqlite(rows: Sequence[tuple], schema: pa.Schema, raw: tuple[str, ...]) -> pa.Table:
    """SQLite's rows, its dates and times read as text (`_as_text`) and parsed by Arrow."""
    wire = pa.schema([pa.field(f.name, pa.string()) if _as_text(f.type) else f for f in schema])
    read = rows_to_arrow(rows, wire, raw)
    columns = [
        _parsed(column, field.type) if _as_text(field.type) else column
        for column, field in zip(read.columns, schema, strict=True)
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def _parsed(text: pa.ChunkedArray, type_: pa.DataType) -> pa.ChunkedArray:
    """Dates and times as Django stores them in SQLite (ISO 8601, times in UTC)."""
    try:
        if pa.types.is_date32(type_):
            return pc.cast(text, type_)
        naive = pc.cast(text, pa.timestamp(type_.unit))
        return naive if type_.tz is None else pc.cast(naive, type_)
    except pa.ArrowInvalid:
        # Text Arrow does not take (a time with its offset): as the driver would parse it.
        from django.utils.dateparse import parse_date, parse_datetime

        parse = parse_date if pa.types.is_date32(type_) else parse_datetime
        values = [parse(v) if v else None for v in text.to_pylist()]
        return pa.chunked_array([pa.array(values, type_)])


def _converted(rows: Sequence[tuple], schema: pa.Schema, raw: tuple[str, ...]) -> pa.Table:
    """Column by column, for values SQLite keeps in another type than the column's."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    arrays = []
    for field, values in zip(schema, columns, strict=True):
        if field.name in raw:
            arrays.append(pa.array([_text(v) for v in values], pa.string()))
        elif pa.types.is_boolean(field.type):
            # SQLite keeps booleans as 0 and 1.
            arrays.append(pa.array([None if v is None else bool(v) for v in values], field.type))
        elif pa.types.is_date32(field.type) and any(isinstance(v, str) for v in values):
            text = pa.array(values, pa.string())
            arrays.append(pc.cast(pc.strptime(text, "%Y-%m-%d", "s"), pa.date32()))
        else:
            arrays.append(pa.array(values, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    import json

    return json.dumps(value)

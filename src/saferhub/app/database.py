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

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

from saferhub.errors import ConfigurationError

DIALECTS = {"sqlite": "sqlite", "postgresql": "postgres"}


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


def arrow(expr: ir.Table, schema: pa.Schema, raw: tuple[str, ...] = ()) -> pa.Table:
    """Run `expr` on Django's connection; the rows with exactly `schema`'s columns and types.

    SQLite hands dates back as text; the cast here is the one place they become dates.
    Columns named in `raw` (JSON) are returned as the driver gave them, as text.
    """
    from django.db import connection

    dialect = DIALECTS.get(connection.vendor)
    if dialect is None:
        raise ConfigurationError(
            f"SaferHub reads its statistics from SQLite or PostgreSQL, not {connection.vendor}.",
            "Set DATABASE_URL to a postgres:// or sqlite:/// address.",
        )
    sql = str(ibis.to_sql(expr.select(*schema.names), dialect=dialect))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
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

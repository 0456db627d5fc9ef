"""Inserting many rows with a short write transaction, on SQLite as on PostgreSQL.

`bulk_create` turns each batch into SQL as it goes, so most of a large import's time is
spent building statements while the transaction holds the write lock; on SQLite that lock
is the whole database's, and every page view needs it to write its audit event. Here the
work is split: `prepare` converts every value for the database before the transaction,
and `insert` only runs one prepared statement per row (`executemany`), which also keeps
each statement far below SQLite's limit on bound variables whatever the number of rows.

The rows skip `save()`, as `bulk_create` does: the caller records one
audit event for the whole import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import connections, models, router

from saferhub.app.data_version import bump_data_version

ROWS_PER_CALL = 5000  # bounds the memory one executemany call holds; any size works


@dataclass(frozen=True)
class PreparedRows:
    """Rows converted to database values, ready to insert."""

    model: type[models.Model]
    fields: tuple[models.Field, ...]
    rows: list[tuple]
    using: str

    def __len__(self) -> int:
        return len(self.rows)


def _field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name.removesuffix("_id"))


def prepare(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Mapping[str, object]],
    *,
    using: str | None = None,
) -> PreparedRows:
    """Convert `rows` (field name → value; use the `…_id` name for a foreign key)."""
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    chosen = tuple(_field(model, name) for name in fields)
    plain = tuple(_PLAIN.get(field.get_internal_type()) for field in chosen)
    columns = tuple(zip(fields, chosen, plain, strict=True))
    prepared = [
        tuple(
            value
            if kind is not None and (value is None or type(value) is kind)
            else field.get_db_prep_save(value, connection)
            for name, field, kind in columns
            for value in (row[name],)
        )
        for row in rows
    ]
    return PreparedRows(model, chosen, prepared, alias)


# Field types whose database value is the Python value itself when it already has this
# type (Django's conversion returns it unchanged); skipping the call saves a third of the
# time a large import spends preparing. Dates, JSON and the rest go through Django.
_PLAIN: dict[str, type] = {
    "CharField": str,
    "TextField": str,
    "IntegerField": int,
    "BigIntegerField": int,
    "SmallIntegerField": int,
    "PositiveIntegerField": int,
    "PositiveBigIntegerField": int,
    "PositiveSmallIntegerField": int,
    "ForeignKey": int,
}


def insert(prepared: PreparedRows, **same: object) -> int:
    """Insert every prepared row and return the count.

    `same` gives columns with one value for every row, known only inside the transaction,
    such as the id of the extract the rows belong to (`extract_id=extract.pk`).
    """
    connection = connections[prepared.using]
    extra = tuple(_field(prepared.model, name) for name in same)
    tail = tuple(
        field.get_db_prep_save(value, connection)
        for field, value in zip(extra, same.values(), strict=True)
    )
    fields = prepared.fields + extra
    quote = connection.ops.quote_name
    # Only names from the model's own metadata, quoted, go into the text; values are bound.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(prepared.model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(prepared.rows), ROWS_PER_CALL):
            chunk = prepared.rows[start : start + ROWS_PER_CALL]
            cursor.executemany(sql, [row + tail for row in chunk] if tail else chunk)
    # These rows skip save() and its signals, so cached statistics are made stale here.
    bump_data_version(prepared.model._meta.app_label)
    return len(prepared.rows)

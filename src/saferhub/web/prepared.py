"""Reads whose SQL is built once: the small reads that every page, or the busiest page, makes.

Django turns a queryset into SQL each time it runs. For a read of a handful of rows by key
that costs several times what the database takes to answer: loading the signed-in user and
the session, and the dozen reads of the person record, spent more processor time building
SQL than anything else. A prepared read builds its SQL once per database connection, with a
marker in place of each value that changes (a *slot*), and afterwards only binds the new
values. Rows still become models (or dicts and tuples, after `.values()`) through Django's own
iterables and converters, so a prepared read returns what the queryset would.

    FLAGS = Prepared(lambda person_id: Flag.objects.filter(person_id=person_id))
    flags = FLAGS(person_id=person.pk)  # a list, as list(queryset) would give

The function that builds the queryset must follow two rules, or the SQL kept would be wrong:
- every value that changes between calls is one of its arguments, an `int` or a `str`; it reads
  no clock, no request and no setting;
- it does not prefetch (prefetching is more queries, run after the rows arrive), and a slot is
  never a limit or an offset.
A slot whose marker does not reach the SQL as a parameter (for example inside `icontains`,
which wraps it in `%`) is refused when the read is first built, not silently ignored.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.sql import InsertQuery

# Markers stand for the slots while the SQL is built. An integer marker must fit a 32-bit
# integer column, or Django would rule the lookup out of range; these values are no key
# the application ever issues.
_INT_MARKER = -2_000_000_000
_STR_MARKER = "\x00saferhub-slot-{}\x00"


class PreparedReadError(Exception):
    """A prepared read's queryset breaks the rules in the module docstring."""


@functools.cache
def _bound_compiler_class(base: type) -> type:
    """`base` (a Django SQL compiler class), answering with SQL built earlier and the values
    bound for this call, and keeping the row converters it worked out the first time."""

    class Bound(base):
        prepared_sql = ""
        bound_params: tuple = ()
        _converters: dict | None = None

        def as_sql(self, with_limits=True, with_col_aliases=False):
            return self.prepared_sql, self.bound_params

        def get_converters(self, expressions):
            # The same columns every call, on the same connection.
            if self._converters is None:
                self._converters = super().get_converters(expressions)
            return self._converters

    Bound.__name__ = Bound.__qualname__ = f"Prepared{base.__name__}"
    return Bound


class _Compiled:
    """One prepared read on one connection: its queryset, compiler and parameter template."""

    def __init__(self, queryset: QuerySet, slots: dict[Any, str]) -> None:
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        template: list[tuple[str, Any]] = []
        found = set()
        for value in params:
            name = slots.get(value) if isinstance(value, int | str) else None
            template.append(("slot", name) if name else ("fixed", value))
            if name:
                found.add(name)
        missing = set(slots.values()) - found
        if missing:
            raise PreparedReadError(
                f"The slot(s) {', '.join(sorted(missing))} of a prepared read on "
                f"{queryset.model._meta.label} did not reach the SQL as a parameter. "
                "Use a plain lookup (exact, in, lt, gte…) for each slot."
            )
        compiler.__class__ = _bound_compiler_class(type(compiler))
        compiler.prepared_sql = sql
        # Django asks the query for a compiler when the rows are read: hand it this one.
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        self.queryset = queryset
        self.compiler = compiler
        self.template = template
        self.connection = connections[queryset.db]

    def rows(self, values: dict[str, Any]) -> list:
        self.compiler.bound_params = tuple(
            values[value] if kind == "slot" else value for kind, value in self.template
        )
        return list(self.queryset._iterable_class(self.queryset))


class Prepared:
    """A read built by `build(**slots)`, compiled once per thread's database connection."""

    def __init__(self, build: Callable[..., QuerySet], slots: Iterable[tuple[str, type]]):
        self._build = build
        self._slots = list(slots)
        for name, kind in self._slots:
            if kind not in (int, str):
                raise PreparedReadError(f"Slot {name} is a {kind.__name__}: use int or str.")
        # Each thread has its own connection, and a compiler belongs to one connection.
        self._local = threading.local()

    def _compiled(self) -> _Compiled:
        compiled = getattr(self._local, "compiled", None)
        if compiled is None or compiled.connection is not connections[compiled.queryset.db]:
            markers = {
                name: _INT_MARKER - n if kind is int else _STR_MARKER.format(n)
                for n, (name, kind) in enumerate(self._slots)
            }
            compiled = _Compiled(
                self._build(**markers), {marker: name for name, marker in markers.items()}
            )
            self._local.compiled = compiled
        return compiled

    def __call__(self, **values: Any) -> list:
        wanted = {name for name, _ in self._slots}
        if set(values) != wanted:
            raise TypeError(f"A prepared read takes {sorted(wanted)}, not {sorted(values)}.")
        for name, kind in self._slots:
            if not isinstance(values[name], kind) or isinstance(values[name], bool):
                raise TypeError(f"Slot {name} takes a {kind.__name__}, not {values[name]!r}.")
        return self._compiled().rows(values)

    def first(self, **values: Any) -> Any:
        found = self(**values)
        return found[0] if found else None


def fill_related(instance: Model, relation: str, rows: list) -> None:
    """Give `instance.<relation>.all()` (a reverse foreign key) these rows without a query,
    as prefetch_related would have: the same cache, filled the same way, and each row's
    link back to `instance` set so reading it costs no query either."""
    manager = getattr(instance, relation)
    field = manager.field
    for row in rows:
        field.set_cached_value(row, instance)
    queryset = manager.get_queryset()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[field.remote_field.cache_name] = queryset


@functools.cache
def _bound_insert_class(base: type) -> type:
    """`base` (Django's INSERT compiler), answering with SQL built earlier and the values of
    the one row being inserted, prepared as Django prepares them (`get_db_prep_save`)."""

    class BoundInsert(base):
        prepared_sql = ""

        def as_sql(self):
            [obj] = self.query.objs
            values = [
                self.prepare_value(field, self.pre_save_val(field, obj))
                for field in self.query.fields
            ]
            return [(self.prepared_sql, values)]

    BoundInsert.__name__ = BoundInsert.__qualname__ = f"Prepared{base.__name__}"
    return BoundInsert


class PreparedInsert:
    """Inserting one row of a model whose rows are written on every page (the audit log),
    with the INSERT statement built once per connection and field list. Use it from the
    model's `_do_insert`, so the rest of `save()` (signals, the key set on the instance)
    happens as usual."""

    def __init__(self) -> None:
        self._local = threading.local()

    def insert(self, obj: Model, using: str, fields: list, returning_fields: list | None):
        """What Django's `_do_insert` returns: the returned columns of the new row."""
        key = (using, tuple(f.attname for f in fields), tuple(returning_fields or ()))
        compilers = self._local.__dict__.setdefault("compilers", {})
        found = compilers.get(key)
        if found is None or found.connection is not connections[using]:
            found = self._compile(obj, using, fields, returning_fields)
            compilers[key] = found
        found.query.objs = [obj]
        return found.execute_sql(returning_fields)

    @staticmethod
    def _compile(obj: Model, using: str, fields: list, returning_fields: list | None):
        query = InsertQuery(type(obj))
        query.insert_values(fields, [obj])
        compiler = query.get_compiler(using=using)
        compiler.returning_fields = returning_fields
        [(sql, params)] = compiler.as_sql()
        if len(params) != len(fields):
            # A field with its own placeholder (several values, or none): its SQL would
            # depend on the value, so it cannot be kept.
            raise PreparedReadError(
                f"{type(obj)._meta.label} has a field whose INSERT placeholder is not one value."
            )
        compiler.__class__ = _bound_insert_class(type(compiler))
        compiler.prepared_sql = sql
        return compiler

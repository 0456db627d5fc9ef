"""Running measures on DuckDB, compiling each measure's SQL once.

Turning an Ibis expression into SQL costs tens of milliseconds, often more than DuckDB
takes to run it on a partnership's few thousand rows, and a page runs the same measures
every time its data change. So `to_arrow` keeps the SQL of each expression by its
structure: the in-memory tables in it (`ibis.memtable`, whose names and data are new
each request) become numbered placeholders, and the data are bound to those names when
the query runs. The same measure over new data then reuses its SQL. A measure can also
be built once over unbound tables (`ibis.table`) and given each request's data by name
(`tables`), which saves building the expression too.

Each query runs on its own DuckDB cursor, and the data are registered on that cursor
only: DuckDB keeps registered tables private to the connection that registered them, so
threads sharing one database never see each other's data, whatever the names. A query
that reads tables of its backend's own connection (which a cursor cannot see) runs on
that connection, one at a time, and drops the data it registered when it ends.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Generic, TypeVar

import duckdb
import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends import BaseBackend
from ibis.backends.duckdb import Backend as DuckDBBackend
from ibis.backends.duckdb.converter import DuckDBPyArrowData

__all__ = ["LruCache", "embedded_engine", "to_arrow"]

V = TypeVar("V")

# How many compiled statements to keep. A page runs a few dozen distinct measures, and
# the months and areas asked for make more; a statement is a few kilobytes.
CACHE_SIZE = 512

# The names the placeholders take in the SQL. Registered on a query's own cursor, they
# cannot meet another query's tables, so they need not be unique.
_SLOT = "saferhub_input_{}"

# Nodes whose meaning the SQL text does not carry alone (Python UDFs must be registered
# on the connection, parameters are bound by Ibis, raw SQL may name anything): such an
# expression goes to Ibis as it is, uncached.
_UNCACHED = (
    ops.ScalarUDF,
    ops.AggUDF,
    ops.ScalarParameter,
    ops.SQLQueryResult,
    ops.SQLStringView,
    ops.GeoSpatialUnOp,
    ops.GeoSpatialBinOp,
)

_engine: DuckDBBackend | None = None
_engine_lock = threading.Lock()
# A backend whose own tables a query reads runs the query on its connection itself (its
# registered tables are private to it); DuckDB allows one query at a time there.
_connection_locks: weakref.WeakKeyDictionary[Any, threading.Lock] = weakref.WeakKeyDictionary()


def embedded_engine() -> DuckDBBackend:
    """The process's in-memory DuckDB, for measures over in-memory tables.

    One database for every thread: `to_arrow` gives each query its own cursor, which is
    how DuckDB lets threads share a database.
    """
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = ibis.duckdb.connect()
        return _engine


def to_arrow(
    expr: ir.Expr, con: BaseBackend | None = None, *, tables: Mapping[str, pa.Table] | None = None
) -> pa.Table:
    """`con.to_pyarrow(expr)`, with the SQL compiled once per measure (see the module).

    `con` is the backend holding any database tables the expression reads; by default
    the embedded engine. Another kind of backend (Spark) runs the expression itself.

    `tables` gives the data of unbound tables (`ibis.table(schema, name)`) by name, in
    their schema: an expression built once over unbound tables runs on each request's
    data without even being built again. An unbound table not given is read from `con`.
    """
    con = con or embedded_engine()
    if isinstance(con, DuckDBBackend):
        shape = _Shape(expr.as_table().op(), tables or {})
        if not shape.uncached:
            return _execute(con, shape, expr)
    return con.to_pyarrow(_bound(expr, tables) if tables else expr)


def _execute(con: DuckDBBackend, shape: _Shape, expr: ir.Expr) -> pa.Table:
    sql = statements.get(shape.key, lambda: embedded_engine().compile(shape.canonical().to_expr()))
    if shape.reads_tables:
        with _lock_for(con.con):
            table = _run(con.con, sql, shape.inputs, own_cursor=False)
    else:
        table = _run(con.con.cursor(), sql, shape.inputs, own_cursor=True)
    return expr.__pyarrow_result__(table, data_mapper=DuckDBPyArrowData)


_NODE = object()  # marks a reference to another node in a shape, never a value


class _Shape:
    """An expression's structure, with what changes between requests but not the SQL
    left out, as a tuple to look its SQL up by; and the data to bind to run it.

    Left out: the names and data of in-memory tables (numbered placeholders instead),
    the backend of database tables (the SQL names them, not their connection), and the
    numbers Ibis gives self references from a global counter (renumbered in order of
    appearance, so distinct references stay distinct).

    Reading the nodes' arguments is much cheaper than rebuilding the expression, so the
    placeholder expression (`canonical`) is built only when its SQL is not cached.
    """

    def __init__(self, op: ops.Relation, tables: Mapping[str, Any]) -> None:
        self.op = op
        self.tables = tables
        nodes = op.find(ops.Node)  # every node once, breadth first from the root
        self.uncached = any(isinstance(node, _UNCACHED) for node in nodes)
        self.position = {node: i for i, node in enumerate(nodes)}
        self.slots: dict[ops.Node, ops.Node] = {}
        self.inputs: dict[str, Any] = {}
        self.numbers: dict[int, int] = {}
        self.reads_tables = False
        self.key = () if self.uncached else tuple(self._entry(node) for node in nodes)

    def _entry(self, node: ops.Node) -> tuple:
        if isinstance(node, ops.InMemoryTable):
            name = _SLOT.format(len(self.slots))
            self.slots[node] = ops.UnboundTable(name=name, schema=node.schema)
            self.inputs[name] = _data(node)
            return (ops.InMemoryTable, name, node.schema)
        if isinstance(node, ops.DatabaseTable):
            self.reads_tables = True
            self.slots[node] = ops.UnboundTable(
                name=node.name, schema=node.schema, namespace=node.namespace
            )
            return (ops.DatabaseTable, node.name, node.schema, node.namespace)
        if isinstance(node, ops.UnboundTable):
            if node.name in self.tables:
                self.inputs[node.name] = self.tables[node.name]
            else:
                self.reads_tables = True
        args = tuple(map(self._value, node.__args__))
        if _renumbered(node):
            number = self.numbers.setdefault(node.identifier, len(self.numbers))
            args = (args[0], number)
        return (type(node), args)

    def _value(self, value: Any) -> Any:
        if isinstance(value, ops.Node):
            return (_NODE, self.position[value])
        if isinstance(value, (tuple, list)):
            return (type(value), tuple(map(self._value, value)))
        if isinstance(value, Mapping):
            return (Mapping, tuple((self._value(k), self._value(v)) for k, v in value.items()))
        return value

    def canonical(self) -> ops.Relation:
        """The expression over the placeholders, as the key describes it."""

        def stand_in(node: ops.Node, kwargs: Mapping[str, Any] | None) -> ops.Node:
            if node in self.slots:
                return self.slots[node]
            if _renumbered(node):
                kwargs = dict(kwargs or zip(node.__argnames__, node.__args__, strict=True))
                kwargs["identifier"] = self.numbers[node.identifier]
                return node.__recreate__(kwargs)
            return node.__recreate__(kwargs) if kwargs else node

        return self.op.replace(stand_in)


def _bound(expr: ir.Expr, tables: Mapping[str, pa.Table]) -> ir.Expr:
    """The expression with the unbound tables `tables` gives as in-memory tables, for a
    backend that runs it through Ibis."""

    def bind(node: ops.Node, kwargs: Mapping[str, Any] | None) -> ops.Node:
        if isinstance(node, ops.UnboundTable) and node.name in tables:
            return ibis.memtable(tables[node.name], schema=node.schema).op()
        return node.__recreate__(kwargs) if kwargs else node

    return expr.op().replace(bind).to_expr()


def _renumbered(node: ops.Node) -> bool:
    # A self reference (`Table.view()`) takes the next number of a counter global to the
    # process; a join reference is numbered by its place in its join, which is structure.
    return isinstance(node, ops.Reference) and not isinstance(node, ops.JoinReference)


def _lock_for(connection: duckdb.DuckDBPyConnection) -> threading.Lock:
    # By the connection, not the backend: Ibis counts every in-memory backend equal.
    with _engine_lock:
        return _connection_locks.setdefault(connection, threading.Lock())


def _data(memtable: ops.InMemoryTable) -> Any:
    # As Ibis registers a memtable on DuckDB: a dataset where the data are one.
    try:
        return memtable.data.to_pyarrow_dataset(memtable.schema)
    except AttributeError:
        return memtable.data.to_pyarrow(memtable.schema)


class LruCache(Generic[V]):
    """The last `size` values built, by key, the least recently used dropped first.

    Safe for threads. A value is built outside the lock, so two threads may build the
    same one at once, harmlessly; nothing else waits for a build.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, build: Callable[[], V]) -> V:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
        value = build()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)


# The SQL of each shape run. Compiling needs no connection, only the DuckDB dialect.
statements: LruCache[str] = LruCache(CACHE_SIZE)


def _run(
    connection: duckdb.DuckDBPyConnection, sql: str, inputs: Mapping[str, Any], *, own_cursor: bool
) -> pa.Table:
    try:
        if own_cursor:
            # A cursor starts with DuckDB's defaults: set what Ibis sets on its connections.
            connection.execute("SET timezone = 'UTC'")
            connection.execute("SET python_enable_replacements = false")
        for name, data in inputs.items():
            connection.register(name, data)
        return connection.sql(sql).to_arrow_table()
    finally:
        if own_cursor:
            connection.close()
        else:
            for name in inputs:
                connection.unregister(name)

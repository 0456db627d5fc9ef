"""The needs queries, built once and run on every caseload.

Building the Ibis expressions of a needs analysis takes about as long as running them, so
they are built over unbound tables, cached, and run on each caseload's data by
`measures.engine.to_arrow` (which binds the profiles by name). The profiles' queries are
built over an unbound table standing for the caseload's own table.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import ibis
import ibis.expr.operations as ops
import ibis.expr.schema as sch
import ibis.expr.types as ir

from saferhub.measures.needs.dimensions import SENTENCE_GROUPINGS
from saferhub.measures.needs.profile import (
    caseload_profile,
    caseload_totals,
    group_totals,
    people_by,
    people_not_assessed,
    sentence_profile,
)

# The names the profiles are bound to when the queries over them run (measures.engine).
PROFILE, SENTENCES = "needs_profile", "needs_sentences"


@dataclass(frozen=True)
class CaseloadQueries:
    """The queries over the people themselves: the two profiles and the people not
    assessed. Built once per kind of caseload table (`caseload_queries`)."""

    profile: ir.Table
    sentences: ir.Table
    not_assessed: ir.Table

    @classmethod
    def over(cls, caseload: ir.Table) -> CaseloadQueries:
        return cls(
            caseload_profile(caseload), sentence_profile(caseload), people_not_assessed(caseload)
        )


@functools.lru_cache(maxsize=8)
def _queries_over_table(table: ops.UnboundTable) -> CaseloadQueries:
    return CaseloadQueries.over(table.to_expr())


def caseload_queries(caseload: ir.Table) -> CaseloadQueries:
    """The caseload queries, built over an unbound table of the same name and schema when
    the caseload is a table of its backend: every caseload then shares one set of
    expressions, so building them (a good part of a page's time) happens once."""
    op = caseload.op()
    if isinstance(op, ops.DatabaseTable):
        return _queries_over_table(
            ops.UnboundTable(name=op.name, schema=op.schema, namespace=op.namespace)
        )
    return CaseloadQueries.over(caseload)


@functools.lru_cache(maxsize=32)
def grouped_totals(profile: sch.Schema, dimensions: tuple[str, ...]) -> ir.Table:
    """group_totals for each dimension in one query, each row saying its dimension."""
    table = ibis.table(profile, name=PROFILE)
    parts = [
        group_totals(table, d).rename(group=d).mutate(dimension=ibis.literal(d)) for d in dimensions
    ]
    return ibis.union(*parts) if len(parts) > 1 else parts[0]


@functools.lru_cache(maxsize=32)
def people_by_pairs(
    profile: sch.Schema, sentences: sch.Schema, pairs: tuple[tuple[str, str], ...]
) -> ir.Table:
    """people_by for each (rows, columns) pair in one query, each row saying its pair."""
    tables = {PROFILE: ibis.table(profile, name=PROFILE)}
    tables[SENTENCES] = ibis.table(sentences, name=SENTENCES)
    parts = [
        people_by(tables[SENTENCES if r in SENTENCE_GROUPINGS else PROFILE], r, c)
        .rename(row=r, column=c)
        .mutate(rows=ibis.literal(r), columns=ibis.literal(c))
        for r, c in pairs
    ]
    return ibis.union(*parts) if len(parts) > 1 else parts[0]


@functools.lru_cache(maxsize=8)
def totals_query(profile: sch.Schema) -> ir.Table:
    """caseload_totals over the profile."""
    return caseload_totals(ibis.table(profile, name=PROFILE))

"""Running the needs measures on a caseload: one pass over the people, then every table,
the comparison with another area, and the people not yet assessed (`analyse`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ibis.expr.types as ir
import pyarrow as pa

from saferhub.measures.engine import to_arrow
from saferhub.measures.needs.dimensions import DIMENSIONS, Dimension
from saferhub.measures.needs.queries import (
    PROFILE,
    SENTENCES,
    caseload_queries,
    grouped_totals,
    people_by_pairs,
    totals_query,
)
from saferhub.measures.needs.results import (
    ASSESSED,
    NO,
    NOT_ASSESSED,
    PEOPLE,
    YES,
    Comparison,
    ComparisonRow,
    CrossTab,
    NeedsAnalysis,
    NotAssessed,
)
from saferhub.measures.needs.tables import TableSpec, default_tables
from saferhub.rules import needs as rules
from saferhub.rules.needs import Item

if TYPE_CHECKING:
    from saferhub.sources.caseload import Caseload


def _present_groups(dimension: Dimension, counts: Mapping[str, int]) -> tuple[str, ...]:
    return tuple(g for g in dimension.groups if g in dimension.always or counts.get(g, 0) > 0)


def _smd_rows() -> tuple[Item, ...]:
    rows = [Item(d.code, d.label) for d in rules.SMD_DOMAINS]
    rows += [
        Item(f"{rules.SMD_THRESHOLD}_or_more", "Severe multiple disadvantage (2 or more domains)"),
        Item("3_or_more", "3 or more domains"),
        Item(f"{len(rules.SMD_DOMAINS)}_or_more", "All 4 domains"),
    ]
    return tuple(rows)


class _Runner:
    """Runs the measures on one caseload's profiles.

    Each query has a fixed cost, so the groupings the tables need are run together: one
    query for every group_totals, one for every people_by, besides the one pass over
    the people that makes the profiles. The queries over the profiles are built once,
    over unbound tables, and run on each caseload's profiles.
    """

    def __init__(self, caseload: Caseload, specs: Sequence[TableSpec] = ()) -> None:
        backend = caseload.backend
        self.backend = backend
        self.queries = caseload_queries(caseload.table)
        # The one pass over the people; everything after works on its few hundred rows.
        self.tables = {
            PROFILE: to_arrow(self.queries.profile, backend),
            SENTENCES: to_arrow(self.queries.sentences, backend),
        }
        self._by: dict[str, dict[str, dict[str, Any]]] = {}
        self._people: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._load_groups(sorted({s.dimension for s in specs if s.kind != "people"}))
        pairs = {(s.rows_dimension, s.dimension) for s in specs if s.rows_dimension}
        self._load_people(sorted(pairs))

    def rows(self, expr: ir.Table) -> list[dict[str, Any]]:
        """`expr`, built over the unbound profiles, run on this caseload's."""
        return to_arrow(expr, self.backend, tables=self.tables).to_pylist()

    def _load_groups(self, dimensions: Sequence[str]) -> None:
        if not dimensions:
            return
        for row in self.rows(grouped_totals(self.queries.profile.schema(), tuple(dimensions))):
            if row["group"] is not None:
                self._by.setdefault(row["dimension"], {})[row["group"]] = row
        for d in dimensions:
            self._by.setdefault(d, {})

    def _load_people(self, pairs: Sequence[tuple[str, str]]) -> None:
        if not pairs:
            return
        expr = people_by_pairs(
            self.queries.profile.schema(), self.queries.sentences.schema(), tuple(pairs)
        )
        for row in self.rows(expr):
            key = (row["rows"], row["columns"])
            self._people.setdefault(key, []).append(
                {key[0]: row["row"], key[1]: row["column"], "people": row["people"]}
            )
        for pair in pairs:
            self._people.setdefault(pair, [])

    def totals(self) -> dict[str, int]:
        row = self.rows(totals_query(self.queries.profile.schema()))[0]
        return {name: value or 0 for name, value in row.items()}

    def by(self, dimension: str) -> dict[str, dict[str, Any]]:
        """group_totals for a dimension, by group (needs_by, registrations_by, smd_by and
        assessment_coverage are each a selection of these columns)."""
        if dimension not in self._by:
            self._load_groups([dimension])
        return self._by[dimension]

    def people_by(self, rows: str, columns: str) -> list[dict[str, Any]]:
        if (rows, columns) not in self._people:
            self._load_people([(rows, columns)])
        return self._people[(rows, columns)]

    def not_assessed(self) -> pa.Table:
        return to_arrow(self.queries.not_assessed, self.backend)


def _cross_tab(spec: TableSpec, run: _Runner, totals: Mapping[str, int]) -> CrossTab:
    dimension = DIMENSIONS[spec.dimension]
    counts: dict[tuple[str, str, str], int] = {}
    notes: list[str] = []
    if spec.kind == "people" or spec.kind == "coverage":
        rows_dimension = DIMENSIONS[spec.rows_dimension or spec.dimension]
        if spec.kind == "coverage":
            per_row = run.by(spec.dimension)
            row_labels = _present_groups(dimension, {k: v["people"] for k, v in per_row.items()})
            columns: tuple[str, ...] = (ASSESSED, NOT_ASSESSED)
            for label in row_labels:
                row = per_row.get(label, {"people": 0, "assessed": 0})
                counts[(label, ASSESSED, PEOPLE)] = row["assessed"]
                counts[(label, NOT_ASSESSED, PEOPLE)] = row["people"] - row["assessed"]
            population = sum(r["people"] for r in per_row.values())
        else:
            data = run.people_by(rows_dimension.column, spec.dimension)
            by_row: dict[str, int] = {}
            by_column: dict[str, int] = {}
            for r in data:
                row_label, column = r[rows_dimension.column], r[spec.dimension]
                counts[(row_label, column, PEOPLE)] = r["people"]
                by_row[row_label] = by_row.get(row_label, 0) + r["people"]
                by_column[column] = by_column.get(column, 0) + r["people"]
            row_labels = _present_groups(rows_dimension, by_row)
            columns = _present_groups(dimension, by_column)
            population = sum(by_row.values())
        return CrossTab(
            key=spec.key,
            title=spec.title,
            row_heading=rows_dimension.label.capitalize()
            if spec.kind == "people"
            else dimension.label.capitalize(),
            rows=tuple(Item(label, label) for label in row_labels),
            columns=columns,
            answers=(PEOPLE,),
            counts=counts,
            base=spec.base,
            population=population,
            population_label="people on the caseload",
            notes=tuple(notes),
        )

    if spec.kind == "needs":
        items = rules.NEEDS
        row_heading, population_label = "Criminogenic need", "assessed people"
        group_size = "assessed"
    elif spec.kind == "registrations":
        items = rules.REGISTRATIONS
        row_heading, population_label = "Registration", "people on the caseload"
        group_size = "people"
    else:
        items = _smd_rows()
        row_heading, population_label = "Domain", "assessed people"
        group_size = "assessed"
    per_group = run.by(spec.dimension)
    columns = _present_groups(dimension, {g: r[group_size] for g, r in per_group.items()})
    for group in columns:
        r = per_group.get(group)
        for item in items:
            if r is None:
                yes = no = 0
            elif spec.kind == "needs":
                yes, no = r[f"need_{item.code}_yes"], r[f"need_{item.code}_no"]
            elif spec.kind == "registrations":
                yes = r[f"reg_{item.code}"]
                no = r["people"] - yes
            else:
                yes = r[f"smd_{item.code}"]
                no = r["assessed"] - yes
            counts[(item.code, group, YES)] = yes
            counts[(item.code, group, NO)] = no
    population = sum(per_group[g][group_size] for g in columns if g in per_group)
    left_out = totals[group_size] - population
    if left_out:
        who = "people" if group_size == "people" else "assessed people"
        why = {
            "ethnic_group": "their ethnicity was refused or not recorded",
        }.get(spec.dimension, f"their {dimension.label} is not one of these groups")
        notes.append(f"{left_out:,} {who} are not in this table because {why}.")
    if group_size == "assessed" and totals["people"] > totals["assessed"]:
        missing = totals["people"] - totals["assessed"]
        notes.append(
            f"{missing:,} people on the caseload have no OASys assessment and are not in this "
            "table; see 'OASys assessments by setting'."
        )
    return CrossTab(
        key=spec.key,
        title=spec.title,
        row_heading=row_heading,
        rows=tuple(items),
        columns=columns,
        answers=(YES, NO),
        counts=counts,
        base=spec.base,
        population=population,
        population_label=population_label,
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class _Prevalence:
    needs: dict[str, int]
    assessed: int
    registrations: dict[str, int]
    people: int


def _prevalence(totals: Mapping[str, int]) -> _Prevalence:
    return _Prevalence(
        needs={n.code: totals[f"need_{n.code}_yes"] for n in rules.NEEDS},
        assessed=totals["assessed"],
        registrations={r.code: totals[f"reg_{r.code}"] for r in rules.REGISTRATIONS},
        people=totals["people"],
    )


def _comparisons(
    this: _Prevalence, other: _Prevalence, area: str, other_area: str
) -> tuple[Comparison, ...]:
    def rows(
        items: tuple[Item, ...],
        mine: dict[str, int],
        base: int,
        theirs: dict[str, int],
        other_base: int,
    ) -> tuple[ComparisonRow, ...]:
        return tuple(
            ComparisonRow(
                item.code, item.label, mine[item.code], base, rules.percent(mine[item.code], base),
                theirs[item.code], other_base, rules.percent(theirs[item.code], other_base),
            )
            for item in items
        )  # fmt: skip

    return (
        Comparison(
            "needs_comparison",
            f"Criminogenic needs: {area} and {other_area}",
            area,
            other_area,
            "assessed people",
            rows(rules.NEEDS, this.needs, this.assessed, other.needs, other.assessed),
        ),
        Comparison(
            "registrations_comparison",
            f"nDelius registrations: {area} and {other_area}",
            area,
            other_area,
            "people on the caseload",
            rows(
                rules.REGISTRATIONS,
                this.registrations,
                this.people,
                other.registrations,
                other.people,
            ),
        ),
    )


def analyse(
    caseload: Caseload,
    *,
    area: str = "This area",
    comparison: Caseload | None = None,
    comparison_area: str = "Comparison area",
    tables: Sequence[TableSpec] | None = None,
) -> NeedsAnalysis:
    """Run every table on a validated caseload (and a comparison area's, if given)."""
    specs = tuple(tables or default_tables())
    run = _Runner(caseload, specs)
    totals = run.totals()
    prevalence = _prevalence(totals)
    crosstabs = tuple(_cross_tab(spec, run, totals) for spec in specs)
    comparisons: tuple[Comparison, ...] = ()
    if comparison is not None:
        other = _prevalence(_Runner(comparison).totals())
        comparisons = _comparisons(prevalence, other, area, comparison_area)
    # Column by column: a national caseload has a hundred thousand people to list.
    listed = run.not_assessed()
    not_assessed = tuple(
        map(
            NotAssessed,
            *(listed[c].to_pylist() for c in ("crn", "setting", "sentence_type", "tier")),
        )
    )
    return NeedsAnalysis(
        source=caseload.source,
        as_of=caseload.as_of,
        as_of_given=caseload.as_of_given,
        area=area,
        people=prevalence.people,
        assessed=prevalence.assessed,
        tables=crosstabs,
        comparisons=comparisons,
        not_assessed=not_assessed,
    )

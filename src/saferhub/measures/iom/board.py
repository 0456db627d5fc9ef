"""The queries behind the IOM board figures, built once per report month.

Building the Ibis expressions of the board takes about as long as running them, and the
board is worked out again whenever the data change. So the queries are built over
unbound tables named after the inputs (`input_tables`), kept for each report month and
the inputs' schemas, and run on each request's data by `measures.engine.to_arrow`, which
binds the tables by name.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import ibis
import ibis.expr.schema as sch
import ibis.expr.types as ir
import pyarrow as pa

from saferhub.measures.iom.cohort import cohort_composition, members_on, offences_by_members
from saferhub.measures.iom.costs import cost_of_crime_avoided, unit_costs_arrow
from saferhub.measures.iom.offending import (
    concentration,
    empty_custody,
    offences_avoided,
    offending_rates,
)
from saferhub.measures.iom.pathways import pathway_outcomes
from saferhub.measures.iom_figures import IomInputs
from saferhub.measures.reoffending import reoffending_cohorts
from saferhub.rules.periods import Month, Window
from saferhub.rules.reoffending import QUARTERLY_COHORTS, cohort_windows
from saferhub.sources.offences import offence_catalogue

# Report months and option sets asked for between two data changes: a few, so a few more.
CACHE_SIZE = 16
# The offences avoided, once run, bound under this name for the cost query: costing them
# then joins a few rows to the unit costs instead of working the offences avoided out again.
AVOIDED = "iom_avoided"


def input_tables(inputs: IomInputs) -> dict[str, pa.Table]:
    """The inputs by the names the queries read them under; optional ones only if given."""
    tables = {
        "iom_offences": inputs.offences,
        "iom_cohort": inputs.cohort,
        "iom_tiers": inputs.tiers,
        "iom_unit_costs": unit_costs_arrow(inputs.unit_costs),
    }
    for name in ("custody", "pathways", "disposals"):
        if (table := getattr(inputs, name)) is not None:
            tables[f"iom_{name}"] = table
    return tables


def snapshot_dates(to: Month, count: int = 5) -> list[date]:
    """The dates the cohort's make-up is shown on: the report date and the ends of the
    quarters before it, `count` in all, oldest first."""
    report_date = to.last_day
    quarter_end = to if to.month % 3 == 0 else to - (to.month % 3)
    dates = [(quarter_end - 3 * k).last_day for k in range(count)]
    if dates[0] != report_date:
        dates = [report_date, *dates[: count - 1]]
    return sorted(dates)


def reoffending_quarters(to: Month) -> tuple[tuple[date, date], ...]:
    """The latest 12 months whose 18-month window has closed by the end of `to`, as the
    MoJ's annual figure: four 3-month cohorts, pooled (rules.reoffending)."""
    last = to - 18
    first = last - 11
    quarters = cohort_windows(Window(first, last), QUARTERLY_COHORTS)  # type: ignore[arg-type]
    return tuple((q.first.first_day, q.last.last_day) for q in quarters)


@dataclass(frozen=True)
class BoardQueries:
    """Every query of the board for one report month. Those of optional inputs are None
    when the input was not given."""

    rates: ir.Table
    avoided: ir.Table
    cost: ir.Table  # over the offences avoided, bound as AVOIDED
    composition: ir.Table
    # offences_by_members for the quarter, the quarter before and the year, in one query
    # (a query has a fixed cost): column `period` says which, ordered as each is ordered.
    members: ir.Table
    concentration: ir.Table
    pathways: ir.Table | None
    reoffending: ir.Table | None


def board_queries(to: Month, top: int, tables: Mapping[str, pa.Table]) -> BoardQueries:
    """The board's queries for report month `to` over `tables` (`input_tables`)."""
    schemas = tuple(sorted((n, sch.Schema.from_pyarrow(t.schema)) for n, t in tables.items()))
    return _board_queries(to, top, schemas)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _board_queries(
    to: Month, top: int, schemas: tuple[tuple[str, sch.Schema], ...]
) -> BoardQueries:
    t = {name: ibis.table(schema, name=name) for name, schema in schemas}
    offences, cohort = t["iom_offences"], t["iom_cohort"]
    custody = t["iom_custody"] if "iom_custody" in t else empty_custody()
    report_date = to.last_day
    families = offence_catalogue().families
    quarter, year = Window.ending(to, 3), Window.ending(to, 12)
    previous = quarter.preceding
    avoided = offences_avoided(cohort, offences, custody, report_date)
    pathways = reoffending = None
    if "iom_pathways" in t:
        pathways = pathway_outcomes(t["iom_pathways"], year.first.first_day, report_date)
    if "iom_disposals" in t:
        reoffending = reoffending_cohorts(
            t["iom_disposals"], offences, reoffending_quarters(to), spells=cohort
        )
    periods = {
        "this_quarter": (quarter.first.first_day, report_date),
        "last_quarter": (previous.first.first_day, previous.last.last_day),
        "year": (year.first.first_day, report_date),
    }
    members = ibis.union(
        *(
            offences_by_members(cohort, offences, first, last, families).mutate(
                period=ibis.literal(name)
            )
            for name, (first, last) in periods.items()
        )
    ).order_by(["period", ibis.desc("offences"), "family"])
    return BoardQueries(
        rates=offending_rates(cohort, offences, custody, report_date),
        avoided=avoided,
        cost=cost_of_crime_avoided(ibis.table(avoided.schema(), name=AVOIDED), t["iom_unit_costs"]),
        composition=cohort_composition(members_on(cohort, t["iom_tiers"], snapshot_dates(to))),
        members=members,
        concentration=concentration(offences, year.first.first_day, report_date, top),
        pathways=pathways,
        reoffending=reoffending,
    )

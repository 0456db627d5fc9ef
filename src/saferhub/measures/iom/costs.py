"""What the crime avoided would have cost: offences avoided times unit costs."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from saferhub.rules.costs import UnitCostTable


def unit_costs_table(costs: UnitCostTable) -> ir.Table:
    """A unit-cost table as an Ibis table (offence_group, unit_cost, status)."""
    return ibis.memtable(unit_costs_arrow(costs))


def unit_costs_arrow(costs: UnitCostTable) -> pa.Table:
    """A unit-cost table as Arrow, the rows of `unit_costs_table`."""
    rows = list(costs.costs.values())
    return pa.table(
        {
            "offence_group": [c.offence_group for c in rows],
            "unit_cost": [float(c.pounds) for c in rows],
            "cost_status": [c.status for c in rows],
        },
        schema=pa.schema(
            [
                ("offence_group", pa.string()),
                ("unit_cost", pa.float64()),
                ("cost_status", pa.string()),
            ]
        ),
    )


def cost_of_crime_avoided(avoided: ir.Table, unit_costs: ir.Table) -> ir.Table:
    """The cost of crime avoided: offences avoided in each group times its unit cost.

    Unit costs are the Home Office's economic and social costs of crime (2018, 2015/16
    prices) unless a partnership gives its own; groups without a unit cost are not costed
    (BRIEF.md, "Cost of crime"; seed 002, 5.2.3: about £470,000 a year from burglary).
    """
    joined = avoided.left_join(unit_costs, "offence_group")
    return joined.select(
        avoided.offence_group,
        avoided.avoided,
        avoided.avoided_a_year,
        joined.unit_cost,
        joined.cost_status,
        cost_avoided=joined.avoided * joined.unit_cost,
        cost_avoided_a_year=joined.avoided_a_year * joined.unit_cost,
    ).order_by(ibis.desc("cost_avoided"), "offence_group")

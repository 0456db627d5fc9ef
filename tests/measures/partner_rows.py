"""Partner breakdown tables for tests, built from (area, month, measure, category, value) rows."""

from __future__ import annotations

import pyarrow as pa

from saferhub.rules.periods import Month
from saferhub.sources.london import require_borough
from saferhub.sources.partner_breakdowns import NATIONAL, SCHEMA


def breakdowns(*rows: tuple[str, str, str, str, int]) -> pa.Table:
    out = []
    for area, month, measure, category, value in rows:
        if area == NATIONAL:
            code, name = "", NATIONAL
        else:
            borough = require_borough(area)
            code, name = borough.code, borough.name
        out.append(
            {
                "area_code": code,
                "area_name": name,
                "month": Month.parse(month).first_day,
                "measure": measure,
                "category": category,
                "value": value,
                "source": "test.csv",
            }
        )
    return pa.Table.from_pylist(out, schema=SCHEMA)

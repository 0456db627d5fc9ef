"""Storing validated partner breakdowns (docs/formats/partner-breakdowns.md).

A partner sends a file each month, or re-sends a corrected one: the figures a file gives
replace the stored figures of the same area, month and measure, and every other month is
kept. One transaction, one "import" audit event. The counts are aggregates: no personal
data lives here.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
from django.db import transaction
from django.db.models import Q

from saferhub.app.data_version import bump_data_version
from saferhub.web.audit.log import record
from saferhub.web.insights.models import BreakdownValue


def store_breakdowns(table: pa.Table, request=None) -> int:
    """Store the rows of a validated breakdowns table (`read_breakdowns_files`); returns how
    many were stored. `request` names who imported them in the audit (None: the acting
    system, e.g. the demo)."""
    rows = table.to_pylist()
    if not rows:
        return 0
    replaced = {(r["area_name"], r["month"], r["measure"]) for r in rows}
    with transaction.atomic():
        for chunk in _chunks(sorted(replaced), 200):
            match = Q()
            for area, month, measure in chunk:
                match |= Q(area_name=area, month=month, measure=measure)
            BreakdownValue.objects.filter(match).delete()
        BreakdownValue.objects.bulk_create(
            [
                BreakdownValue(
                    area_code=r["area_code"],
                    area_name=r["area_name"],
                    month=r["month"],
                    measure=r["measure"],
                    category=r["category"],
                    value=r["value"],
                    file=r["source"],
                )
                for r in rows
            ],
            batch_size=5000,
        )
        files = sorted({r["source"] for r in rows})
        record(
            request,
            "import",
            summary=f"Loaded partner breakdowns from {', '.join(files)}: {len(rows):,} figures",
            detail={"files": files, "figures": len(rows)},
        )
        # bulk_create skips save(), so the cached figures are made stale here.
        bump_data_version("insights")
    return len(rows)


def _chunks(items: Sequence, size: int) -> list[Sequence]:
    return [items[start : start + size] for start in range(0, len(items), size)]

"""ASB statistics: read the app's ASB records, count, publish for an audience, render.

The statistics page, the board pack and the crime dashboard's recorded tools and powers
all come through here: the counting is `measures.asb`, the audience is applied once by
`app.publish.asb`, and the page and the board pack render that one published result
(`reports.panels`). Only dates, codes and flags are read: no names, no personal details.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from saferhub.app import publish
from saferhub.app.data_version import cached
from saferhub.measures.asb import (
    AsbStatistics,
    AsbTables,
    PublishedStatistics,
    quarterly_statistics,
    series_table,
)
from saferhub.reports.panels import asb_report
from saferhub.reports.writers import render_html_fragment
from saferhub.rules.asb import working_days_between
from saferhub.rules.disclosure import Audience
from saferhub.rules.periods import FinancialQuarter
from saferhub.sources.bank_holidays import england_and_wales

AREAS = ("asb",)  # the app whose tables the statistics read


def _review_rows() -> list[dict]:
    from saferhub.web.asb.models import Review

    rows = list(Review.objects.values_list("pk", "requested_on", "threshold_met", "completed_on"))
    done = [r for r in rows if r[3] is not None]
    holidays = (
        england_and_wales(min(r[1] for r in done), max(r[3] for r in done)) if done else set()
    )
    return [
        {
            "review_id": str(pk),
            "requested_on": asked,
            "threshold_met": met,
            "completed_on": completed,
            "working_days": working_days_between(asked, completed, holidays) if completed else None,
        }
        for pk, asked, met, completed in rows
    ]


def _tool_use_rows() -> list[dict]:
    from saferhub.web.asb.models import ToolUse

    return [
        {"use_id": str(pk), "kind": kind, "used_on": day}
        for pk, kind, day in ToolUse.objects.values_list("pk", "kind", "used_on")
    ]


def stored_tables() -> AsbTables:
    """The four canonical tables, from every record (counts cover the whole partnership)."""
    from saferhub.web.asb.models import AsbCase, Incident

    return AsbTables.from_rows(
        cases=[
            {"case_id": str(pk), "opened_on": day}
            for pk, day in AsbCase.objects.values_list("pk", "opened_on")
        ],
        incidents=[
            {"incident_id": str(pk), "occurred_on": day}
            for pk, day in Incident.objects.values_list("pk", "occurred_on")
        ],
        reviews=_review_rows(),
        tool_uses=_tool_use_rows(),
    )


def compute(quarters: Sequence[FinancialQuarter]) -> AsbStatistics:
    """Every ASB figure for each of `quarters`, counted from the database."""
    return quarterly_statistics(stored_tables(), quarters)


def statistics(
    quarters: Sequence[FinancialQuarter], audience: Audience = Audience.PARTNERSHIP
) -> PublishedStatistics:
    """The statistics published for `audience`, cached until the ASB records next change."""
    ordered = tuple(sorted(set(quarters)))
    return cached(
        "asb-statistics",
        (tuple(q.key for q in ordered), audience.value),
        lambda: publish.asb(compute(ordered), audience),
        AREAS,
    )


def recorded_tool_series(area_code: str, area_name: str) -> pa.Table | None:
    """Monthly counts of recorded tools and powers in the partner series shape, or None when
    nothing is recorded (then partner files, if any, still supply the figures)."""
    rows = _tool_use_rows()
    if not rows:
        return None
    uses = AsbTables.from_rows(tool_uses=rows).tool_uses
    return series_table(uses, area_code=area_code, area_name=area_name)


def page_fragment(published: PublishedStatistics) -> str:
    """The published statistics as the HTML the page includes under its own heading."""
    return render_html_fragment(asb_report(published), heading_level=2)

"""Partner breakdowns (CCTV, Prevent, hate crime, ASB tools and powers) as an audience
may see them."""

from __future__ import annotations

from dataclasses import replace

from saferhub.measures.partner import (
    Breakdown,
    ChangeRow,
    HateCrime,
    PartnerFigures,
    PreventComparison,
    ToolsByMonth,
)
from saferhub.rules.disclosure import (
    SUPPRESSED,
    Audience,
    marker_for,
    protect_table,
    suppress_counts,
)


def partner(figures: PartnerFigures, audience: Audience) -> PartnerFigures:
    """The partner figures as `audience` may see them.

    Public: each breakdown (CCTV by ward, by incident type, by hour band) is a list of counts
    published with its total, so counts of 1 to 4 are hidden with enough others that none can
    be worked out from the total, and the % of a hidden count is hidden too; tools and powers
    are a table of months by tool published with each tool's total, protected as one table;
    hate crime strands are flags that overlap, not parts of the total, so each count of 1 to
    4 is hidden on its own; a change worked out from a hidden count is hidden. Prevent
    referrals are shown as the total only: the breakdown never reaches the public.
    Other audiences see every figure.
    """
    if not audience.suppresses:
        return replace(figures, audience=audience)
    return replace(
        figures,
        cctv_by_ward=_partner_breakdown(figures.cctv_by_ward),
        cctv_by_type=_partner_breakdown(figures.cctv_by_type),
        cctv_by_hour=_partner_breakdown(figures.cctv_by_hour),
        prevent=_prevent_total_only(figures.prevent),
        hate_crime=_hate_crime(figures.hate_crime),
        tools=_tools(figures.tools),
        audience=audience,
    )


def _small(count: object) -> bool:
    return isinstance(count, int) and 1 <= count <= 4


def _partner_breakdown(breakdown: Breakdown | None) -> Breakdown | None:
    if breakdown is None:
        return None
    counts = [int(row.count) for row in breakdown.rows]
    total = int(breakdown.total)
    # A total of 1 to 4 gives away every count under it: the whole list is hidden.
    mask = [count > 0 for count in counts] if _small(total) else suppress_counts(counts)
    marker = marker_for([counts], [mask])
    rows = tuple(
        replace(row, count=marker, percent=None) if hide else row
        for row, hide in zip(breakdown.rows, mask, strict=True)
    )
    return replace(breakdown, rows=rows, total=marker if _small(total) else total)


def _hidden_change(row: ChangeRow) -> ChangeRow:
    previous = SUPPRESSED if _small(row.previous) else row.previous
    current = SUPPRESSED if _small(row.current) else row.current
    hidden = previous != row.previous or current != row.current
    return replace(
        row, previous=previous, current=current, change_pct=None if hidden else row.change_pct
    )


def _prevent_total_only(prevent: PreventComparison | None) -> PreventComparison | None:
    if prevent is None:
        return None
    return replace(prevent, rows=(_hidden_change(prevent.total),), detail_withheld=True)


def _hate_crime(hate: HateCrime | None) -> HateCrime | None:
    if hate is None:
        return None
    return replace(
        hate,
        total=_hidden_change(hate.total),
        strands=tuple(_hidden_change(s) for s in hate.strands),
    )


def _tools(tools: ToolsByMonth | None) -> ToolsByMonth | None:
    if tools is None:
        return None
    # The tool totals go in as one more row: a total of 1 to 4 is hidden like any count, and
    # the cells under it with it.
    grid = [[int(c) for c in row] for row in tools.counts] + [[int(c) for c in tools.totals]]
    shown = protect_table(grid, Audience.PUBLIC)
    return replace(tools, counts=tuple(tuple(r) for r in shown[:-1]), totals=tuple(shown[-1]))

"""The probation caseload needs analysis as an audience may see it."""

from __future__ import annotations

from dataclasses import replace

from saferhub.measures.needs import PEOPLE, Comparison, ComparisonRow, CrossTab, NeedsAnalysis
from saferhub.rules.disclosure import (
    Audience,
    suppress_counts,
    suppress_table,
)


def _suppress_crosstab(table: CrossTab) -> CrossTab:
    hidden: set[tuple[str, str, str]] = set()
    if table.is_yes_no:
        # Per question: yes and no by group, with the group sizes and the yes and no
        # totals treated as published.
        for row in table.rows:
            grid = [[table.raw_count(row.code, c, a) for c in table.columns] for a in table.answers]
            mask = suppress_table(grid)
            for a_index, answer in enumerate(table.answers):
                for c_index, column in enumerate(table.columns):
                    if mask[a_index][c_index]:
                        hidden.add((row.code, column, answer))
    else:
        grid = [[table.raw_count(r.code, c, PEOPLE) for c in table.columns] for r in table.rows]
        mask = suppress_table(grid)
        for r_index, row in enumerate(table.rows):
            for c_index, column in enumerate(table.columns):
                if mask[r_index][c_index]:
                    hidden.add((row.code, column, PEOPLE))
    return replace(table, hidden=frozenset(hidden))


def _suppress_comparison(comparison: Comparison) -> Comparison:
    def protect(row: ComparisonRow) -> ComparisonRow:
        mine = suppress_counts([row.count or 0, row.base - (row.count or 0)])
        theirs = suppress_counts([row.other_count or 0, row.other_base - (row.other_count or 0)])
        if mine[0]:
            row = replace(row, count=None, percent=None)
        if theirs[0]:
            row = replace(row, other_count=None, other_percent=None)
        return row

    return replace(comparison, rows=tuple(protect(r) for r in comparison.rows))


def needs(analysis: NeedsAnalysis, audience: Audience) -> NeedsAnalysis:
    """The needs analysis as `audience` may see it.

    Restricted (probation): everything, with the people not yet assessed listed by CRN.
    Partnership: every count, no one listed. Public: counts of 1 to 4 hidden, with enough
    other cells that no hidden count can be worked out from the totals, and no one listed.
    """
    if audience is Audience.RESTRICTED:
        return analysis
    if audience is Audience.PARTNERSHIP:
        return replace(analysis, not_assessed=(), lists_people=False)
    return replace(
        analysis,
        tables=tuple(_suppress_crosstab(t) for t in analysis.tables),
        comparisons=tuple(_suppress_comparison(c) for c in analysis.comparisons),
        not_assessed=(),
        public=True,
        lists_people=False,
    )

"""Publish a computed result for an audience: the one stage where disclosure control runs.

Every format (web page, HTML, XLSX, PDF, JSON) renders the result this module returns,
so the same audience sees the same figures everywhere. The rules themselves (what to
hide, how to mark it) are pure and live in `saferhub.rules.disclosure`; the conventions
are in docs/disclosure.md.

What each audience sees:
- restricted: everything, with any casework list (named or identifying rows);
- partnership: every count, no casework list;
- public: counts of people from 1 to 4 hidden, with whatever would give them away
  (secondary suppression across each published table), and no casework list.
"""

from __future__ import annotations

from dataclasses import replace

from saferhub.measures.iom_figures import IomFigures
from saferhub.measures.reoffending_area import AreaReoffending
from saferhub.rules.disclosure import CONFIDENTIAL, Audience, is_hidden, marker_for, protect_table

REOFFENDING_DERIVED = ("reoffenders", "reoffences", "rate_pct", "per_offender", "per_reoffender")
IOM_OUTCOMES = ("achieved", "partially_achieved", "not_achieved", "withdrawn", "open")


def iom(figures: IomFigures, audience: Audience) -> IomFigures:
    """The IOM figures as `audience` may see them.

    Cohort composition is published as one table per dimension (snapshot dates by
    category, each row totalling the cohort size), so the board's quarter-end table, the
    latest-date tables and the JSON hide the same cells.
    """
    composition = _composition(figures, audience)
    return replace(
        figures,
        composition=composition,
        pathways=_pathways(figures.pathways, audience),
        selection=figures.selection if audience.sees_people else None,
        deselection=figures.deselection if audience.sees_people else None,
        audience=audience,
    )


def _composition(figures: IomFigures, audience: Audience) -> dict:
    days = [d.isoformat() for d in figures.snapshot_dates]
    days += [d for d in figures.composition if d not in days]
    dimensions: dict[str, list[str]] = {}
    for day in days:
        for dimension, counts in figures.composition.get(day, {}).items():
            known = dimensions.setdefault(dimension, [])
            known.extend(c for c in counts if c not in known)
    shown: dict = {day: {} for day in days if day in figures.composition}
    for dimension, categories in dimensions.items():
        present = [day for day in days if dimension in figures.composition.get(day, {})]
        grid = [
            [int(figures.composition[day][dimension].get(c, 0)) for c in categories]
            for day in present
        ]
        published = protect_table(grid, audience)
        for day, row in zip(present, published, strict=True):
            original = figures.composition[day][dimension]
            # Categories absent on a day stay absent, unless hidden as a secondary cell:
            # dropping a hidden cell would leave its partner recoverable from the total.
            shown[day][dimension] = {
                c: value
                for c, value in zip(categories, row, strict=True)
                if c in original or is_hidden(value)
            }
    return shown


def _pathways(pathways: list[dict] | None, audience: Audience) -> list[dict] | None:
    if pathways is None:
        return None
    grid = protect_table([[row[o] for o in IOM_OUTCOMES] for row in pathways], audience)
    shown = []
    for row, counts in zip(pathways, grid, strict=True):
        # A rate from a hidden count would give the count back.
        safe = not any(is_hidden(c) for c in counts)
        shown.append(
            {
                **row,
                **dict(zip(IOM_OUTCOMES, counts, strict=True)),
                "outcome_rate_pct": row["outcome_rate_pct"] if safe else None,
                "achieved_rate_pct": row["achieved_rate_pct"] if safe else None,
            }
        )
    return shown


def reoffending(result: AreaReoffending, audience: Audience) -> AreaReoffending:
    """Proven reoffending as `audience` may see it.

    Each cohort splits into reoffenders and those who did not reoffend, published with
    their total (the cohort). If either is hidden, both are, and so is every figure
    worked out from them (reoffences, the rate, reoffences per offender and reoffender).
    """
    hidden: dict[str, frozenset[str]] = {}
    marker = CONFIDENTIAL
    for which in ("cohort", "previous"):
        figures = getattr(result, which)
        split = [figures.reoffenders, figures.offenders - figures.reoffenders]
        shown = protect_table([split], audience)[0]
        if any(is_hidden(value) for value in shown):
            marker = marker_for([split], [[is_hidden(v) for v in shown]])
            hidden[which] = frozenset(REOFFENDING_DERIVED)
    return replace(result, audience=audience, hidden=hidden, marker=marker)

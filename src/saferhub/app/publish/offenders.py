"""IOM figures and proven reoffending as an audience may see them."""

from __future__ import annotations

from dataclasses import replace

from saferhub.measures.iom_figures import IomFigures
from saferhub.measures.reoffending import ReoffendingFigures
from saferhub.measures.reoffending_area import AreaReoffending
from saferhub.rules.disclosure import (
    CONFIDENTIAL,
    Audience,
    is_hidden,
    marker_for,
    protect_table,
)

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
    The 3-month cohorts of a period add up to its pooled figures, so one hidden cohort
    could be worked out from the pooled figure and the others: when any cohort of a period
    (or the pooled figure itself) is hidden, every cohort of that period is.
    """
    hidden: dict[str, frozenset[str]] = {}
    rows: list[list[int]] = []  # every hidden split, with which of its cells are hidden
    masks: list[list[bool]] = []

    def split(figures: ReoffendingFigures) -> list[int]:
        return [figures.reoffenders, figures.offenders - figures.reoffenders]

    def mask(figures: ReoffendingFigures) -> list[bool]:
        return [is_hidden(value) for value in protect_table([split(figures)], audience)[0]]

    for which, parts in (("cohort", "cohorts"), ("previous", "previous_cohorts")):
        pooled: ReoffendingFigures = getattr(result, which)
        if any(mask(pooled)):
            hidden[which] = frozenset(REOFFENDING_DERIVED)
            rows.append(split(pooled))
            masks.append(mask(pooled))
        cohorts: tuple[ReoffendingFigures, ...] = getattr(result, parts)
        if which in hidden or any(any(mask(c)) for c in cohorts):
            hidden[parts] = frozenset(REOFFENDING_DERIVED)
            for figures in cohorts:
                own = mask(figures)
                rows.append(split(figures))
                # A cohort hidden only so the others cannot be worked out is hidden whole.
                masks.append(own if any(own) else [True, True])
    marker = marker_for(rows, masks) if rows else CONFIDENTIAL
    return replace(result, audience=audience, hidden=hidden, marker=marker)

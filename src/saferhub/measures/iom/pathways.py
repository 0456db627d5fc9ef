"""How pathway referrals ended: the outcome rate by pathway."""

from __future__ import annotations

from datetime import date

import ibis.expr.types as ir

from saferhub.rules.iom_pathways import ACHIEVED, NOT_ACHIEVED, PARTIALLY_ACHIEVED, WITHDRAWN


def pathway_outcomes(pathways: ir.Table, first_day: date, last_day: date) -> ir.Table:
    """Pathway outcome rate: referrals made in the period that ended achieved or partially
    achieved, as a % of all referrals made (open and withdrawn ones included), by pathway
    (BRIEF.md, IOM pathways; seed 004, 8.1.15). The achieved-only rate is shown beside it.
    """
    p = pathways.filter(pathways.referral_date >= first_day, pathways.referral_date <= last_day)

    def count(outcome: str | None) -> ir.IntegerScalar:
        flag = p.outcome.isnull() if outcome is None else (p.outcome == outcome)
        return flag.fill_null(False).cast("int64").sum()

    counts = p.group_by("pathway").aggregate(
        referrals=p.count(),
        achieved=count(ACHIEVED),
        partially_achieved=count(PARTIALLY_ACHIEVED),
        not_achieved=count(NOT_ACHIEVED),
        withdrawn=count(WITHDRAWN),
        open=count(None),
    )
    return counts.mutate(
        outcome_rate_pct=100.0 * (counts.achieved + counts.partially_achieved) / counts.referrals,
        achieved_rate_pct=100.0 * counts.achieved / counts.referrals,
    ).order_by("pathway")

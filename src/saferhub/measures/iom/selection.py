"""Choosing who joins and who leaves: selection scores for people not on the programme,
and members due a de-selection review."""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from saferhub.rules.iom_scoring import ScoringMatrix


def _on_programme(cohort: ir.Table, on: date) -> ir.Table:
    return cohort.filter(
        cohort.join_date <= on, cohort.leave_date.isnull() | (cohort.leave_date >= on)
    )


def selection_scores(
    offences: ir.Table,
    cohort: ir.Table,
    on: date,
    matrix: ScoringMatrix | None = None,
    risk_scores: ir.Table | None = None,
) -> ir.Table:
    """Selection scores for everyone not on the programme on `on`, highest first.

    Each offence in the look-back period scores the gravity of its offence group times a
    recency multiplier; offences in the last 12 months add a frequency bonus; OGRS and OVP
    add points when configured (the matrix in rules/iom_scoring.py; BRIEF.md, IOM selection).
    `risk_scores`, if given, has columns pnc_id, ogrs, ovp (percentages, may be blank).
    """
    matrix = matrix or ScoringMatrix()
    day = ibis.date(on)
    o = offences.filter(
        offences.offence_date <= day,
        offences.offence_date >= day - ibis.interval(days=matrix.look_back_days),
    )
    days_ago = day.delta(o.offence_date, unit="day")
    recency = ibis.cases(
        *((days_ago <= band.up_to, band.value) for band in matrix.recency), else_=0.0
    )
    gravity = o.offence_group.substitute(
        {group: float(weight) for group, weight in matrix.gravity.items()},
        else_=float(matrix.default_gravity),
    )
    scored = o.mutate(points=gravity.cast("float64") * recency, last_year=days_ago <= 365)
    per_person = scored.group_by("pnc_id").aggregate(
        offence_points=scored.points.sum(),
        offences_counted=scored.count(),
        offences_last_year=scored.last_year.cast("int64").sum(),
    )
    members = _on_programme(cohort, on).select(member_pnc=cohort.pnc_id).distinct()
    candidates = per_person.anti_join(members, per_person.pnc_id == members.member_pnc)
    n = candidates.offences_last_year
    frequency = ibis.cases(
        *((n >= band.at_least, band.points) for band in matrix.frequency), else_=0.0
    )
    candidates = candidates.mutate(frequency_points=frequency.cast("float64"))
    if risk_scores is not None and (matrix.ogrs_points_per_10 or matrix.ovp_points_per_10):
        risk = risk_scores.select(
            risk_pnc=risk_scores.pnc_id, ogrs=risk_scores.ogrs, ovp=risk_scores.ovp
        )
        joined = candidates.left_join(risk, candidates.pnc_id == risk.risk_pnc)
        risk_points = (joined.ogrs.fill_null(0) / 10 * matrix.ogrs_points_per_10) + (
            joined.ovp.fill_null(0) / 10 * matrix.ovp_points_per_10
        )
        candidates = joined.select(*candidates.columns, risk_points=risk_points.cast("float64"))
    else:
        candidates = candidates.mutate(risk_points=ibis.literal(0.0))
    total = candidates.mutate(
        score=candidates.offence_points + candidates.frequency_points + candidates.risk_points
    )
    return total.mutate(
        rank=ibis.row_number().over(order_by=[ibis.desc("score"), "pnc_id"]) + 1
    ).order_by("rank")


def deselection_review(
    cohort: ir.Table,
    offences: ir.Table,
    custody: ir.Table,
    on: date,
    offence_free_since: date,
) -> ir.Table:
    """Members due a de-selection review: on the programme on `on`, joined on or before
    `offence_free_since`, with no offence since then, and not in custody on `on`
    (BRIEF.md, IOM selection: professional judgement decides, with a recorded reason).
    """
    members = _on_programme(cohort, on).filter(lambda t: t.join_date <= offence_free_since)
    recent = offences.filter(
        offences.offence_date > offence_free_since, offences.offence_date <= on
    )
    offending = recent.select(offender=recent.pnc_id).distinct()
    inside = custody.filter(
        custody.reception_date <= on, custody.release_date.isnull() | (custody.release_date > on)
    )
    in_custody = inside.select(prisoner=inside.pnc_id).distinct()
    free = members.anti_join(offending, members.pnc_id == offending.offender).anti_join(
        in_custody, members.pnc_id == in_custody.prisoner
    )
    last = (
        offences.filter(offences.offence_date <= on)
        .group_by("pnc_id")
        .aggregate(last_offence_date=lambda t: t.offence_date.max())
    )
    joined = free.left_join(last, "pnc_id")
    return joined.select(
        free.pnc_id, free.join_date, free.management, joined.last_offence_date
    ).order_by("join_date", "pnc_id")

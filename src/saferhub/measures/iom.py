"""Integrated Offender Management measures as Ibis expressions (DuckDB, PySpark ...).

Inputs are canonical tables (docs/formats/):

- `cohort`: one row per spell on the programme (pnc_id, join_date, leave_date,
  management, tier, gender, ethnicity, date_of_birth ...). The leave date is the last
  day on the programme; blank means still on it.
- `offences`: one row per offence (offence_id, pnc_id, offence_date, offence_group ...).
- `custody`: one row per spell in custody (pnc_id, reception_date, release_date). A
  spell covers the reception date up to the day before release (the release day is a day
  at liberty); a spell with no release date runs to the end of any window.
- `tiers`: tier history (pnc_id, tier, from_date).
- `pathways`: pathway referrals (pnc_id, pathway, referral_date, outcome ...).

Time is counted in whole days. An offender-year is 365.25 days at liberty.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from saferhub.rules.costs import UnitCostTable
from saferhub.rules.iom_pathways import ACHIEVED, NOT_ACHIEVED, PARTIALLY_ACHIEVED, WITHDRAWN
from saferhub.rules.iom_scoring import ScoringMatrix

YEAR_DAYS = 365.25
BEFORE_DAYS = 365
RECENT_DAYS = 365  # "a year" for the annual figures: the 365 days to the report date

AGE_BANDS = ("Under 18", "18\u201324", "25\u201334", "35\u201344", "45+", "Not known")

_WINDOWS = ("before", "after", "recent")


def _days(value: int) -> ir.IntervalScalar:
    return ibis.interval(days=value)


def spell_windows(cohort: ir.Table, report_date: date) -> ir.Table:
    """For each spell that started by the report date, its before, after and recent windows.

    before: the 365 days before the join date. after: the join date to the leave date or
    the report date, whichever is earlier. recent: the part of `after` in the 365 days to
    the report date (empty when the spell ended before them).
    """
    report = ibis.date(report_date)
    recent_start = ibis.date(report_date - timedelta(days=RECENT_DAYS - 1))
    c = cohort.filter(cohort.join_date <= report)
    after_last = ibis.least(c.leave_date.fill_null(report), report)
    return c.select(
        "pnc_id",
        "join_date",
        before_first=c.join_date - _days(BEFORE_DAYS),
        before_last=c.join_date - _days(1),
        after_first=c.join_date,
        after_last=after_last,
        recent_first=ibis.greatest(c.join_date, recent_start),
        recent_last=after_last,
    )


def _window_days(first: ir.DateValue, last: ir.DateValue) -> ir.IntegerValue:
    days = last.delta(first, unit="day") + 1
    return ibis.ifelse(days > 0, days, 0)


def spell_exposure(cohort: ir.Table, custody: ir.Table, report_date: date) -> ir.Table:
    """Days at liberty in each spell's before, after and recent windows (custody excluded)."""
    windows = spell_windows(cohort, report_date)
    spells = custody.select(
        custody_pnc=custody.pnc_id,
        reception=custody.reception_date,
        # The last day in custody; an open spell reaches past any window.
        custody_last=(custody.release_date - _days(1)).fill_null(ibis.date(report_date)),
    )
    joined = windows.left_join(spells, windows.pnc_id == spells.custody_pnc)
    overlaps = {}
    for window in _WINDOWS:
        first, last = joined[f"{window}_first"], joined[f"{window}_last"]
        overlap = _window_days(
            ibis.greatest(first, joined.reception), ibis.least(last, joined.custody_last)
        )
        overlaps[f"custody_{window}"] = ibis.ifelse(joined.reception.isnull(), 0, overlap)
    per_spell = joined.group_by([windows[c] for c in windows.columns]).aggregate(
        **{name: value.sum() for name, value in overlaps.items()}
    )
    return per_spell.mutate(
        **{
            f"{window}_days": _window_days(
                per_spell[f"{window}_first"], per_spell[f"{window}_last"]
            )
            - per_spell[f"custody_{window}"]
            for window in _WINDOWS
        }
    )


def spell_offences(cohort: ir.Table, offences: ir.Table, report_date: date) -> ir.Table:
    """Each offence in a spell's before or after window, labelled with its window."""
    windows = spell_windows(cohort, report_date)
    joined = windows.join(offences, "pnc_id").filter(
        lambda t: (t.offence_date >= t.before_first) & (t.offence_date <= t.after_last)
    )
    return joined.select(
        "pnc_id",
        "join_date",
        "offence_id",
        "offence_date",
        "offence_group",
        period=ibis.ifelse(joined.offence_date < joined.join_date, "before", "after"),
        recent=(joined.offence_date >= joined.recent_first),
    )


def _exposure_totals(cohort: ir.Table, custody: ir.Table, report_date: date) -> ir.Table:
    exposure = spell_exposure(cohort, custody, report_date)
    return exposure.aggregate(
        spells=exposure.count(),
        offenders=exposure.pnc_id.nunique(),
        years_before=exposure.before_days.sum() / YEAR_DAYS,
        years_after=exposure.after_days.sum() / YEAR_DAYS,
        years_recent=exposure.recent_days.sum() / YEAR_DAYS,
    )


def _rate(offences: ir.NumericValue, years: ir.NumericValue) -> ir.FloatingValue:
    return ibis.ifelse(years > 0, offences / years, ibis.null("float64"))


def offending_rates(
    cohort: ir.Table, offences: ir.Table, custody: ir.Table, report_date: date
) -> ir.Table:
    """Offending rate before vs after joining IOM, per offender-year at liberty.

    Before: offences committed in the 12 months (365 days) before each member joined,
    divided by the years they spent out of custody in those months. After: offences
    committed from joining to leaving (or the report date), divided by the years out of
    custody on the programme. The reduction is the fall from before to after as a % of
    before (BRIEF.md, IOM impact; seed 002, 1.26: 2.91 falling to 1.65, 43%).
    """
    totals = _exposure_totals(cohort, custody, report_date)
    o = spell_offences(cohort, offences, report_date)
    counts = o.aggregate(
        offences_before=(o.period == "before").cast("int64").sum().fill_null(0),
        offences_after=(o.period == "after").cast("int64").sum().fill_null(0),
    )
    both = totals.cross_join(counts)
    rates = both.mutate(
        rate_before=_rate(both.offences_before, both.years_before),
        rate_after=_rate(both.offences_after, both.years_after),
    )
    return rates.mutate(
        reduction_pct=ibis.ifelse(
            rates.rate_before > 0,
            100.0 * (rates.rate_before - rates.rate_after) / rates.rate_before,
            ibis.null("float64"),
        )
    )


def offences_avoided(
    cohort: ir.Table, offences: ir.Table, custody: ir.Table, report_date: date
) -> ir.Table:
    """Offences avoided by offence group while members were on the programme.

    Expected offences are what members would have committed at their before-joining
    rate for that group over their time at liberty on the programme; offences avoided are
    expected minus actual. Avoided a year applies the fall in the rate to the members'
    time at liberty on the programme in the 12 months to the report date (BRIEF.md,
    IOM impact: "offences avoided, e.g. 240 fewer burglary victims over two years").
    """
    totals = _exposure_totals(cohort, custody, report_date)
    o = spell_offences(cohort, offences, report_date)
    counts = o.group_by("offence_group").aggregate(
        offences_before=(o.period == "before").cast("int64").sum(),
        offences_after=(o.period == "after").cast("int64").sum(),
    )
    t = counts.cross_join(totals)
    t = t.mutate(
        rate_before=_rate(t.offences_before, t.years_before),
        rate_after=_rate(t.offences_after, t.years_after),
    )
    t = t.mutate(expected_after=(t.rate_before * t.years_after).fill_null(0.0))
    return t.select(
        "offence_group",
        "offences_before",
        "offences_after",
        "rate_before",
        "rate_after",
        "expected_after",
        avoided=t.expected_after - t.offences_after,
        avoided_a_year=((t.rate_before - t.rate_after) * t.years_recent).fill_null(0.0),
    ).order_by(ibis.desc("avoided"), "offence_group")


def unit_costs_table(costs: UnitCostTable) -> ir.Table:
    """A unit-cost table as an Ibis table (offence_group, unit_cost, status)."""
    rows = list(costs.costs.values())
    return ibis.memtable(
        pa.table(
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


def concentration(offences: ir.Table, first_day: date, last_day: date, top: int) -> ir.Table:
    """Share of offences committed by the `top` most prolific offenders in the period.

    Offenders are ranked by the number of offences they committed from `first_day` to
    `last_day`; the share is the top ones' offences as a % of all offences in the extract
    for the period (seed 002, 1.3: the top 200 commit about 10-13% of a borough's crime,
    there measured against all recorded crime).
    """
    o = offences.filter(offences.offence_date >= first_day, offences.offence_date <= last_day)
    per_person = o.group_by("pnc_id").aggregate(n=o.count())
    ranked = per_person.mutate(_rank=ibis.row_number().over(order_by=[ibis.desc("n"), "pnc_id"]))
    summary = ranked.aggregate(
        offenders=ranked.count(),
        offences=ranked.n.sum(),
        top_offences=ibis.ifelse(ranked._rank < top, ranked.n, 0).sum(),
    )
    return summary.mutate(
        top=ibis.literal(top),
        share_pct=ibis.ifelse(
            summary.offences > 0, 100.0 * summary.top_offences / summary.offences, ibis.null()
        ),
    )


def _dates_table(dates: Sequence[date]) -> ir.Table:
    return ibis.memtable(
        pa.table({"snapshot_date": list(dates)}, schema=pa.schema([("snapshot_date", pa.date32())]))
    )


def _age(on: ir.DateValue, born: ir.DateValue) -> ir.IntegerValue:
    before_birthday = (on.month() * 100 + on.day()) < (born.month() * 100 + born.day())
    return on.year() - born.year() - before_birthday.cast("int32")


def _age_band(age: ir.IntegerValue) -> ir.StringValue:
    return ibis.cases(
        (age.isnull(), AGE_BANDS[5]),
        (age < 18, AGE_BANDS[0]),
        (age <= 24, AGE_BANDS[1]),
        (age <= 34, AGE_BANDS[2]),
        (age <= 44, AGE_BANDS[3]),
        else_=AGE_BANDS[4],
    )


def members_on(cohort: ir.Table, tiers: ir.Table, dates: Sequence[date]) -> ir.Table:
    """Everyone on the programme on each date, with their tier and age band on that date.

    A member is on the programme from their join date to their leave date inclusive. Their
    tier is the latest tier change on or before the date ("Not recorded" if none).
    """
    snapshots = _dates_table(dates)
    c = cohort.cross_join(snapshots)
    c = c.filter(
        c.join_date <= c.snapshot_date,
        c.leave_date.isnull() | (c.leave_date >= c.snapshot_date),
    )
    history = tiers.select(
        tier_pnc=tiers.pnc_id, recorded_tier=tiers.tier, from_date=tiers.from_date
    )
    with_tier = c.left_join(
        history, (c.pnc_id == history.tier_pnc) & (history.from_date <= c.snapshot_date)
    )
    ranked = with_tier.mutate(
        _rank=ibis.row_number().over(
            group_by=[with_tier.pnc_id, with_tier.snapshot_date],
            order_by=ibis.desc(with_tier.from_date),
        )
    )
    latest = ranked.filter(ranked._rank == 0)
    return latest.select(
        "snapshot_date",
        "pnc_id",
        "join_date",
        "management",
        "gender",
        "ethnicity",
        tier=latest.recorded_tier.fill_null("Not recorded"),
        age_band=_age_band(_age(latest.snapshot_date, latest.date_of_birth)),
    )


COMPOSITION_DIMENSIONS = ("management", "tier", "gender", "ethnicity", "age_band")


def cohort_composition(members: ir.Table) -> ir.Table:
    """Cohort size and make-up on each date: management (statutory or not), tier, gender,
    ethnicity and age band (18-24, 25-34, 35-44, 45+), as counts of members (seed 004,
    8.1.10 to 8.1.13). Rows: snapshot_date, dimension, category, members; the dimension
    "cohort" holds the total.
    """
    # One pass over the members: every dimension becomes a (dimension, category) row.
    columns = {name: members[name].cast("string") for name in COMPOSITION_DIMENSIONS}
    long = members.select(
        "snapshot_date", cohort=ibis.literal("All members"), **columns
    ).pivot_longer(["cohort", *COMPOSITION_DIMENSIONS], names_to="dimension", values_to="category")
    counts = long.group_by(["snapshot_date", "dimension", "category"]).aggregate(
        members=long.count()
    )
    return counts.order_by("snapshot_date", "dimension", "category")


def offences_by_members(
    cohort: ir.Table,
    offences: ir.Table,
    first_day: date,
    last_day: date,
    families: Mapping[str, str],
) -> ir.Table:
    """Offences committed by members while on the programme in the period, by offence family,
    with each family's share of the total (seed 004, 8.1.16: "Offences Charged").
    """
    spells = cohort.select("pnc_id", "join_date", "leave_date")
    joined = offences.join(spells, "pnc_id").filter(
        lambda t: (
            (t.offence_date >= first_day)
            & (t.offence_date <= last_day)
            & (t.offence_date >= t.join_date)
            & (t.leave_date.isnull() | (t.offence_date <= t.leave_date))
        )
    )
    labelled = joined.mutate(family=joined.offence_group.substitute(dict(families), else_="Other"))
    counts = labelled.group_by("family").aggregate(offences=labelled.offence_id.nunique())
    return counts.mutate(share_pct=100.0 * counts.offences / counts.offences.sum().over()).order_by(
        ibis.desc("offences"), "family"
    )


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
        offences.offence_date >= day - _days(matrix.look_back_days),
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


def empty_custody() -> ir.Table:
    """A custody table with no spells, for when no custody extract is given."""
    return ibis.memtable(
        pa.table(
            {"pnc_id": [], "reception_date": [], "release_date": [], "custody_type": []},
            schema=pa.schema(
                [
                    ("pnc_id", pa.string()),
                    ("reception_date", pa.date32()),
                    ("release_date", pa.date32()),
                    ("custody_type", pa.string()),
                ]
            ),
        )
    )


__all__ = [
    "cohort_composition",
    "concentration",
    "cost_of_crime_avoided",
    "deselection_review",
    "members_on",
    "offences_avoided",
    "offences_by_members",
    "offending_rates",
    "pathway_outcomes",
    "selection_scores",
    "spell_exposure",
]

"""Offending before and after joining IOM: each spell's windows, the days at liberty in
them, the offences in them, the rates per offender-year at liberty, and the offences
avoided.

Time is counted in whole days. An offender-year is 365.25 days at liberty.
"""

from __future__ import annotations

from datetime import date, timedelta

import ibis
import ibis.expr.types as ir
import pyarrow as pa

YEAR_DAYS = 365.25
BEFORE_DAYS = 365
RECENT_DAYS = 365  # "a year" for the annual figures: the 365 days to the report date

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

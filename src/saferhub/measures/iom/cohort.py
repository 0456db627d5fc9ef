"""Who is on the programme on each date, the cohort's make-up, and the offences members
commit while on it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import ibis
import ibis.expr.types as ir
import pyarrow as pa

AGE_BANDS = ("Under 18", "18\u201324", "25\u201334", "35\u201344", "45+", "Not known")


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

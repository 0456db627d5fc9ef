"""Proven reoffending (Ministry of Justice definition) as Ibis expressions.

The windows are pinned in `saferhub.rules.reoffending`: an offence counts when committed
on day 1 to day 365 after the index date and proven by a caution or conviction on or
before the index date plus 18 months. The expressions run unchanged on DuckDB and PySpark.

Inputs are canonical tables (docs/formats/): `disposals` (disposal_id, pnc_id,
disposal_date, disposal_type, offence_id) and `offences` (offence_id, pnc_id,
offence_date, offence_code, offence_group). Optionally `spells` (pnc_id, join_date,
leave_date), e.g. IOM cohort memberships, restricts the cohort to index events that
happened while the person was on the programme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from saferhub.measures.engine import to_arrow
from saferhub.rules.reoffending import (
    FOLLOW_UP_DAYS,
    INDEX_EVENT_TYPES,
    PROVING_DEADLINE_MONTHS,
    PROVING_TYPES,
)

# When two index events fall on one day, the one listed first is the index event.
_INDEX_PRIORITY = {event: position for position, event in enumerate(INDEX_EVENT_TYPES)}


def index_events(
    disposals: ir.Table,
    first_day: date,
    last_day: date,
    spells: ir.Table | None = None,
) -> ir.Table:
    """The proven reoffending cohort: each person's first index event in the period.

    An index event is a release from custody, a court conviction with a non-custodial
    sentence, or a caution, from `first_day` to `last_day` inclusive; a person's first such
    event gives their index date (Ministry of Justice proven reoffending definition).
    """
    events = disposals.filter(
        disposals.disposal_type.isin(list(INDEX_EVENT_TYPES)),
        disposals.disposal_date >= first_day,
        disposals.disposal_date <= last_day,
    )
    if spells is not None:
        periods = spells.select("pnc_id", "join_date", "leave_date")
        on_programme = events.join(periods, "pnc_id").filter(
            lambda t: (
                (t.disposal_date >= t.join_date)
                & (t.leave_date.isnull() | (t.disposal_date <= t.leave_date))
            )
        )
        events = on_programme.select(events.columns)
    # Two aggregations rather than a window: each person's first date, then the first kind
    # of event on that date. The engines do this without sorting every event.
    events = events.mutate(
        _priority=events.disposal_type.substitute(_INDEX_PRIORITY, else_=len(_INDEX_PRIORITY))
    )
    first = events.group_by("pnc_id").aggregate(index_date=events.disposal_date.min())
    same_day = events.join(first, ["pnc_id", events.disposal_date == first.index_date])
    chosen = same_day.group_by(["pnc_id", "index_date"]).aggregate(
        _priority=same_day._priority.min()
    )
    return chosen.select(
        "pnc_id",
        "index_date",
        index_type=ibis.cases(
            *((chosen._priority == position, event) for event, position in _INDEX_PRIORITY.items())
        ),
    )


def proven_reoffences(
    index: ir.Table,
    offences: ir.Table,
    disposals: ir.Table,
    period: tuple[date, date] | None = None,
) -> ir.Table:
    """Each proven reoffence: an offence committed in the 12 months after the index date
    that led to a caution or conviction within those 12 months or a further 6 months
    (Ministry of Justice proven reoffending definition; windows in rules/reoffending.py).

    `period`, the cohort's first and last possible index dates, changes no result: it lets
    the engine skip offences and disposals that cannot fall in any window.
    """
    deadline = ibis.interval(months=PROVING_DEADLINE_MONTHS)
    proving = disposals.filter(
        disposals.disposal_type.isin(list(PROVING_TYPES)), disposals.offence_id.notnull()
    )
    if period is not None:
        first, last = period
        offences = offences.filter(
            offences.offence_date > first,
            offences.offence_date <= ibis.date(last) + ibis.interval(days=FOLLOW_UP_DAYS),
        )
        proving = proving.filter(
            proving.disposal_date > first, proving.disposal_date <= ibis.date(last) + deadline
        )
    first_proof = proving.group_by("offence_id").aggregate(proven_on=proving.disposal_date.min())
    in_follow_up = index.join(offences, "pnc_id").filter(
        lambda t: (
            (t.offence_date > t.index_date)
            & (t.offence_date <= t.index_date + ibis.interval(days=FOLLOW_UP_DAYS))
        )
    )
    proven = in_follow_up.join(first_proof, "offence_id").filter(
        lambda t: t.proven_on <= t.index_date + deadline
    )
    return proven.select(
        "pnc_id", "index_date", "offence_id", "offence_date", "offence_group", "proven_on"
    )


def reoffending_per_offender(
    index: ir.Table,
    offences: ir.Table,
    disposals: ir.Table,
    period: tuple[date, date] | None = None,
) -> ir.Table:
    """One row per person in the cohort with their number of proven reoffences, 0 if none
    (Ministry of Justice proven reoffending definition).
    """
    counts = (
        proven_reoffences(index, offences, disposals, period)
        .group_by("pnc_id")
        .aggregate(reoffences=lambda t: t.offence_id.nunique())
    )
    joined = index.left_join(counts, "pnc_id")
    return joined.select(
        index.pnc_id,
        index.index_date,
        index.index_type,
        reoffences=joined.reoffences.fill_null(0),
    )


def reoffending_summary(per_offender: ir.Table) -> ir.Table:
    """The headline proven reoffending figures for a cohort.

    The binary rate is the % of offenders in the cohort who committed at least one proven
    reoffence; the frequency is proven reoffences per offender; and reoffences per
    reoffender is proven reoffences divided by the number who reoffended (Ministry of
    Justice proven reoffending statistics; seed 001's area table).
    """
    t = per_offender
    summary = t.aggregate(
        offenders=t.count(),
        reoffenders=(t.reoffences > 0).sum(),
        reoffences=t.reoffences.sum(),
    )
    return summary.mutate(
        rate_pct=ibis.ifelse(
            summary.offenders > 0, 100.0 * summary.reoffenders / summary.offenders, ibis.null()
        ),
        per_offender=ibis.ifelse(
            summary.offenders > 0, summary.reoffences / summary.offenders, ibis.null()
        ),
        per_reoffender=ibis.ifelse(
            summary.reoffenders > 0, summary.reoffences / summary.reoffenders, ibis.null()
        ),
    )


@dataclass(frozen=True)
class ReoffendingFigures:
    """Executed headline figures for one cohort."""

    first_day: date
    last_day: date
    offenders: int
    reoffenders: int
    reoffences: int
    rate_pct: float | None
    per_offender: float | None
    per_reoffender: float | None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["first_day"] = self.first_day.isoformat()
        data["last_day"] = self.last_day.isoformat()
        return data


def proven_reoffending(
    con: ibis.BaseBackend | None,
    disposals: ir.Table,
    offences: ir.Table,
    first_day: date,
    last_day: date,
    spells: ir.Table | None = None,
) -> ReoffendingFigures:
    """Run the proven reoffending measure for one cohort period on a backend (None: the
    embedded DuckDB)."""
    return proven_reoffending_cohorts(con, disposals, offences, [(first_day, last_day)], spells)[0]


def proven_reoffending_cohorts(
    con: ibis.BaseBackend | None,
    disposals: ir.Table,
    offences: ir.Table,
    cohorts: Sequence[tuple[date, date]],
    spells: ir.Table | None = None,
) -> tuple[ReoffendingFigures, ...]:
    """Proven reoffending for each cohort period in turn, e.g. the four 3-month cohorts of a
    year: each person's index event is their first in that cohort, so a person can be in
    several (Ministry of Justice proven reoffending statistics, 3-month cohorts since
    October 2017)."""
    if not cohorts:
        return ()
    table = to_arrow(reoffending_cohorts(disposals, offences, cohorts, spells), con)
    return cohort_figures(table, cohorts)


def reoffending_cohorts(
    disposals: ir.Table,
    offences: ir.Table,
    cohorts: Sequence[tuple[date, date]],
    spells: ir.Table | None = None,
) -> ir.Table:
    """`reoffending_summary` for each cohort period, one row each, numbered by its place in
    `cohorts` (column `cohort`): one query for them all, as a query has a fixed cost and
    the cohorts share their inputs (Ministry of Justice proven reoffending statistics,
    3-month cohorts since October 2017). `cohort_figures` reads the result."""
    parts = [
        reoffending_summary(
            reoffending_per_offender(
                index_events(disposals, first, last, spells), offences, disposals, (first, last)
            )
        ).mutate(cohort=ibis.literal(i, type="int32"))
        for i, (first, last) in enumerate(cohorts)
    ]
    return ibis.union(*parts) if len(parts) > 1 else parts[0]


def cohort_figures(
    table: pa.Table, cohorts: Sequence[tuple[date, date]]
) -> tuple[ReoffendingFigures, ...]:
    """The figures of each cohort period, from `reoffending_cohorts` run."""
    by_cohort = {row["cohort"]: row for row in table.to_pylist()}
    return tuple(_figures(first, last, by_cohort[i]) for i, (first, last) in enumerate(cohorts))


def _figures(first_day: date, last_day: date, values: dict) -> ReoffendingFigures:
    return ReoffendingFigures(
        first_day,
        last_day,
        int(values["offenders"]),
        int(values["reoffenders"] or 0),
        int(values["reoffences"] or 0),
        _float(values["rate_pct"]),
        _float(values["per_offender"]),
        _float(values["per_reoffender"]),
    )


def pooled_reoffending(cohorts: Sequence[ReoffendingFigures]) -> ReoffendingFigures:
    """The figure for several consecutive cohorts together: offenders, reoffenders and
    reoffences added up across them, and the rates worked out from the totals
    (Ministry of Justice proven reoffending statistics: an annual figure pools four
    3-month cohorts). One cohort pools to itself."""
    if not cohorts:
        raise ValueError("pooled_reoffending needs at least one cohort")
    offenders = sum(c.offenders for c in cohorts)
    reoffenders = sum(c.reoffenders for c in cohorts)
    reoffences = sum(c.reoffences for c in cohorts)
    return ReoffendingFigures(
        min(c.first_day for c in cohorts),
        max(c.last_day for c in cohorts),
        offenders,
        reoffenders,
        reoffences,
        100.0 * reoffenders / offenders if offenders else None,
        reoffences / offenders if offenders else None,
        reoffences / reoffenders if reoffenders else None,
    )


def _float(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if number != number else number  # NaN means no value

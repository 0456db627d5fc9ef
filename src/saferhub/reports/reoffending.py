"""The area proven reoffending table (seed 001): this period, the period it is compared
with, the change, a published comparator such as the London average, and each 3-month
cohort beside the same quarter a year earlier.

A renderer only: `saferhub.app.reoffending` computes the figures and publishes them for an
audience; a figure the audience may not see arrives named in `hidden` and shows as its marker.
"""

from __future__ import annotations

from saferhub.measures.reoffending_area import AreaReoffending
from saferhub.reports.document import Report, Section, Table
from saferhub.rules.periods import Month, Window
from saferhub.rules.reoffending import QUARTERLY_COHORTS


def _change(now: object, before: object) -> float | None:
    if not isinstance(now, int | float) or not isinstance(before, int | float):
        return None  # no value, or a hidden one: a change would give it back
    return now - before


def reoffending_table(result: AreaReoffending) -> Table:
    """Seed 001's table: counts, the rate and reoffences per reoffender for two cohorts."""
    now, before, comparator = result.cohort, result.previous, result.comparator
    columns = ["Measure", result.window.label, result.compared_window.label, "Change"]
    if comparator:
        columns.append(comparator.label)
    measures = [
        ("Offenders in the cohort", now.offenders, before.offenders, None),
        ("Reoffenders", now.reoffenders, before.reoffenders, None),
        ("Proven reoffences", now.reoffences, before.reoffences, None),
        ("Proportion who reoffend (%)", now.rate_pct, before.rate_pct, "rate"),
        ("Reoffences per offender", now.per_offender, before.per_offender, None),
        ("Reoffences per reoffender", now.per_reoffender, before.per_reoffender, "per_reoffender"),
    ]
    rows = []
    for label, value, previous, compared in measures:
        value = result.shown("cohort", label, value)
        previous = result.shown("previous", label, previous)
        row = [label, value, previous, _change(value, previous)]
        if comparator:
            row.append(
                comparator.rate_pct
                if compared == "rate"
                else comparator.per_reoffender
                if compared == "per_reoffender"
                else None
            )
        rows.append(row)
    notes = [
        f"Method: {result.method_label}.",
        "Ministry of Justice definition: each offender's first caution, non-custodial "
        "conviction or "
        "release from custody in the cohort period is their index date; a proven reoffence is an "
        "offence committed on days 1 to 365 after it and proven by a caution or conviction on or "
        "before the index date plus 18 months.",
        "The change in the proportion who reoffend is in percentage points.",
    ]
    if result.method == QUARTERLY_COHORTS and len(result.cohorts) > 1:
        notes.append(
            f"The figures pool {len(result.cohorts)} 3-month cohorts: offenders, reoffenders "
            "and reoffences are added up across them, so someone who entered the cohort in "
            "two quarters counts in both."
        )
    if result.provisional:
        notes.append(
            "Provisional: the extracts end before the 18-month deadline of the latest index dates, "
            "so some reoffences may not be proven yet."
        )
    return Table("Proven reoffending", columns, rows, notes=tuple(notes))


def cohorts_table(result: AreaReoffending) -> Table | None:
    """Each 3-month cohort beside the same quarter a year earlier (the MoJ's comparison)."""
    if result.method != QUARTERLY_COHORTS or len(result.cohorts) < 2:
        return None
    rows = []
    for now, before in zip(result.cohorts, result.previous_cohorts, strict=True):
        label = Window(Month.of(now.first_day), Month.of(now.last_day)).label
        earlier = Window(Month.of(before.first_day), Month.of(before.last_day)).label
        rate = result.shown_field("cohorts", "rate_pct", now.rate_pct)
        rate_before = result.shown_field("previous_cohorts", "rate_pct", before.rate_pct)
        rows.append(
            [
                label,
                now.offenders,
                rate,
                earlier,
                before.offenders,
                rate_before,
                _change(rate, rate_before),
            ]
        )
    return Table(
        "Each 3-month cohort against the same quarter a year earlier",
        [
            "Cohort",
            "Offenders",
            "Proportion who reoffend (%)",
            "A year earlier",
            "Offenders a year earlier",
            "Proportion a year earlier (%)",
            "Change (points)",
        ],
        rows,
        notes=(f"Method: {result.method_label}.",),
    )


def reoffending_report(result: AreaReoffending) -> Report:
    now = result.cohort
    if result.hidden.get("cohort"):
        text = (
            f"Of the {now.offenders:,} offenders in the {result.window.label} cohort, too few "
            "reoffended, or too few did not, to publish the figures."
        )
    else:
        text = (
            f"Of the {now.offenders:,} offenders in the {result.window.label} cohort, "
            f"{now.reoffenders:,} "
            f"committed {now.reoffences:,} proven reoffences: "
            + (f"{now.rate_pct:.1f}% reoffended." if now.rate_pct is not None else "no cohort.")
        )
    blocks = [reoffending_table(result)]
    quarterly = cohorts_table(result)
    if quarterly is not None:
        blocks.append(quarterly)
    return Report(
        "Proven reoffending",
        f"Cohort {result.window.label}, compared with {result.compared_window.label}. "
        f"Method: {result.method_label}.",
        (Section("Proven reoffending", (text,), tuple(blocks)),),
        (
            f"Method: {result.method_label}.",
            f"Source: {result.source}.",
            "Definitions: “Proven reoffending” in the SaferHub documentation.",
        ),
    )


def reoffending_json(result: AreaReoffending) -> dict:
    """JSON shape documented in docs/measures/reoffending.md."""
    return {
        "report": "reoffending",
        "audience": result.audience.value,
        "method": {"key": result.method, "label": result.method_label},
        "cohort": result.published_dict("cohort"),
        "previous": result.published_dict("previous"),
        "cohorts": result.published_cohorts("cohorts"),
        "previous_cohorts": result.published_cohorts("previous_cohorts"),
        "change": {
            "offenders": _change(result.cohort.offenders, result.previous.offenders),
            "reoffenders": _change(
                result.shown("cohort", "Reoffenders", result.cohort.reoffenders),
                result.shown("previous", "Reoffenders", result.previous.reoffenders),
            ),
            "reoffences": _change(
                result.shown("cohort", "Proven reoffences", result.cohort.reoffences),
                result.shown("previous", "Proven reoffences", result.previous.reoffences),
            ),
            "rate_points": _change(
                result.shown("cohort", "Proportion who reoffend (%)", result.cohort.rate_pct),
                result.shown("previous", "Proportion who reoffend (%)", result.previous.rate_pct),
            ),
            "per_reoffender": _change(
                result.shown("cohort", "Reoffences per reoffender", result.cohort.per_reoffender),
                result.shown(
                    "previous", "Reoffences per reoffender", result.previous.per_reoffender
                ),
            ),
        },
        "comparator": vars(result.comparator) if result.comparator else None,
        "provisional": result.provisional,
        "data_last_day": result.data_last_day.isoformat() if result.data_last_day else None,
        "source": result.source,
    }

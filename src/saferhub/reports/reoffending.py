"""The area proven reoffending table (seed 001): this cohort, the previous one, the change,
and a published comparator such as the London average.

A renderer only: `saferhub.app.reoffending` computes the figures and publishes them for an
audience; a figure the audience may not see arrives named in `hidden` and shows as its marker.
"""

from __future__ import annotations

from saferhub.measures.reoffending_area import AreaReoffending
from saferhub.reports.document import Report, Section, Table


def _change(now: object, before: object) -> float | None:
    if not isinstance(now, int | float) or not isinstance(before, int | float):
        return None  # no value, or a hidden one: a change would give it back
    return now - before


def reoffending_table(result: AreaReoffending) -> Table:
    """Seed 001's table: counts, the rate and reoffences per reoffender for two cohorts."""
    now, before, comparator = result.cohort, result.previous, result.comparator
    columns = ["Measure", result.window.label, result.window.preceding.label, "Change"]
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
        "Ministry of Justice definition: each offender's first caution, non-custodial "
        "conviction or "
        "release from custody in the cohort period is their index date; a proven reoffence is an "
        "offence committed on days 1 to 365 after it and proven by a caution or conviction on or "
        "before the index date plus 18 months.",
        "The change in the proportion who reoffend is in percentage points.",
    ]
    if result.provisional:
        notes.append(
            "Provisional: the extracts end before the 18-month deadline of the latest index dates, "
            "so some reoffences may not be proven yet."
        )
    return Table("Proven reoffending", columns, rows, notes=tuple(notes))


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
    return Report(
        "Proven reoffending",
        f"Cohort {result.window.label}",
        (Section("Proven reoffending", (text,), (reoffending_table(result),)),),
        (
            f"Source: {result.source}.",
            "Definitions: “Proven reoffending” in the SaferHub documentation.",
        ),
    )


def reoffending_json(result: AreaReoffending) -> dict:
    """JSON shape documented in docs/measures/reoffending.md."""
    return {
        "report": "reoffending",
        "audience": result.audience.value,
        "cohort": result.published_dict("cohort"),
        "previous": result.published_dict("previous"),
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

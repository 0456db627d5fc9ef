"""The area proven reoffending table (seed 001): this cohort, the previous one, the change,
and a published comparator such as the London average.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import ibis

from saferhub.errors import ConfigurationError
from saferhub.measures.reoffending import (
    ReoffendingFigures,
    pooled_reoffending,
    proven_reoffending_cohorts,
)
from saferhub.reports.document import Report, Section, Table
from saferhub.reports.iom import Comparator
from saferhub.reports.writers import write_report
from saferhub.rules.periods import Month, Window
from saferhub.rules.reoffending import (
    METHOD_LABELS,
    QUARTERLY_COHORTS,
    cohort_windows,
    comparison_period,
    proving_deadline,
)
from saferhub.sources.disposals import read_disposals
from saferhub.sources.offences import read_offences

FORMATS = ("html", "xlsx", "pdf", "json")


@dataclass(frozen=True)
class AreaReoffending:
    cohort: ReoffendingFigures  # pooled over `cohorts`
    previous: ReoffendingFigures  # pooled over `previous_cohorts`
    comparator: Comparator | None
    window: Window
    data_last_day: date | None
    source: str
    method: str = QUARTERLY_COHORTS
    comparison: Window | None = None  # the period compared with; None: the one before
    cohorts: tuple[ReoffendingFigures, ...] = ()
    previous_cohorts: tuple[ReoffendingFigures, ...] = ()

    @property
    def method_label(self) -> str:
        return METHOD_LABELS[self.method]

    @property
    def compared_window(self) -> Window:
        return self.comparison or self.window.preceding

    @property
    def provisional(self) -> bool:
        """True when the extracts end before the last index date's 18-month deadline."""
        return (
            self.data_last_day is None
            or proving_deadline(self.cohort.last_day) > self.data_last_day
        )


def area_reoffending(
    offences_path: str | Path,
    disposals_path: str | Path,
    cohort_start: str,
    cohort_end: str,
    comparator: Comparator | None = None,
    *,
    method: str = QUARTERLY_COHORTS,
) -> AreaReoffending:
    """Read the extracts and work out the proven reoffending figures for a period and the
    period it is compared with, by `method` (rules.reoffending: 3-month cohorts compared
    with a year earlier by default; "12-month" for the method before October 2017)."""
    first, last = Month.parse(cohort_start), Month.parse(cohort_end)
    if last < first:
        raise ConfigurationError(
            f"The cohort ends ({last.key}) before it starts ({first.key}).",
            "Give --cohort-start on or before --cohort-end.",
        )
    window = Window(first, last)
    comparison = comparison_period(window, method)
    windows = cohort_windows(window, method)  # refuses a period the method cannot split
    earlier = cohort_windows(comparison, method)
    offences = read_offences(offences_path)
    disposals = read_disposals(disposals_path, offences)
    con = ibis.duckdb.connect()
    offences_t, disposals_t = ibis.memtable(offences), ibis.memtable(disposals)
    dates = [d for d in disposals.column("disposal_date").to_pylist() if d is not None]

    def run(periods: tuple[Window, ...]) -> tuple[ReoffendingFigures, ...]:
        days = [(w.first.first_day, w.last.last_day) for w in periods]
        return proven_reoffending_cohorts(con, disposals_t, offences_t, days)

    cohorts, previous = run(windows), run(earlier)
    return AreaReoffending(
        cohort=pooled_reoffending(cohorts),
        previous=pooled_reoffending(previous),
        comparator=comparator,
        window=window,
        data_last_day=max(dates) if dates else None,
        source=f"files: {Path(offences_path).name}, {Path(disposals_path).name}",
        method=method,
        comparison=comparison,
        cohorts=cohorts,
        previous_cohorts=previous,
    )


def _change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


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
        rows.append(
            [
                label,
                now.offenders,
                now.rate_pct,
                earlier,
                before.offenders,
                before.rate_pct,
                _change(now.rate_pct, before.rate_pct),
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
        "method": {"key": result.method, "label": result.method_label},
        "cohort": result.cohort.to_dict(),
        "previous": result.previous.to_dict(),
        "cohorts": [c.to_dict() for c in result.cohorts],
        "previous_cohorts": [c.to_dict() for c in result.previous_cohorts],
        "change": {
            "offenders": result.cohort.offenders - result.previous.offenders,
            "reoffenders": result.cohort.reoffenders - result.previous.reoffenders,
            "reoffences": result.cohort.reoffences - result.previous.reoffences,
            "rate_points": _change(result.cohort.rate_pct, result.previous.rate_pct),
            "per_reoffender": _change(result.cohort.per_reoffender, result.previous.per_reoffender),
        },
        "comparator": vars(result.comparator) if result.comparator else None,
        "provisional": result.provisional,
        "data_last_day": result.data_last_day.isoformat() if result.data_last_day else None,
        "source": result.source,
    }


def write_reoffending_report(result: AreaReoffending, fmt: str, out: str | Path) -> Path:
    if fmt not in FORMATS:
        raise ConfigurationError(
            f"'{fmt}' is not a format.", f"Choose one of: {', '.join(FORMATS)}."
        )
    out = Path(out)
    if fmt == "json":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(reoffending_json(result), indent=2) + "\n", encoding="utf-8")
        return out
    return write_report(reoffending_report(result), fmt, out)  # type: ignore[arg-type]

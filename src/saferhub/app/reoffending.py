"""Proven reoffending for an area: read the extracts, compute the period and the one it is
compared with (pooled 3-month cohorts by default), publish, render."""

from __future__ import annotations

import json
from pathlib import Path

import ibis

from saferhub.app import publish
from saferhub.app.render import render_document, write_document
from saferhub.errors import ConfigurationError
from saferhub.measures.iom_figures import Comparator
from saferhub.measures.reoffending import (
    pooled_reoffending,
    proven_reoffending_cohorts,
)
from saferhub.measures.reoffending_area import AreaReoffending
from saferhub.reports.reoffending import reoffending_json, reoffending_report
from saferhub.rules.disclosure import Audience
from saferhub.rules.periods import Month, Window
from saferhub.rules.reoffending import QUARTERLY_COHORTS, cohort_windows, comparison_period
from saferhub.sources.disposals import read_disposals
from saferhub.sources.offences import read_offences

__all__ = [
    "AreaReoffending",
    "Comparator",
    "area_reoffending",
    "render",
    "write_reoffending_report",
]

FORMATS = ("html", "xlsx", "pdf", "docx", "json")


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
    offences_t, disposals_t = ibis.memtable(offences), ibis.memtable(disposals)
    dates = [d for d in disposals.column("disposal_date").to_pylist() if d is not None]

    # The period's cohorts and the earlier ones in one query (the measure runs cohorts together).
    days = [(w.first.first_day, w.last.last_day) for w in (*windows, *earlier)]
    figures = proven_reoffending_cohorts(None, disposals_t, offences_t, days)
    cohorts, previous = figures[: len(windows)], figures[len(windows) :]
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


def render(result: AreaReoffending, fmt: str) -> bytes:
    """One published result in one format."""
    if fmt == "json":
        return (json.dumps(reoffending_json(result), indent=2) + "\n").encode("utf-8")
    return render_document(reoffending_report(result), fmt)


def write_reoffending_report(
    result: AreaReoffending,
    fmt: str,
    out: str | Path,
    audience: Audience = Audience.PARTNERSHIP,
) -> Path:
    """Publish `result` for `audience` and write it in one format."""
    if fmt not in FORMATS:
        raise ConfigurationError(
            f"'{fmt}' is not a format.", f"Choose one of: {', '.join(FORMATS)}."
        )
    return write_document(render(publish.reoffending(result, audience), fmt), out)

"""Proven reoffending for an area: read the extracts, compute two cohorts, publish, render."""

from __future__ import annotations

import json
from pathlib import Path

import ibis

from saferhub.app import publish
from saferhub.app.render import render_document, write_document
from saferhub.errors import ConfigurationError
from saferhub.measures.iom_figures import Comparator
from saferhub.measures.reoffending import proven_reoffending
from saferhub.measures.reoffending_area import AreaReoffending
from saferhub.reports.reoffending import reoffending_json, reoffending_report
from saferhub.rules.disclosure import Audience
from saferhub.rules.periods import Month, Window
from saferhub.sources.disposals import read_disposals
from saferhub.sources.offences import read_offences

__all__ = [
    "AreaReoffending",
    "Comparator",
    "area_reoffending",
    "render",
    "write_reoffending_report",
]

FORMATS = ("html", "xlsx", "pdf", "json")


def area_reoffending(
    offences_path: str | Path,
    disposals_path: str | Path,
    cohort_start: str,
    cohort_end: str,
    comparator: Comparator | None = None,
) -> AreaReoffending:
    """Read the extracts and work out the proven reoffending figures for two cohorts."""
    first, last = Month.parse(cohort_start), Month.parse(cohort_end)
    if last < first:
        raise ConfigurationError(
            f"The cohort ends ({last.key}) before it starts ({first.key}).",
            "Give --cohort-start on or before --cohort-end.",
        )
    offences = read_offences(offences_path)
    disposals = read_disposals(disposals_path, offences)
    window = Window(first, last)
    previous = window.preceding
    con = ibis.duckdb.connect()
    offences_t, disposals_t = ibis.memtable(offences), ibis.memtable(disposals)
    dates = [d for d in disposals.column("disposal_date").to_pylist() if d is not None]
    return AreaReoffending(
        cohort=proven_reoffending(con, disposals_t, offences_t, first.first_day, last.last_day),
        previous=proven_reoffending(
            con, disposals_t, offences_t, previous.first.first_day, previous.last.last_day
        ),
        comparator=comparator,
        window=window,
        data_last_day=max(dates) if dates else None,
        source=f"files: {Path(offences_path).name}, {Path(disposals_path).name}",
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

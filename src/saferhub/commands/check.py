"""`saferhub check KIND FILE`: validate one input file as a report would, writing nothing.

A partnership can check an extract before a board-pack run; the tests drive every reader
through it, in process, with thousands of damaged files.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path

import typer

from saferhub.commands import app
from saferhub.rules.periods import Month


class Kind(StrEnum):
    mps = "mps"
    population = "population"
    population_by_year = "population-by-year"
    series = "series"
    partner_breakdowns = "partner-breakdowns"
    caseload = "caseload"
    offences = "offences"
    cohort = "cohort"
    custody = "custody"
    disposals = "disposals"
    unit_costs = "unit-costs"


def _reader(kind: Kind) -> Callable[[Path], object]:
    # Readers pull in Arrow, Ibis and DuckDB: import them only when the command runs.
    from saferhub.sources import (
        caseload,
        cohort,
        custody,
        disposals,
        mps,
        offences,
        partner_breakdowns,
        population,
        population_by_year,
        series,
        unit_costs,
    )

    this_month = Month.of(date.today())  # as the reports: no figures for the future
    readers: dict[Kind, Callable[[Path], object]] = {
        Kind.mps: lambda p: mps.read_mps_file(p, not_after=this_month),
        Kind.population: population.read_population,
        Kind.population_by_year: population_by_year.read_population_by_year,
        Kind.series: lambda p: series.read_series_file(p, not_after=this_month),
        Kind.partner_breakdowns: lambda p: partner_breakdowns.read_breakdowns_file(
            p, not_after=this_month
        ),
        Kind.caseload: caseload.read_caseload,
        Kind.offences: offences.read_offences,
        Kind.cohort: cohort.read_cohort,
        Kind.custody: custody.read_custody,
        Kind.disposals: disposals.read_disposals,
        Kind.unit_costs: unit_costs.read_unit_costs,
    }
    return readers[kind]


@app.command("check")
def check(
    kind: Kind = typer.Argument(..., help="What the file is: " + ", ".join(k.value for k in Kind)),
    file: Path = typer.Argument(..., help="The file to check (CSV; a caseload may be XLSX)."),
) -> None:
    """Check an input file as a report would read it; write nothing."""
    _reader(kind)(file)
    typer.echo(f"{file.name} is a valid {kind.value} file.")

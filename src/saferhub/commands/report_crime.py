"""`saferhub report crime`: the board's crime performance dashboard from public files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from saferhub.commands import report_app
from saferhub.commands.output import report_output
from saferhub.rules.periods import Month


@report_app.command("crime")
def report_crime(
    mps: list[Path] = typer.Option(
        ..., "--mps", help="MPS recorded crime CSV (London Datastore wide format); repeatable."
    ),
    population: Path = typer.Option(
        ..., "--population", help="GLA borough population and household estimates CSV."
    ),
    area: str = typer.Option(..., "--area", help="The borough, e.g. Barnet."),
    to: str = typer.Option(..., "--to", help="Last month of the dashboard, YYYY-MM."),
    fmt: str = typer.Option(..., "--format", help="html, xlsx, pdf, docx (Word) or json."),
    out: Path = typer.Option(..., "--out", help="File to write."),
    series: list[Path] = typer.Option(
        [],
        "--series",
        help="Partner measure series CSV (area, period, measure, value); repeatable.",
    ),
    recent_months: int = typer.Option(
        3, "--recent-months", help="Months in the recent period (3 = a quarter; some boards use 4)."
    ),
    peer_group: str | None = typer.Option(
        None, "--peer-group", help="Boroughs to rank within, comma-separated (default: the BCU)."
    ),
    public: bool = typer.Option(False, "--public", help="The same as --audience public."),
    audience: str | None = typer.Option(
        None,
        "--audience",
        help="Who the file is for: partnership (every count, the default) or public "
        "(counts of 1 to 4, and what reveals them, hidden).",
    ),
    catalogue: Path | None = typer.Option(
        None, "--catalogue", help="A measure catalogue TOML file replacing the default measures."
    ),
    population_by_year: Path | None = typer.Option(
        None,
        "--population-by-year",
        help="Population per borough per year (London Datastore CSV): each rate per 1,000 "
        "residents uses its period's year. Without it, every rate uses --population's year.",
    ),
) -> None:
    """Write the crime performance dashboard for one borough."""
    # The report pulls in Ibis and pandas: import it only when the command runs.
    from saferhub.app.crime import write_crime_report
    from saferhub.commands.report_iom import audience_of

    chosen = audience_of(audience, public)

    inputs = [*mps, population, *series, catalogue, population_by_year]
    with report_output(out, inputs) as temporary:
        write_crime_report(
            mps=mps,
            population=population,
            series=series,
            area=area,
            to=to,
            fmt=fmt.lower(),
            out=temporary,
            recent_months=recent_months,
            peer_group=peer_group,
            audience=chosen,
            catalogue_path=catalogue,
            population_by_year=population_by_year,
            # A file cannot hold figures for months that have not happened yet.
            not_after=Month.of(date.today()),
        )
    typer.echo(f"Wrote {out}")

"""`saferhub synth`: write the synthetic partnership as extract files."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from saferhub.commands import app
from saferhub.synth.world import DEFAULT_AS_OF


@app.command()
def synth(
    out: Path = typer.Option(..., "--out", help="Folder to write the extract CSVs into."),
    seed: int = typer.Option(
        2023, "--seed", help="Random seed: the same seed, scale and as-of give identical files."
    ),
    scale: float = typer.Option(
        1.0,
        "--scale",
        help="1 is a borough like Barnet; 10 is ten times the people and cases (0.01 to 1000).",
    ),
    as_of: str = typer.Option(
        DEFAULT_AS_OF.isoformat(),
        "--as-of",
        help="The day the partnership is as of (YYYY-MM-DD): histories run up to it.",
    ),
) -> None:
    """Generate a realistic synthetic partnership: people, offences, caseload, crime, MARAC."""
    from saferhub.synth.partnership import check_scale, generate, parse_as_of, write_extracts

    check_scale(scale)
    day = parse_as_of(as_of)
    console = Console()
    with console.status("Generating the synthetic partnership…") as status:
        extracts = generate(
            seed, scale, day, on_step=lambda what: status.update(f"Generating {what}…")
        )
        written = write_extracts(extracts, out)
    table = Table(title=f"Wrote {len(written)} extracts as of {day:%-d %B %Y} to {out}")
    table.add_column("File")
    table.add_column("Rows", justify="right")
    for path, rows in written:
        table.add_row(path.name, f"{rows:,}")
    console.print(table)

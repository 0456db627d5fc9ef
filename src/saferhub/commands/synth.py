"""`saferhub synth`: write the synthetic partnership as extract files."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from saferhub.commands import app


@app.command()
def synth(
    out: Path = typer.Option(..., "--out", help="Folder to write the extract CSVs into."),
    seed: int = typer.Option(
        2023, "--seed", help="Random seed: the same seed and scale give identical files."
    ),
    scale: float = typer.Option(
        1.0, "--scale", help="1 is a borough like Barnet; 10 is ten times the people and cases."
    ),
) -> None:
    """Generate a realistic synthetic partnership: people, offences, caseload, crime, MARAC."""
    from saferhub.synth.partnership import check_scale, generate, write_extracts

    check_scale(scale)
    console = Console()
    with console.status("Generating the synthetic partnership…"):
        written = write_extracts(generate(seed, scale), out)
    table = Table(title=f"Wrote {len(written)} extracts to {out}")
    table.add_column("File")
    table.add_column("Rows", justify="right")
    for path, rows in written:
        table.add_row(path.name, f"{rows:,}")
    console.print(table)

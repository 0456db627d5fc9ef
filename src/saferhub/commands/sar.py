"""`saferhub sar`: everything held about one person, as a ZIP, for a subject access request."""

from __future__ import annotations

from pathlib import Path

import typer

from saferhub.commands import app
from saferhub.errors import EnvironmentProblem


@app.command("sar")
def sar(
    person: int = typer.Option(..., "--person", help="The person's number (on their record)."),
    out: Path = typer.Option(..., "--out", help="ZIP file to write."),
) -> None:
    """Write everything held about a person, and who viewed it, as a ZIP for their request."""
    from saferhub.commands.django_setup import setup_django
    from saferhub.commands.output import check_output, report_output

    check_output(out)
    setup_django()
    from django.db import DatabaseError

    from saferhub.web.audit.context import acting_as
    from saferhub.web.people.sar import write_sar

    try:
        with acting_as("saferhub sar"):
            data = write_sar(person)
    except DatabaseError as exc:
        raise EnvironmentProblem(
            f"Cannot read the database: {exc}.",
            "Run `saferhub manage migrate` first, and check DATABASE_URL.",
        ) from None
    with report_output(out) as temporary:
        temporary.write_bytes(data)
    typer.echo(f"Subject access export for person {person} written to {out}")

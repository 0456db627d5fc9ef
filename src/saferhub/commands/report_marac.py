"""`saferhub report marac`: the DA MARAC quarterly statistics from the app's database."""

from __future__ import annotations

from pathlib import Path

import typer

from saferhub.commands import report_app
from saferhub.commands.output import report_output
from saferhub.errors import EnvironmentProblem


def _database_ready() -> None:
    from saferhub.commands.django_setup import setup_django

    setup_django()


@report_app.command("marac")
def report_marac(
    quarter: str = typer.Option(..., "--quarter", help="The latest quarter, e.g. 2023/24-Q2."),
    fmt: str = typer.Option("html", "--format", help="html, xlsx, pdf, docx (Word) or json."),
    out: Path = typer.Option(..., "--out", help="The file to write."),
    quarters: int = typer.Option(5, "--quarters", help="How many quarters to show, 1 to 12."),
    adult_women: int | None = typer.Option(
        None, "--adult-women", help="Female population aged 16+, for cases per 10,000."
    ),
    area: str = typer.Option("", "--area", help="The area's name for the report's subtitle."),
    audience: str = typer.Option(
        "partnership",
        "--audience",
        help="Who the file is for: partnership (every count) or public (small counts hidden).",
    ),
) -> None:
    """Write the Domestic Abuse MARAC quarterly statistics, read from the app's database."""
    _database_ready()
    from django.db import DatabaseError

    from saferhub.app.marac import write_marac_report
    from saferhub.rules.disclosure import Audience
    from saferhub.web.demo import marked, with_notice

    chosen = Audience.parse(audience)
    try:
        with report_output(out) as temporary:
            write_marac_report(
                quarter,
                fmt,
                temporary,
                quarters=quarters,
                adult_women=adult_women,
                area=area,
                audience=chosen,
                mark_report=marked,
                mark_json=with_notice,
            )
    except DatabaseError as exc:
        raise EnvironmentProblem(
            f"Cannot read the MARAC cases from the database: {exc}.",
            "Run `saferhub manage migrate` (or `saferhub demo`) first, and check DATABASE_URL.",
        ) from None
    typer.echo(f"Wrote {out}")

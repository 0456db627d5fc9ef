"""`saferhub report board-pack`: the partnership board's pack in one file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from saferhub.commands import report_app
from saferhub.commands.output import report_output
from saferhub.errors import ConfigurationError, EnvironmentProblem


def _meeting(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigurationError(
            f"--meeting '{text}' is not a date.", "Write the meeting date as YYYY-MM-DD."
        ) from None


def _same(report):
    return report


@report_app.command("board-pack")
def report_board_pack(
    meeting: str = typer.Option(..., "--meeting", help="The board meeting's date, YYYY-MM-DD."),
    to: str = typer.Option(..., "--to", help="The last month of figures, YYYY-MM."),
    fmt: str = typer.Option("pdf", "--format", help="pdf, xlsx, docx, html or json."),
    out: Path = typer.Option(..., "--out", help="The file to write."),
    area: str | None = typer.Option(
        None, "--area", help="The borough (default: the partnership's area)."
    ),
    period: str = typer.Option(
        "recent", "--period", help="recent (3 or 4 months), quarter or half (6 months)."
    ),
    recent_months: int = typer.Option(
        3, "--recent-months", help="Months in the recent period: 3 or 4."
    ),
    audience: str = typer.Option(
        "restricted",
        "--audience",
        help="restricted (partnership members: every count) or public (small counts hidden).",
    ),
    sections: str | None = typer.Option(
        None,
        "--sections",
        help="Comma-separated sections (default all): summary, dashboard, partner, iom, "
        "marac, needs, panels, action_plan, forward_plan.",
    ),
    mps: list[Path] = typer.Option(
        [], "--mps", help="MPS recorded crime CSV; repeatable. Default: the stored crime data."
    ),
    population: Path | None = typer.Option(
        None, "--population", help="GLA borough population CSV (needed with --mps)."
    ),
    series: list[Path] = typer.Option(
        [], "--series", help="Partner measure series CSV; repeatable (with --mps)."
    ),
    breakdowns: list[Path] = typer.Option(
        [],
        "--breakdowns",
        help="Partner breakdowns CSV (CCTV, Prevent, hate crime, tools and powers); "
        "repeatable. Default: the stored breakdowns.",
    ),
) -> None:
    """Write the board pack: cover, summary, dashboard and the partners' sections."""
    from saferhub.app.board_pack import (
        FILE_SECTIONS,
        CrimeFiles,
        PackRequest,
        default_area,
        parse_sections,
        write_board_pack,
    )
    from saferhub.rules.periods import Month

    files = None
    if mps:
        if population is None:
            raise ConfigurationError("--mps needs --population.", "Give the GLA population CSV.")
        # A file cannot hold figures for months that have not happened yet.
        files = CrimeFiles(tuple(mps), population, tuple(series), Month.of(date.today()))
    elif population is not None or series:
        raise ConfigurationError(
            "--population and --series go with --mps.",
            "Give the MPS files too, or leave them out to use the stored crime data.",
        )
    chosen = parse_sections(sections)
    from_files = FILE_SECTIONS | ({"partner"} if breakdowns else set())
    needs_database = files is None or not set(chosen or ("all",)) <= from_files
    partner_figures = None
    if breakdowns:
        from saferhub.app.partner import load_breakdowns

        partner_figures = load_breakdowns(breakdowns)
    if needs_database:
        from saferhub.commands.django_setup import setup_django

        setup_django()
    request = PackRequest(
        area=area or default_area(),
        meeting=_meeting(meeting),
        to=Month.parse(to),
        period=period.lower(),
        recent_months=recent_months,
        audience=audience.lower(),
        sections=chosen,
    )
    mark = _same
    database_errors: tuple[type[Exception], ...] = ()
    if needs_database:
        from django.db import DatabaseError

        from saferhub.web.demo import marked

        mark, database_errors = marked, (DatabaseError,)
    inputs = [*mps, population, *series, *breakdowns]
    try:
        with report_output(out, inputs) as temporary:
            write_board_pack(
                request,
                fmt.lower(),
                temporary,
                crime_files=files,
                breakdowns=partner_figures,
                mark=mark,
            )
    except database_errors as exc:
        raise EnvironmentProblem(
            f"Cannot read the board pack's figures from the database: {exc}.",
            "Run `saferhub manage migrate` (or `saferhub demo`) first, and check DATABASE_URL.",
        ) from None
    typer.echo(f"Wrote {out}")

"""`saferhub report needs`: the probation caseload needs analysis from an nDelius/OASys extract."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from saferhub.commands import report_app
from saferhub.commands.output import report_output
from saferhub.errors import ConfigurationError


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ConfigurationError(
            f"--as-of '{text}' is not a date.", "Write it as YYYY-MM-DD, e.g. 2021-10-15."
        ) from None
    if day > date.today():
        raise ConfigurationError(
            f"--as-of {day.isoformat()} is in the future.",
            "Give the date the extract was taken, today or earlier.",
        )
    return day


@report_app.command("needs")
def report_needs(
    extract: Path = typer.Option(
        ...,
        "--extract",
        help="The caseload extract, .csv or .xlsx (docs/formats/caseload-extract.md).",
    ),
    fmt: str = typer.Option(..., "--format", help="html, xlsx, pdf, docx (Word) or json."),
    out: Path = typer.Option(..., "--out", help="File to write."),
    compare: Path | None = typer.Option(
        None,
        "--compare",
        help="Another area's caseload extract to compare with, e.g. London.",
    ),
    public: bool = typer.Option(
        False,
        "--public",
        help="Version for sharing beyond probation: hide counts of 1 to 4 (and what reveals "
        "them) and list no one.",
    ),
    audience: str | None = typer.Option(
        None,
        "--audience",
        help="Who the file is for: restricted (probation: lists the people not assessed, the "
        "default), partnership (no one listed) or public (small counts hidden).",
    ),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="The date the extract was taken, YYYY-MM-DD, for ages (default: the latest "
        "assessment date in it).",
    ),
    area: str = typer.Option("This area", "--area", help="The area's name, e.g. Barnet."),
    compare_area: str = typer.Option(
        "Comparison area", "--compare-area", help="The comparison area's name, e.g. London."
    ),
) -> None:
    """Write the caseload needs analysis: needs, registrations and disadvantage by group."""
    # The report pulls in Ibis and pandas: import it only when the command runs.
    from saferhub.app.needs import needs_report
    from saferhub.commands.report_iom import audience_of

    chosen = audience_of(audience, public, casework=True)

    with report_output(out, [extract, compare]) as temporary:
        needs_report(
            extract,
            temporary,
            fmt.lower(),
            compare=compare,
            audience=chosen,
            as_of=_as_of(as_of),
            area=area,
            compare_area=compare_area,
        )
    typer.echo(f"Wrote {out}")

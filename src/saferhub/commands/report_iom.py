"""`saferhub report iom` and `saferhub report reoffending`."""

from __future__ import annotations

from pathlib import Path

import typer

from saferhub.commands import report_app
from saferhub.commands.output import report_output
from saferhub.errors import ConfigurationError, EnvironmentProblem
from saferhub.rules.disclosure import Audience


def audience_of(text: str | None, public: bool, casework: bool = False) -> Audience:
    """The audience from --audience, or from the older --public switch."""
    if text is not None:
        chosen = Audience.parse(text)
        if public and chosen is not Audience.PUBLIC:
            raise ConfigurationError(
                f"--public and --audience {chosen.value} disagree.", "Give only one of them."
            )
        return chosen
    if public:
        return Audience.PUBLIC
    return Audience.RESTRICTED if casework else Audience.PARTNERSHIP


AUDIENCE = typer.Option(
    None,
    "--audience",
    help="Who the report is for: restricted (with casework), partnership, or public "
    "(counts of 1 to 4 hidden). Default: partnership, or restricted with --casework.",
)
COMPARATOR_LABEL = typer.Option(
    None, "--comparator-label", help="Name of a published comparator, e.g. 'London'."
)
COMPARATOR_RATE = typer.Option(
    None, "--comparator-rate", help="The comparator's proven reoffending rate, %, e.g. 23.53."
)
COMPARATOR_PER = typer.Option(
    None, "--comparator-per-reoffender", help="The comparator's reoffences per reoffender."
)


def _database_inputs():
    """The IOM tables from the web app's database (DATABASE_URL or the demo's SQLite)."""
    from saferhub.commands.django_setup import setup_django

    setup_django()
    from django.db import DatabaseError

    from saferhub.app.iom import database_inputs

    try:
        inputs = database_inputs()
    except DatabaseError as exc:
        raise EnvironmentProblem(
            f"Cannot read the IOM cohort from the database: {exc}.",
            "Run `saferhub manage migrate` (or `saferhub demo`) first, and check DATABASE_URL; "
            "or give --offences and --cohort files.",
        ) from None
    if inputs.cohort.num_rows == 0:
        raise ConfigurationError(
            "The database has no IOM cohort.", "Give --offences and --cohort files instead."
        )
    return inputs


@report_app.command("iom")
def report_iom(
    to: str = typer.Option(..., "--to", help="Report month, YYYY-MM: figures run to its last day."),
    fmt: str = typer.Option(..., "--format", help="html, xlsx, pdf, docx (Word) or json."),
    out: Path = typer.Option(..., "--out", help="File to write."),
    offences: Path | None = typer.Option(None, "--offences", help="Police offences extract (CSV)."),
    cohort: Path | None = typer.Option(None, "--cohort", help="IOM cohort file (CSV)."),
    custody: Path | None = typer.Option(None, "--custody", help="Custody spells (CSV)."),
    tiers: Path | None = typer.Option(None, "--tiers", help="IOM tier history (CSV)."),
    pathways: Path | None = typer.Option(None, "--pathways", help="IOM pathway referrals (CSV)."),
    disposals: Path | None = typer.Option(
        None, "--disposals", help="Disposals (CSV), for the cohort's proven reoffending rate."
    ),
    unit_costs: Path | None = typer.Option(
        None, "--unit-costs", help="Unit costs of crime (CSV) replacing the Home Office 2018 table."
    ),
    top: int = typer.Option(200, "--top", help="How many top offenders the concentration counts."),
    public: bool = typer.Option(
        False,
        "--public",
        help="Public version: the same as --audience public.",
    ),
    audience: str | None = AUDIENCE,
    casework: bool = typer.Option(
        False, "--casework", help="Add the selection list and de-selection review (personal data)."
    ),
    comparator_label: str | None = COMPARATOR_LABEL,
    comparator_rate: float | None = COMPARATOR_RATE,
    comparator_per_reoffender: float | None = COMPARATOR_PER,
) -> None:
    """Write the IOM board-pack section: cohort, impact, cost of crime avoided, pathways."""
    # Reports pull in Ibis and pandas: import them only when the command runs.
    from saferhub.app.iom import Comparator, load_iom_inputs, write_iom_report

    chosen = audience_of(audience, public, casework)

    files = [offences, cohort, custody, tiers, pathways, disposals, unit_costs]
    with report_output(out, files) as temporary:
        if offences is None and cohort is None:
            inputs = _database_inputs()
        elif offences is None or cohort is None:
            raise ConfigurationError(
                "Give both --offences and --cohort, or neither to read the app's database."
            )
        else:
            inputs = load_iom_inputs(*files)
        write_iom_report(
            inputs,
            to,
            fmt.lower(),
            temporary,
            top=top,
            casework=casework,
            audience=chosen,
            comparator=Comparator.of(comparator_label, comparator_rate, comparator_per_reoffender),
        )
    typer.echo(f"Wrote {out}")


@report_app.command("reoffending")
def report_reoffending(
    offences: Path = typer.Option(..., "--offences", help="Police offences extract (CSV)."),
    disposals: Path = typer.Option(..., "--disposals", help="Disposals extract (CSV)."),
    cohort_start: str = typer.Option(
        ..., "--cohort-start", help="First month of the cohort, YYYY-MM."
    ),
    cohort_end: str = typer.Option(..., "--cohort-end", help="Last month of the cohort, YYYY-MM."),
    fmt: str = typer.Option(..., "--format", help="html, xlsx, pdf, docx (Word) or json."),
    out: Path = typer.Option(..., "--out", help="File to write."),
    comparator_label: str | None = COMPARATOR_LABEL,
    comparator_rate: float | None = COMPARATOR_RATE,
    comparator_per_reoffender: float | None = COMPARATOR_PER,
    method: str = typer.Option(
        "3-month",
        "--method",
        help="3-month (the MoJ method since October 2017: 3-month cohorts, compared with the "
        "same period a year earlier) or 12-month (the method before: one cohort, compared "
        "with the period just before).",
    ),
    audience: str = typer.Option(
        "partnership",
        "--audience",
        help="Who the table is for: partnership, or public (small counts hidden).",
    ),
) -> None:
    """Write the area's proven reoffending table: this cohort, the one compared, a comparator."""
    from saferhub.app.reoffending import Comparator, area_reoffending, write_reoffending_report

    with report_output(out, [offences, disposals]) as temporary:
        result = area_reoffending(
            offences,
            disposals,
            cohort_start,
            cohort_end,
            Comparator.of(comparator_label, comparator_rate, comparator_per_reoffender),
            method=method,
        )
        write_reoffending_report(result, fmt.lower(), temporary, Audience.parse(audience))
    typer.echo(f"Wrote {out}")

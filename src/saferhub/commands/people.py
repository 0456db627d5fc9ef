"""`saferhub people duplicates`: list pairs of records that may be the same person."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from saferhub.commands import app
from saferhub.errors import EnvironmentProblem
from saferhub.linkage.people import DEFAULT_THRESHOLD

people_app = typer.Typer(
    help="Work with the people recorded in the database.", no_args_is_help=True
)
app.add_typer(people_app, name="people")

COLUMNS = [
    "left_id", "right_id", "match_weight", "match_probability",
    "left_name", "right_name", "left_date_of_birth", "right_date_of_birth",
]  # fmt: skip


def setup_database() -> None:
    """Django set up, with a clear error (exit code 5) if the database cannot be read."""
    from saferhub.commands.django_setup import setup_django

    setup_django()


@people_app.command("duplicates")
def duplicates(
    threshold: float = typer.Option(
        DEFAULT_THRESHOLD,
        "--threshold",
        help="Lowest match weight listed; higher lists fewer, surer pairs.",
    ),
    out: Path | None = typer.Option(
        None, "--out", help="CSV file to write; without it the list goes to the screen."
    ),
) -> None:
    """Find pairs of people who may be recorded twice, and queue them for review."""
    from saferhub.commands.output import check_output, report_output

    if out is not None:
        check_output(out)
    setup_database()
    from django.db import DatabaseError

    from saferhub.reports.safe_cells import write_csv, write_csv_rows
    from saferhub.web.audit.context import acting_as
    from saferhub.web.audit.log import record
    from saferhub.web.people.duplicates import refresh_candidates, scored_pairs
    from saferhub.web.people.models import Person

    label = "saferhub people duplicates"
    try:
        with acting_as(label):
            pairs = scored_pairs(threshold)
            refresh_candidates(threshold=threshold, pairs=pairs)
            ids = {p.left_id for p in pairs} | {p.right_id for p in pairs}
            people = {
                p.pk: p
                for p in Person.objects.filter(pk__in=ids).only(
                    "first_name", "last_name", "date_of_birth"
                )
            }
            rows = [
                {
                    "left_id": p.left_id,
                    "right_id": p.right_id,
                    "match_weight": p.match_weight,
                    "match_probability": round(p.match_probability, 6),
                    "left_name": people[p.left_id].full_name,
                    "right_name": people[p.right_id].full_name,
                    "left_date_of_birth": people[p.left_id].date_of_birth or "",
                    "right_date_of_birth": people[p.right_id].date_of_birth or "",
                }
                for p in pairs
            ]
            record(
                None,
                "export",
                summary="Listed possible duplicate people",
                detail={"threshold": threshold, "pairs": len(rows)},
                person_ids=ids,
            )
    except DatabaseError as exc:
        raise EnvironmentProblem(
            f"Cannot read people from the database: {exc}.",
            "Run `saferhub manage migrate` first, and check DATABASE_URL.",
        ) from None
    if out is None:
        write_csv_rows(sys.stdout, COLUMNS, rows)
        return
    with report_output(out) as temporary:
        write_csv(temporary, COLUMNS, rows)
    pairs_word = "pair" if len(rows) == 1 else "pairs"
    typer.echo(f"{len(rows):,} {pairs_word} at match weight {threshold:g} or more written to {out}")


@people_app.command("hold")
def hold(
    person: int = typer.Option(..., "--person", help="The person's number (on their record)."),
    reason: str = typer.Option(
        "",
        "--reason",
        help="Why the records must be kept (e.g. a claim or a review), or, with --lift, "
        "why they need not be any more.",
    ),
    lift: bool = typer.Option(False, "--lift", help="Lift the person's legal holds instead."),
) -> None:
    """Place a legal hold on a person (retention removes nothing about them), or lift it."""
    setup_database()
    from saferhub.web.audit.context import acting_as
    from saferhub.web.people.retention import lift_holds, place_hold

    with acting_as("saferhub people hold"):
        if lift:
            count = lift_holds(person_id=person, reason=reason)
            typer.echo(f"Lifted {count} legal hold(s) on person {person}.")
        else:
            place_hold(person_id=person, reason=reason)
            typer.echo(
                f"Person {person} is on legal hold: retention will remove nothing about them."
            )

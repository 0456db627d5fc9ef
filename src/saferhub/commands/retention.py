"""`saferhub retention`: list or remove records past their retention period."""

from __future__ import annotations

import typer

from saferhub.commands import app
from saferhub.errors import EnvironmentProblem


@app.command("retention")
def retention(
    dry_run: bool = typer.Option(False, "--dry-run", help="List what has expired; remove nothing."),
    apply_: bool = typer.Option(False, "--apply", help="Remove what has expired."),
) -> None:
    """List (--dry-run) or remove (--apply) records whose retention period has passed.

    Nothing about a person on legal hold is removed; the audit log is never removed.
    """
    if dry_run == apply_:
        raise typer.BadParameter("give exactly one of --dry-run or --apply")
    from saferhub.commands.django_setup import setup_django

    setup_django()
    from django.db import DatabaseError
    from django.utils import timezone

    from saferhub.web.audit.context import acting_as
    from saferhub.web.people import retention as service

    today = timezone.localdate()
    try:
        with acting_as("saferhub retention"):
            if apply_:
                removable, on_hold = service.apply(today)
            else:
                removable, on_hold = service.expired(today)
    except DatabaseError as exc:
        raise EnvironmentProblem(
            f"Cannot read the database: {exc}.",
            "Run `saferhub manage migrate` first, and check DATABASE_URL.",
        ) from None
    verb = "Removed" if apply_ else "Expired, would be removed by --apply"
    for item in removable:
        typer.echo(f"{verb}: {item.rule.label} {item.record_id} ({item.rule.key})")
    for item in on_hold:
        typer.echo(f"Kept, legal hold: {item.rule.label} {item.record_id} ({item.rule.key})")
    done = "removed" if apply_ else "expired"
    typer.echo(f"{len(removable):,} records {done}; {len(on_hold):,} kept on legal hold.")

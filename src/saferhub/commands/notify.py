"""`saferhub notify`: send the daily email digest (run it from cron once a day)."""

from __future__ import annotations

from datetime import date

import typer

from saferhub.commands import app
from saferhub.commands.django_setup import setup_django
from saferhub.errors import EnvironmentProblem


@app.command("notify")
def notify(
    on: str | None = typer.Option(
        None, "--date", help="Treat this day (YYYY-MM-DD) as today; default: today."
    ),
) -> None:
    """Email each user their new notices, and tell agencies about actions now overdue."""
    setup_django()
    from django.db import DatabaseError
    from django.utils import timezone

    from saferhub.web.notifications.services import send_digest

    try:
        today = date.fromisoformat(on) if on else timezone.localdate()
    except ValueError:
        raise typer.BadParameter(
            f"{on!r} is not a date: write it as YYYY-MM-DD.", param_hint="--date"
        ) from None
    try:
        result = send_digest(today)
    except DatabaseError as exc:
        raise EnvironmentProblem(
            f"Cannot read the database: {exc}.",
            "Run `saferhub manage migrate` first, and check DATABASE_URL.",
        ) from None
    except OSError as exc:
        raise EnvironmentProblem(
            f"Cannot send email: {exc}.",
            "Check SAFERHUB_EMAIL_HOST and the other email settings (docs/deployment.md). "
            "Nothing was marked as sent, so the next run tries again.",
        ) from None
    typer.echo(
        f"{result.overdue_found} overdue notice(s) made; "
        f"{result.emails} email(s) sent with {result.notices} notice(s)."
    )

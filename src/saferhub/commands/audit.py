"""`saferhub audit verify`: check that nobody has changed the audit log behind SaferHub."""

from __future__ import annotations

import typer

from saferhub.commands import app
from saferhub.errors import EnvironmentProblem, SaferHubError

audit_app = typer.Typer(help="Check the audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


class AuditChainBroken(SaferHubError):
    """The audit log's hash chain does not hold: an entry was changed, removed or inserted."""

    exit_code = 6


@audit_app.command("verify")
def verify(
    anchor: str | None = typer.Option(
        None,
        "--anchor",
        help="A hash noted from an earlier run or the off-box copy that must still be in the log.",
    ),
) -> None:
    """Check every audit entry's hash and its link to the one before; name the first break."""
    from saferhub.commands.django_setup import setup_django

    setup_django()
    from django.db import DatabaseError

    from saferhub.web.audit.verification import verify_log

    try:
        verdict = verify_log(anchor=anchor.strip().lower() if anchor else None)
    except DatabaseError as exc:
        raise EnvironmentProblem(
            f"Cannot read the audit log from the database: {exc}.",
            "Run `saferhub manage migrate` first, and check DATABASE_URL.",
        ) from None
    if verdict.broken is not None:
        when = f"{verdict.broken.at:%Y-%m-%d %H:%M:%S %Z}".strip()
        raise AuditChainBroken(
            f"The audit log is broken at entry {verdict.broken.event_id} ({when}): "
            f"{verdict.broken.reason}. {verdict.checked} entries before it are intact.",
            "Keep the database as it is, and compare it with a backup or the off-box copy "
            "of the log (docs/deployment.md, section 9).",
        )
    if verdict.anchor_found is False:
        raise AuditChainBroken(
            f"No entry in the audit log has the hash {anchor}: the log was rewritten, or cut "
            "back past that entry, since the hash was noted.",
            "Check the hash was copied in full, then compare the database with a backup or "
            "the off-box copy of the log (docs/deployment.md, section 9).",
        )
    entries = "entry" if verdict.checked == 1 else "entries"
    typer.echo(f"The audit log is intact: {verdict.checked:,} {entries} checked.")
    if verdict.starts_after:
        typer.echo(
            "It begins after a retention purge: its first entry follows the removed entry "
            f"with hash {verdict.starts_after}."
        )
    if verdict.last_hash:
        typer.echo(f"Latest hash: {verdict.last_hash}")

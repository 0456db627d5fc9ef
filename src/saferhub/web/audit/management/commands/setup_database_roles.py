"""Print, or apply as the owner, the grants that keep the app role from rewriting the audit log."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections, transaction

from saferhub.web.audit.roles import owner_connection, role_problems, setup_sql


class Command(BaseCommand):
    help = (
        "Print (or with --apply, run as the database owner) the PostgreSQL grants for the "
        "app role: normal reads and writes, but only read and append on the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--owner", required=True, help="The role that owns the tables.")
        parser.add_argument("--app", required=True, help="The role the app connects as.")
        parser.add_argument(
            "--apply",
            action="store_true",
            help="Run the statements on the owner's connection instead of printing them.",
        )

    def handle(self, *args, owner: str, app: str, apply: bool, **options):
        with owner_connection("default"):
            connection = connections["default"]
            if connection.vendor != "postgresql":
                raise CommandError(
                    "Database roles apply to PostgreSQL only; this database is "
                    f"{connection.vendor}."
                )
            database = connection.settings_dict["NAME"]
            statements = [s.as_string(None) for s in setup_sql(owner, app, database)]
            if not apply:
                self.stdout.write(f"-- Run as {owner}, the owner of {database}, after migrate.")
                for statement in statements:
                    self.stdout.write(statement + ";")
                return
            try:
                problems = role_problems(connection, owner, app)
                if problems:
                    raise CommandError(" ".join(problems))
                with transaction.atomic(), connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)
            except DatabaseError as exc:
                raise CommandError(
                    f"Could not apply the grants as {connection.settings_dict['USER']}: {exc}. "
                    "Run this as the database owner: set SAFERHUB_MIGRATE_DATABASE_URL to the "
                    "owner's connection."
                ) from None
            self.stdout.write(f"Granted {app} its rights on {database}.")

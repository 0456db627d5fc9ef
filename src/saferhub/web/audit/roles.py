"""PostgreSQL roles: the app reads and appends the audit log but cannot rewrite it.

The database owner runs migrations and owns every table, trigger and function. The app
connects as a second role that owns nothing: normal reads and writes on the other tables,
only SELECT and INSERT on the audit log, and no TRUNCATE, no ALTER, no way to disable
the triggers. `setup_database_roles` prints or applies the grants below.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.conf import settings
from django.db import connections
from psycopg import sql

APPEND_ONLY_TABLES = ("audit_auditevent", "audit_auditsubject")
READ_ONLY_TABLES = ("django_migrations",)


def setup_sql(owner: str, app: str, database: str) -> list[sql.Composed]:
    """The statements the owner runs after `migrate`, in order."""
    o, a, d = sql.Identifier(owner), sql.Identifier(app), sql.Identifier(database)
    statements = [
        # Nobody but the owner may create objects; temporary tables could shadow real ones.
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
        sql.SQL("REVOKE TEMPORARY ON DATABASE {} FROM PUBLIC").format(d),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(d, a),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(a),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
            a
        ),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(a),
        # Tables that later migrations create get the same grants.
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public "
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
        ).format(o, a),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public "
            "GRANT USAGE, SELECT ON SEQUENCES TO {}"
        ).format(o, a),
    ]
    for table in APPEND_ONLY_TABLES:
        t = sql.Identifier(table)
        statements.append(sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(t, a))
        statements.append(sql.SQL("GRANT SELECT, INSERT ON TABLE {} TO {}").format(t, a))
    for table in READ_ONLY_TABLES:
        t = sql.Identifier(table)
        statements.append(sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(t, a))
        statements.append(sql.SQL("GRANT SELECT ON TABLE {} TO {}").format(t, a))
    return statements


def role_problems(connection, owner: str, app: str) -> list[str]:
    """What makes the app role able to get round the grants, if anything."""
    if owner == app:
        return ["The app role must not be the owner role: give them different names."]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = %s", [app]
        )
        row = cursor.fetchone()
        if row is None:
            return [f"The role {app} does not exist. Create it first (docs/deployment.md)."]
        problems = []
        if any(row):
            problems.append(
                f"The role {app} is a superuser or can create roles or bypass row security: "
                f"ALTER ROLE {app} NOSUPERUSER NOCREATEROLE NOBYPASSRLS;"
            )
        cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [app, owner])
        if cursor.fetchone()[0]:
            problems.append(f"The role {app} is a member of {owner}, so it can act as the owner.")
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
            "WHERE r.rolname = %s AND c.relnamespace = 'public'::regnamespace",
            [app],
        )
        if cursor.fetchone()[0]:
            problems.append(
                f"The role {app} owns tables; make {owner} their owner "
                f"(REASSIGN OWNED BY {app} TO {owner};)."
            )
    return problems


@contextlib.contextmanager
def owner_connection(alias: str = "default") -> Iterator[None]:
    """Run the block on the owner's connection (SAFERHUB_MIGRATE_DATABASE_URL), if one is set.

    Only the user name and password change: settings check the owner's URL names the same
    database, and keeping the connection's own database name keeps test databases apart.
    """
    owner = getattr(settings, "MIGRATE_DATABASE", None)
    if owner is None or alias != "default":
        yield
        return
    connection = connections[alias]
    saved = {key: connection.settings_dict.get(key) for key in ("USER", "PASSWORD")}
    connection.close()
    connection.settings_dict.update(USER=owner["USER"], PASSWORD=owner["PASSWORD"])
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)

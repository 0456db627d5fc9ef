"""Tampering with the audit log as someone with the database file or the owner's login would."""

from __future__ import annotations

import importlib

import psycopg
from django.db import connection

from tests import database_roles


def as_database_owner(sql: str, params: list | tuple = ()) -> None:
    """Run SQL with the triggers out of the way, as only the owner (or the file's holder) can.

    Needs committed data (a transactional test): on PostgreSQL this is a separate session.
    """
    if connection.vendor == "postgresql":
        owner = database_roles._owner or {"USER": connection.settings_dict["USER"], "PASSWORD": ""}
        settings = connection.settings_dict
        with psycopg.connect(
            dbname=settings["NAME"],
            user=owner["USER"],
            password=owner["PASSWORD"] or None,
            host=settings["HOST"],
            port=settings["PORT"] or 5432,
            # Each statement commits on its own: the foreign key from the listing subjects
            # checks a delete at commit, and triggers can't be re-enabled with checks pending.
            autocommit=True,
        ) as owner_connection:
            owner_connection.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            owner_connection.execute(sql, params)
            owner_connection.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        return
    migration = importlib.import_module("saferhub.web.audit.migrations.0004_hash_chain")
    with connection.cursor() as cursor:
        for name in ("audit_no_update", "audit_no_delete", "audit_chain"):
            cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute(sql, params)
        for statement in [migration.SQLITE_UPDATE_TRIGGER, *migration.SQLITE_TRIGGERS]:
            cursor.execute(statement)

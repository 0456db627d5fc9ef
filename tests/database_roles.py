"""Run the tests as the production app role would: without owning the tables.

pytest-django creates and migrates the test database as the owner (DATABASE_URL). On
PostgreSQL the test connections then reconnect as a separate login role that owns
nothing and holds only the grants `setup_database_roles` gives, so no test, and no code
under test, can get round them (a SET ROLE could be undone; a reconnection cannot).
Emptying the database between transactional tests is the owner's job, as is dropping it.
"""

from __future__ import annotations

import contextlib
import importlib
import os

import pytest
from django.core.management.commands import flush
from django.db import connections

APP_ROLE = os.environ.get("SAFERHUB_TEST_APP_ROLE", "saferhub_test_app")
APP_PASSWORD = os.environ.get("SAFERHUB_TEST_APP_PASSWORD", "")

_owner: dict[str, str | None] = {}


def _hash_chain_migration():
    return importlib.import_module("saferhub.web.audit.migrations.0004_hash_chain")


def switch_to_app_role(alias: str = "default") -> None:
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return
    from saferhub.web.audit.roles import role_problems, setup_sql

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        if cursor.fetchone() is None:
            try:
                cursor.execute(f'CREATE ROLE "{APP_ROLE}" LOGIN')
            except Exception as exc:
                pytest.exit(
                    f"The test app role {APP_ROLE} does not exist and {owner} cannot create "
                    f"it ({exc}). Create it as a superuser: CREATE ROLE {APP_ROLE} LOGIN;",
                    returncode=4,
                )
        problems = role_problems(connection, owner, APP_ROLE)
        if problems:
            pytest.exit(" ".join(problems), returncode=4)
        for statement in setup_sql(owner, APP_ROLE, connection.settings_dict["NAME"]):
            cursor.execute(statement)
    _owner.update(
        USER=connection.settings_dict["USER"], PASSWORD=connection.settings_dict["PASSWORD"]
    )
    connection.close()
    connection.settings_dict.update(USER=APP_ROLE, PASSWORD=APP_PASSWORD)


def switch_to_owner(alias: str = "default") -> None:
    if _owner:
        connections[alias].close()
        connections[alias].settings_dict.update(_owner)


@contextlib.contextmanager
def as_owner(alias: str):
    """Hand the database to its owner for a flush, then back to the app role."""
    connection = connections[alias]
    if connection.vendor == "postgresql" and _owner:
        app = {
            "USER": connection.settings_dict["USER"],
            "PASSWORD": connection.settings_dict["PASSWORD"],
        }
        switch_to_owner(alias)
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.update(app)
    elif connection.vendor == "sqlite":
        # SQLite has no roles: the delete trigger steps aside for the flush only.
        no_delete = _hash_chain_migration().SQLITE_TRIGGERS[0]
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(no_delete)
    else:
        yield


@contextlib.contextmanager
def flushes_as_owner():
    original = flush.Command.handle

    def handle(self, **options):
        with as_owner(options["database"]):
            return original(self, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush.Command, "handle", handle)
        yield

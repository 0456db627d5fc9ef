"""Finding: the deployment guide made the app's role the owner of its tables, so the app
could DISABLE TRIGGER, DELETE and TRUNCATE the audit log.

The app now connects as a role that owns nothing and may only read and append the audit
log; the tests themselves run as such a role (tests/database_roles.py). This proves it.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from saferhub.web.audit.log import record
from saferhub.web.audit.models import AuditEvent, AuditSubject
from saferhub.web.audit.roles import role_problems

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: set DATABASE_URL=postgres://… (SQLite has no roles; its "
            "triggers are tested in test_audit_append_only.py)."
        )


@pytest.fixture
def event():
    return AuditEvent.objects.create(username="someone", action="view", summary="Viewed a record")


def _as_app(statement: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_the_tests_connect_as_a_role_that_owns_nothing():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, session_user, r.rolsuper, "
            "pg_get_userbyid(c.relowner) FROM pg_roles r, pg_class c "
            "WHERE r.rolname = current_user AND c.relname = 'audit_auditevent'"
        )
        current, session, superuser, owner = cursor.fetchone()
    assert current == session != owner
    assert not superuser
    assert role_problems(connection, owner, current) == []


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET summary = 'tampered'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_update",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
        "DROP TRIGGER audit_chain ON audit_auditevent",
        "DROP TABLE audit_auditevent",
        "CREATE TEMP TABLE audit_auditevent (id bigint)",
    ],
)
def test_the_app_role_cannot_change_or_wipe_the_audit_log(event, statement):
    with pytest.raises(DatabaseError):
        _as_app(statement)
    assert AuditEvent.objects.get(pk=event.pk).summary == "Viewed a record"


def test_the_app_role_cannot_become_the_owner(event):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = %s",
            ["audit_auditevent"],
        )
        owner = cursor.fetchone()[0]
    with pytest.raises(DatabaseError):
        _as_app(f'SET ROLE "{owner}"')


def test_the_app_role_can_still_read_and_append(event):
    assert AuditEvent.objects.create(username="someone", action="search").prev_hash == event.hash


def test_setup_database_roles_prints_the_grants(capsys):
    call_command("setup_database_roles", owner="saferhub_owner", app="saferhub_app")
    out = capsys.readouterr().out
    assert 'REVOKE ALL ON TABLE "audit_auditevent" FROM "saferhub_app";' in out
    assert 'GRANT SELECT, INSERT ON TABLE "audit_auditevent" TO "saferhub_app";' in out
    assert 'ALTER DEFAULT PRIVILEGES FOR ROLE "saferhub_owner"' in out


@pytest.mark.django_db(transaction=True)
def test_migrations_run_on_the_owners_connection_and_the_app_gets_its_own_back():
    from django.test import override_settings

    from saferhub.web.audit.roles import owner_connection
    from tests import database_roles

    def who() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            return cursor.fetchone()[0]

    app_role = who()
    owner = {"USER": database_roles._owner["USER"], "PASSWORD": database_roles._owner["PASSWORD"]}
    with override_settings(MIGRATE_DATABASE=owner):
        with owner_connection():
            assert who() == owner["USER"]
            call_command("migrate", verbosity=0, check_unapplied=True)
        assert who() == app_role


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditsubject SET person_id = person_id + 1",
        "DELETE FROM audit_auditsubject",
        "TRUNCATE audit_auditsubject",
    ],
)
def test_the_app_role_cannot_rewrite_who_a_listing_named(statement):
    # A listing's named people are how the audit is searched by person: they are the log too.
    event = record(None, "view", summary="Listed people", person_ids=[101, 102])
    with pytest.raises(DatabaseError):
        _as_app(statement)
    assert sorted(AuditSubject.objects.filter(event=event).values_list("person_id", flat=True)) == [
        101,
        102,
    ]

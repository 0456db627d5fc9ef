"""Database triggers that refuse changes to audit entries, whatever code asks.

UPDATE is refused on every engine. DELETE is refused on PostgreSQL row by row; a
retention purge is a deliberate TRUNCATE or partition drop by the database owner
(docs/deployment.md). On SQLite, the embedded demo database, deletes are refused by
the application only, because Django's test flush empties tables with DELETE.
(0004_hash_chain adds a DELETE trigger on SQLite too; the tests' flush steps round it.)
"""

from django.db import migrations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION saferhub_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'The audit log is append-only.';
END;
$$ LANGUAGE plpgsql;
"""


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        schema_editor.execute(
            "CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit_auditevent "
            "FOR EACH ROW EXECUTE FUNCTION saferhub_audit_append_only();"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditevent "
            "BEGIN SELECT RAISE(ABORT, 'The audit log is append-only.'); END;"
        )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_update ON audit_auditevent;")
        schema_editor.execute("DROP FUNCTION IF EXISTS saferhub_audit_append_only();")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_update;")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]

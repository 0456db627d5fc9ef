"""The people each audit event is about, one append-only row per person.

The triggers follow 0002: UPDATE refused on every engine, DELETE refused row by row on
PostgreSQL (a retention purge is a deliberate TRUNCATE by the database owner). The function
has its own name so the event table's triggers can change without touching these.
"""

import django.db.models.deletion
from django.db import migrations, models

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION saferhub_audit_subject_append_only() RETURNS trigger AS $$
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
            "CREATE TRIGGER audit_subject_no_update BEFORE UPDATE OR DELETE "
            "ON audit_auditsubject FOR EACH ROW "
            "EXECUTE FUNCTION saferhub_audit_subject_append_only();"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER audit_subject_no_update BEFORE UPDATE ON audit_auditsubject "
            "BEGIN SELECT RAISE(ABORT, 'The audit log is append-only.'); END;"
        )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS audit_subject_no_update ON audit_auditsubject;"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS saferhub_audit_subject_append_only();")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_subject_no_update;")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.CreateModel(
            name="AuditSubject",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("person_id", models.BigIntegerField(db_index=True)),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="subjects",
                        to="audit.auditevent",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("event", "person_id"), name="one_subject_per_person"
                    )
                ],
            },
        ),
        migrations.RunPython(create, drop),
    ]
